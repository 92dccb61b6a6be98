using System.Text;

namespace GlassML.Io;

/// <summary>A write-only stream that decodes UTF-8 bytes into a <see cref="TextWriter"/> (standard output of text results).</summary>
internal sealed class TextWriterStream(TextWriter writer) : Stream
{
    private readonly Decoder _decoder = new UTF8Encoding(false, true).GetDecoder();
    private char[] _chars = new char[4096];

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() => writer.Flush();
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        int need = Encoding.UTF8.GetMaxCharCount(buffer.Length);
        if (need > _chars.Length) _chars = new char[need];
        int n = _decoder.GetChars(buffer, _chars, flush: false);
        writer.Write(_chars, 0, n);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            int n = _decoder.GetChars(ReadOnlySpan<byte>.Empty, _chars, flush: true);
            if (n > 0) writer.Write(_chars, 0, n);
            writer.Flush();
        }
        base.Dispose(disposing);
    }
}
