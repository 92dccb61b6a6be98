using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using GlassML.Numerics;
using Microsoft.Win32.SafeHandles;

namespace GlassML.Io;

/// <summary>
/// A new file written by a background thread (used by <see cref="AtomicFile"/> for large binary outputs): the caller's bytes are
/// copied into buffers, each handed to the writer thread as it fills, so that producing the next bytes (rows computed,
/// copied) overlaps the system calls that write the previous ones. A file written direct (below) has up to six 4 MiB buffers (the
/// disk is slow to take them); a buffered one up to three of 2 MiB: the page cache takes them at memory speed, so more would only
/// be fresh memory, which costs more than its bytes in this project's VM (a 21.5 MB table made four 4 MiB buffers;
/// docs/benchmarks.md round 10). Seeking back (a header rewritten at the end) is allowed. The
/// bytes on disk are those written, in order; an error of the writer thread is thrown by the next call.
/// A file expected (<see cref="Expect"/>) or grown to <see cref="DirectFromBytes"/> or more, opened with <c>direct</c>, is written
/// unbuffered where <see cref="DirectIo"/> can (Linux, ext4/XFS/Btrfs): the aligned 4 KiB pages of each buffer go to the disk
/// without the kernel's copy into the page cache, the unaligned ends (and a header rewritten later) are written buffered, and a
/// direct write that fails is written again buffered, with the same bytes. Each buffer's bytes lie at the memory addresses that
/// match their file offsets modulo 4 KiB (pinned arrays, a window starting at an aligned address), so a whole-buffer write is one
/// direct write. The writer thread then waits for the disk, and the file is not left in the page cache (a reader right after reads
/// it from the disk). A disk slower than the producer would hold the producer up once the queue is full: when the producer has
/// waited for a free buffer more than <see cref="SlowDiskWait"/> in all and more than a quarter of the time since the first direct
/// write, the rest of the file is written buffered (the page cache then takes the bytes at memory speed, as without direct I/O).
/// A producer that computes ahead on other threads itself (a pipelined streamed table) switches to buffered writing on its own
/// thread (<see cref="WriteInline"/>): the system calls then read the bytes from this core's cache instead of another's (measured:
/// ≈ 1.3 CPU s less at 10^6 atoms × 142 columns); a file written direct stays on the writer thread (no page-cache copy to
/// make local, and the producer does not wait for the disk).
/// A durable file (<c>GLASSML_FSYNC=1</c>, <see cref="FileSync"/>) is flushed to the disk by <see cref="Complete"/>; on Linux the
/// kernel is then asked to start writing every 32 MiB to the disk as soon as they are written (<c>sync_file_range</c>, which does
/// not wait), so that the flush waits only for the tail. Otherwise the file is left to the operating system's writeback.
/// </summary>
internal sealed class WriteBehindFile : Stream
{
    /// <summary>A file expected or grown to this size is written direct (where it can be).</summary>
    internal const long DirectFromBytes = 32L << 20;

    private const int BufferBytes = 4 << 20;
    private const int SmallBufferBytes = 2 << 20;
    private const int SmallBuffers = 3;
    private const int QueuedBuffers = 4;
    private const long StartWritebackEvery = 32L << 20;
    private const int InlineBufferBytes = 256 << 10;   // within a core's L2 cache
    private const int Page = DirectIo.Alignment;

    private readonly SafeFileHandle _handle;
    private readonly BlockingCollection<Piece> _queue = new(QueuedBuffers);
    private readonly BlockingCollection<Buffer> _free = new();
    private readonly Thread _writer;
    private int _allocated;
    private Buffer? _buf;          // made on the first write (after Expect: its size depends on how the file is written)
    private int _start, _len;      // the current buffer's bytes: _buf.Bytes[_start.._start+_len] at the file offset _bufStart
    private long _bufStart, _length;
    private volatile ExceptionDispatchInfo? _error;
    private bool _completed;
    private bool _inline;
    private long _writebackFrom;
    private readonly bool _durable;
    private readonly bool _directAllowed;
    private bool _directTried;
    private long _expected;
    private SafeFileHandle? _direct;
    private volatile bool _directFailed;
    private long _directBytes;
    private long _directSince, _waitTicks;   // Stopwatch timestamps: the first direct piece queued; the producer's waits since
    private bool _slowDisk;

    /// <summary>
    /// Creates the file (it must not exist) and starts the writer thread; a <paramref name="durable"/> file is flushed to the disk
    /// by <see cref="Complete"/>; with <paramref name="direct"/> a large file is written unbuffered where it can be.
    /// </summary>
    public WriteBehindFile(string path, bool durable = false, bool direct = false)
    {
        _durable = durable;
        _directAllowed = direct;
        _handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        _writer = new Thread(WriteQueued) { IsBackground = true, Name = "glassml write-behind" };
        _writer.Start();
    }

    /// <summary>Bytes written direct so far (complete once <see cref="Complete"/> returned; tests).</summary>
    internal long DirectBytes => Interlocked.Read(ref _directBytes);

