using System.IO.Compression;

namespace GlassML.Io;

/// <summary>
/// A gzip file written as consecutive gzip members of <see cref="BlockBytes"/> uncompressed bytes each (RFC 1952 allows any
/// number of members; gzip, zcat, Python's gzip, pandas, numpy and .NET's <see cref="GZipStream"/> read them as one stream),
/// the members compressed on up to <c>threads</c> threads at once and written in order. The members are cut at fixed offsets
/// of the uncompressed bytes, so the file's bytes depend on its text only, never on the thread count or on how the writes
/// came (a merged sharded output equals the single run's). Compression as <see cref="CompressionLevel.Optimal"/>; each member
/// starts a fresh dictionary, a few per cent more bytes than one stream. Write-only; the members left are written on dispose.
/// </summary>
internal sealed class GzipBlockStream : Stream
{
    /// <summary>Uncompressed bytes per gzip member.</summary>
    internal const int BlockBytes = 1 << 20;

    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly int _workers, _batch;
    private readonly byte[][] _blocks;
    private readonly int[] _lengths;
    private readonly MemoryStream?[] _outs;
    private int _full, _len;   // blocks filled; bytes in the current block (_blocks[_full])
    private long _length;
    private bool _disposed;

    /// <summary>Compresses into <paramref name="inner"/> on up to <paramref name="threads"/> threads (0 = all cores).</summary>
    public GzipBlockStream(Stream inner, int threads = 1, bool leaveOpen = false)
    {
        _inner = inner;
        _leaveOpen = leaveOpen;
        _workers = threads <= 0 ? Environment.ProcessorCount : threads;
        _batch = Math.Min(2 * _workers, 32);
        _blocks = new byte[_batch][];
        _lengths = new int[_batch];
        _outs = new MemoryStream?[_batch];
    }

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> bytes)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (bytes.Length > 0)
        {
            var block = _blocks[_full] ??= new byte[BlockBytes];
            int m = Math.Min(bytes.Length, BlockBytes - _len);
            bytes[..m].CopyTo(block.AsSpan(_len));
            _len += m;
            _length += m;
            bytes = bytes[m..];
            if (_len < BlockBytes) break;
            _lengths[_full++] = _len;
            _len = 0;
            if (_full == _batch) WriteMembers(_full);
        }
    }

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override void WriteByte(byte value) => Write([value]);

    // compresses blocks 0..count (each one member) and writes them in order
    private void WriteMembers(int count)
    {
        void Compress(int b)
        {
            var ms = _outs[b] ??= new MemoryStream();
            ms.SetLength(0);
            using var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true);
            if (_lengths[b] > 0) gz.Write(_blocks[b], 0, _lengths[b]);
        }
        if (count == 1 || _workers == 1) for (int b = 0; b < count; b++) Compress(b);
        else Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = _workers }, Compress);
        for (int b = 0; b < count; b++) _inner.Write(_outs[b]!.GetBuffer(), 0, (int)_outs[b]!.Length);
        _full = 0;
    }

    /// <summary>Does nothing: a member is written once its block is full, the last one on dispose.</summary>
    public override void Flush() { }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            try
            {
                // the last (partial) block is a member too; an empty text is one empty member, as GZipStream writes it
                if (_len > 0 || _length == 0) { _lengths[_full] = _len; _full++; }
                if (_full > 0) WriteMembers(_full);
                _inner.Flush();
            }
            finally { if (!_leaveOpen) _inner.Dispose(); }
        }
        base.Dispose(disposing);
    }

    /// <inheritdoc/>
    public override bool CanRead => false;
    /// <inheritdoc/>
    public override bool CanSeek => false;
    /// <inheritdoc/>
    public override bool CanWrite => !_disposed;
    /// <inheritdoc/>
    public override long Length => _length;
    /// <inheritdoc/>
    public override long Position { get => _length; set => throw new NotSupportedException("the stream is written in order only"); }
    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("the stream is written only");
    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("the stream is written in order only");
    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException("the stream is written in order only");
}
