using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace GlassML.Io;

/// <summary>
/// A new file written by a background thread (used by <see cref="AtomicFile"/> for large binary outputs): the caller's bytes are
/// copied into 4 MiB buffers, each handed to the writer thread as it fills, so that producing the next bytes (rows computed,
/// copied) overlaps the system calls that copy the previous ones into the page cache. On Linux the kernel is asked to start
/// writing every 32 MiB to the disk as soon as they are written (<c>sync_file_range</c>, which does not wait), so the flush to
/// disk of <see cref="Complete"/> waits only for the tail instead of the whole file. Seeking back (a header rewritten at the end)
/// is allowed. The bytes on disk are those written, in order; an error of the writer thread is thrown by the next call.
/// </summary>
internal sealed class WriteBehindFile : Stream
{
    private const int BufferBytes = 4 << 20;
    private const int QueuedBuffers = 4;
    private const long StartWritebackEvery = 32L << 20;

    private readonly SafeFileHandle _handle;
    private readonly BlockingCollection<(byte[] Buffer, int Count, long Offset)> _queue = new(QueuedBuffers);
    private readonly BlockingCollection<byte[]> _free = new();
    private readonly Thread _writer;
    private int _allocated;
    private byte[] _buf;
    private int _len;
    private long _bufStart, _length;
    private volatile ExceptionDispatchInfo? _error;
    private bool _completed;

    /// <summary>Creates the file (it must not exist) and starts the writer thread.</summary>
    public WriteBehindFile(string path)
    {
        _handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        _buf = NewBuffer();
        _writer = new Thread(WriteQueued) { IsBackground = true, Name = "glassml write-behind" };
        _writer.Start();
    }

    /// <inheritdoc/>
    public override bool CanRead => false;
    /// <inheritdoc/>
    public override bool CanSeek => true;
    /// <inheritdoc/>
    public override bool CanWrite => !_completed;
    /// <inheritdoc/>
    public override long Length => Math.Max(_length, _bufStart + _len);

    /// <inheritdoc/>
    public override long Position
    {
        get => _bufStart + _len;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            Submit();
            _bufStart = value;
        }
    }

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> bytes)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        while (bytes.Length > 0)
        {
            if (_len == _buf.Length) Submit();
            int m = Math.Min(bytes.Length, _buf.Length - _len);
            bytes[..m].CopyTo(_buf.AsSpan(_len));
            _len += m;
            bytes = bytes[m..];
        }
    }

    /// <inheritdoc/>
    public override void WriteByte(byte value) => Write([value]);

    /// <summary>Hands the bytes so far to the writer thread (they reach the file in order, not yet the disk).</summary>
    public override void Flush() => Submit();

    /// <summary>Writes what is left, waits for the writer thread and flushes the file to the disk; then the stream is closed to writing.</summary>
    public void Complete()
    {
        if (_completed) return;
        Submit();
        _completed = true;
        _queue.CompleteAdding();
        _writer.Join();
        _error?.Throw();
        RandomAccess.FlushToDisk(_handle);
    }

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => Position + offset,
        _ => Length + offset,
    };

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("the file is written only");
    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException("the file only grows");

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            if (!_completed)
            {
                _completed = true;
                _queue.CompleteAdding();
                _writer.Join();
            }
            _handle.Dispose();
            _queue.Dispose();
            _free.Dispose();
        }
        base.Dispose(disposing);
    }

    // queues the current buffer (if it holds bytes) and takes a free one
    private void Submit()
    {
        _error?.Throw();
        if (_len == 0) return;
        _length = Math.Max(_length, _bufStart + _len);
        _queue.Add((_buf, _len, _bufStart));
        _bufStart += _len;
        _len = 0;
        _buf = NewBuffer();
    }

    // at most QueuedBuffers + 2 buffers exist: one being filled, the queued ones, one being written
    private byte[] NewBuffer()
    {
        if (_free.TryTake(out var b)) return b;
        if (_allocated < QueuedBuffers + 2) { _allocated++; return GC.AllocateUninitializedArray<byte>(BufferBytes); }
        return _free.Take();
    }

    private void WriteQueued()
    {
        long writebackFrom = 0;
        foreach (var (buffer, count, offset) in _queue.GetConsumingEnumerable())
        {
            try
            {
                if (_error is null)
                {
                    RandomAccess.Write(_handle, buffer.AsSpan(0, count), offset);
                    long end = offset + count;
                    if (offset >= writebackFrom && end - writebackFrom >= StartWritebackEvery)
                    {
                        StartWriteback(writebackFrom, end - writebackFrom);
                        writebackFrom = end;
                    }
                }
            }
            catch (Exception e)
            {
                _error = ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                _free.Add(buffer);
            }
        }
    }

    private static bool _noSyncFileRange = !OperatingSystem.IsLinux();

    // asks the kernel to start writing the range to the disk without waiting for it (Linux; elsewhere nothing)
    private void StartWriteback(long offset, long count)
    {
        if (_noSyncFileRange) return;
        try
        {
            const uint SyncFileRangeWrite = 2;
            SyncFileRange((int)_handle.DangerousGetHandle(), offset, count, SyncFileRangeWrite);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { _noSyncFileRange = true; }
    }

    [DllImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static extern int SyncFileRange(int fd, long offset, long nbytes, uint flags);
}