    /// <summary>Tests only: the first direct write that reaches past this offset writes half its bytes direct and fails.</summary>
    internal long FailDirectAt { get; init; } = long.MaxValue;

    /// <summary>Tests only: each direct write first sleeps this long (a slow disk).</summary>
    internal TimeSpan DirectDelay { get; init; }

    /// <summary>
    /// The producer's waiting for free buffers (in all, since the first direct write) past which, when it is also more than a quarter
    /// of that time, the rest of the file is written buffered: the disk is slower than the bytes come. Default 0.25 s.
    /// </summary>
    internal TimeSpan SlowDiskWait { get; init; } = TimeSpan.FromSeconds(0.25);

    /// <summary>Whether the file went on buffered because the disk was slower than the producer (tests).</summary>
    internal bool SlowDisk => _slowDisk;

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

    /// <summary>
    /// Tells how many bytes the file is expected to hold (a hint: more or fewer may come); a file of <see cref="DirectFromBytes"/> or
    /// more is then written direct from the current buffer on, through 4 MiB buffers from the next one made on.
    /// </summary>
    internal void Expect(long bytes) => _expected = Math.Max(_expected, bytes);

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> bytes)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        _buf ??= NewBuffer();
        while (bytes.Length > 0)
        {
            if (_len == 0) _start = _buf.Origin + (int)(_bufStart % Page);
            int room = _buf.Origin + _buf.Capacity - _start - _len;
            if (room == 0) { Submit(); continue; }
            int m = Math.Min(bytes.Length, room);
            bytes[..m].CopyTo(_buf.Bytes.AsSpan(_start + _len));
            _len += m;
            bytes = bytes[m..];
        }
    }

    /// <inheritdoc/>
    public override void WriteByte(byte value) => Write([value]);

    /// <summary>Hands the bytes so far to the writer thread (they reach the file in order, not yet the disk).</summary>
    public override void Flush() => Submit();

    /// <summary>
    /// Writes what is left and waits for the writer thread (a durable file is then flushed to the disk); then the stream is closed
    /// to writing.
    /// </summary>
    public void Complete()
    {
        if (_completed) return;
        Submit(next: false);
        _completed = true;
        if (!_inline)
        {
            StopWriter();
            _error?.Throw();
        }
        if (_durable) RandomAccess.FlushToDisk(_handle);
    }

    /// <summary>
    /// From now on the bytes are written buffered by the caller's thread (through a small buffer), after the writer thread has
    /// written the queued ones: for a producer whose computing already overlaps its writing (rows computed ahead on other
    /// threads). A file written direct (<see cref="Expect"/>) stays with the writer thread.
    /// </summary>
    public void WriteInline()
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (_inline || UseDirect(Length)) return;
        Submit(next: false);
        StopWriter();
        _error?.Throw();
        _inline = true;
        _buf = NewBuffer();
        while (_free.TryTake(out _)) { }   // the writer thread's buffers are let go
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
                if (!_inline) StopWriter();
            }
            _direct?.Dispose();
            _handle.Dispose();
            _queue.Dispose();
            _free.Dispose();
        }
        base.Dispose(disposing);
    }

    // queues the current buffer (if it holds bytes) and takes a free one, unless no more bytes come to this buffer queue (the file
    // completed or written inline from now on: a buffer taken then would be of no use, and a new one's allocation may cost a
    // garbage collection)
    private void Submit(bool next = true)
    {
        _error?.Throw();
        if (_len == 0) return;
        long end = _bufStart + _len;
        _length = Math.Max(_length, end);
        var piece = new Piece(_buf!, _start, _len, _bufStart, !_inline && !_slowDisk && UseDirect(end));
        if (piece.Direct && _directSince == 0) _directSince = Stopwatch.GetTimestamp();
        _bufStart = end;
        _len = 0;
        if (_inline) { WritePiece(piece); return; }
        // the producer waits here when the queue is full or no buffer is free, i.e. for the disk
        long t0 = Stopwatch.GetTimestamp();
        _queue.Add(piece);
        _buf = next ? NewBuffer() : null;
        long t1 = Stopwatch.GetTimestamp();
        if (_directSince == 0 || _slowDisk) return;
        _waitTicks += t1 - t0;
        if (Stopwatch.GetElapsedTime(0, _waitTicks) > SlowDiskWait && 4 * _waitTicks > t1 - _directSince) _slowDisk = true;
    }

    // whether buffers are written direct: decided (and the direct descriptor opened) once the file is expected or grown large
    private bool UseDirect(long length)
    {
        if (!_directTried && _directAllowed && Math.Max(_expected, length) >= DirectFromBytes)
        {
            _directTried = true;
            _direct = DirectIo.Open(_handle);
        }
        return _direct is not null;
    }

    // writes a piece at its offset: with direct writes its whole 4 KiB pages direct, the rest (and, after a failure, all) buffered;
    // a durable file starts the disk writeback of every further 32 MiB written in order
    private void WritePiece(Piece piece)
    {
        var bytes = piece.Buffer.Bytes.AsSpan(piece.Start, piece.Count);
        long offset = piece.Offset, end = offset + piece.Count;
        long lo = (offset + Page - 1) / Page * Page, hi = end / Page * Page;
        if (piece.Direct && !_directFailed && hi > lo)
        {
            int a = (int)(lo - offset), b = (int)(hi - offset);
            if (a > 0) RandomAccess.Write(_handle, bytes[..a], offset);
            if (WriteDirect(bytes[a..b], lo)) Interlocked.Add(ref _directBytes, b - a);
            else
            {
                _directFailed = true;
                RandomAccess.Write(_handle, bytes[a..b], lo);
            }
            if (b < bytes.Length) RandomAccess.Write(_handle, bytes[b..], hi);
        }
        else RandomAccess.Write(_handle, bytes, offset);
        if (!_durable) return;
        if (offset >= _writebackFrom && end - _writebackFrom >= StartWritebackEvery)
        {
            StartWriteback(_writebackFrom, end - _writebackFrom);
            _writebackFrom = end;
        }
    }

    private bool WriteDirect(ReadOnlySpan<byte> bytes, long offset)
    {
        if (DirectDelay > TimeSpan.Zero) Thread.Sleep(DirectDelay);
        if (offset + bytes.Length <= FailDirectAt) return DirectIo.Write(_direct!, bytes, offset);
        DirectIo.Write(_direct!, bytes[..(bytes.Length / 2 / Page * Page)], offset);
        return false;
    }

    // at most QueuedBuffers + 2 buffers exist: one being filled, the queued ones, one being written; a free one is reused whatever
    // its size
    private Buffer NewBuffer()
    {
        if (_inline) return new Buffer(GC.AllocateUninitializedArray<byte>(InlineBufferBytes + Page), 0, InlineBufferBytes);
        if (_free.TryTake(out var b)) return b;
        bool direct = DirectBuffers;
        if (_allocated < (direct ? QueuedBuffers + 2 : SmallBuffers))
        {
            _allocated++;
            // the first buffer of a file expected smaller than a buffer keeps 4 KiB pages (no 2 MiB page filled for a few bytes)
            bool huge = direct || _allocated > 1 || _expected >= SmallBufferBytes;
            return Buffer.Aligned(direct ? BufferBytes : SmallBufferBytes, huge);
        }
        return _free.Take();
    }

    // whether new buffers are for direct writes (4 MiB, up to six: fewer, longer writes to a disk that takes its time) or for
    // buffered ones (2 MiB, up to three: the page cache takes them at once, more would be fresh memory only)
    private bool DirectBuffers =>
        _directAllowed && !_slowDisk && (_directTried ? _direct is not null && !_directFailed : Math.Max(_expected, _length) >= DirectFromBytes);

    private void WriteQueued()
    {
        while (_queue.Take() is var piece && !ReferenceEquals(piece, EndOfQueue))
        {
            try
            {
                if (_error is null) WritePiece(piece);
            }
            catch (Exception e)
            {
                _error = ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                _free.Add(piece.Buffer);
            }
        }
    }

    // Ends the writer thread after the queued pieces and waits for it. An end marker rather than the queue's CompleteAdding: that
    // wakes a waiting writer by cancelling its wait, an exception thrown and caught inside the collection (≈ 1 ms at the end of
    // every large output, on the path to the command's exit).
    private void StopWriter()
    {
        _queue.Add(EndOfQueue);
        _writer.Join();
    }

    private static readonly Piece EndOfQueue = new(new Buffer([], 0, 0), 0, 0, 0, false);

    // bytes handed to the writer: Count bytes of Buffer.Bytes from Start, for the file offset Offset; Direct: its whole pages direct
    // (a class: a blocking collection of a struct would be jitted at run time, a one-thread cost of every large output)
    private sealed record Piece(Buffer Buffer, int Start, int Count, long Offset, bool Direct);

    // Capacity bytes of an array from Origin on, the first at the offset of the file's byte modulo Page. A writer-thread buffer is
    // pinned (it never moves) with Origin at a memory address that is a multiple of 4 KiB (every page aligned for direct writes)
    // or, huge, of 2 MiB: its 2 or 4 MiB are then whole pages advised for transparent huge pages (1 page fault per 2 MiB instead
    // of 512 when first filled)
    private sealed class Buffer(byte[] bytes, int origin, int capacity)
    {
        private const int Huge = 2 << 20;

        public byte[] Bytes { get; } = bytes;
        public int Origin { get; } = origin;
        public int Capacity { get; } = capacity;

        public static unsafe Buffer Aligned(int capacity, bool huge)
        {
            int align = huge ? Huge : Page;
            // the memory outside the window is never touched (no page of it is given to the process)
            var a = GC.AllocateUninitializedArray<byte>(capacity + align, pinned: true);
            long address = (long)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(a));
            var b = new Buffer(a, (int)((align - address % align) % align), capacity);
            if (huge) HugePages.Advise(a);
            return b;
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
