using System.Buffers.Binary;
using System.Text;
using GlassML.Descriptors;
using GlassML.Structure;

namespace GlassML.Io;

/// <summary>
/// Writes NumPy <c>.npy</c> files (format version 1.0): a float64 little-endian (<c>&lt;f8</c>) 2-D array in C order,
/// atomically (temp file + rename). Layout: magic <c>\x93NUMPY</c>, version bytes 1 0, a little-endian uint16 header
/// length, the header dict <c>{'descr': '&lt;f8', 'fortran_order': False, 'shape': (R, C), }</c> padded with spaces and
/// ending in '\n' so that the data starts at a multiple of 64 bytes, then R·C doubles. <c>numpy.load</c> reads it.
/// </summary>
public static class NpyWriter
{
    /// <summary>Writes a rows × cols row-major array.</summary>
    /// <exception cref="ArgumentException">values.Length ≠ rows·cols.</exception>
    public static void Write(string path, double[] values, int rows, int cols)
    {
        if (rows < 0 || cols < 0 || values.Length != (long)rows * cols)
            throw new ArgumentException($"expected {rows} × {cols} values, got {values.Length}");
        AtomicFile.Write(path, s =>
        {
            (s as WriteBehindFile)?.Expect(128 + 8L * values.Length);
            s.Write(Header(rows, cols));
            var body = new Body(s, float32: false);
            // in pieces: a span of more than 2^31 bytes has no byte view
            for (int i = 0; i < values.Length; i += 1 << 20) body.PutRow(values.AsSpan(i, Math.Min(1 << 20, values.Length - i)));
            body.Flush();
        }, writeBehind: true);
    }

    /// <summary>Writes the N × F feature matrix, rows in frame order.</summary>
    public static void Write(string path, PerAtomFeatures features) =>
        Write(path, features.Values, features.AtomCount, features.FeatureCount);

    /// <summary>
    /// Writes the N × F feature matrix with rows sorted by atom id (the row order of <see cref="CsvWriter"/>), streamed row by
    /// row from <paramref name="features"/> (no sorted copy of the table).
    /// </summary>
    /// <exception cref="ArgumentException">Feature block of another size than the frame.</exception>
    public static void Write(string path, Frame frame, PerAtomFeatures features) =>
        WriteBlocks(path, [(frame, [features])], frameColumn: false);

    /// <summary>
    /// Several frames in one array of (ΣN) × (1 + F): the frames one after the other in the given order, each frame's rows
    /// sorted by atom id; column 0 is the frame's position in <paramref name="frames"/> (0-based), then the F features.
    /// The frames are enumerated once and written as they come (one frame's rows in memory at a time).
    /// </summary>
    /// <exception cref="ArgumentException">No frames, a feature block of another size than its frame, or blocks of different widths.</exception>
    public static void Write(string path, IEnumerable<(Frame Frame, PerAtomFeatures Features)> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        WriteBlocks(path, frames.Select(f => (f.Frame, (IReadOnlyList<PerAtomFeatures>)[f.Features])), frameColumn: true);
    }

    /// <summary>
    /// The frames' rows (sorted by atom id), each row the blocks of its frame side by side (no joined copy), led by the frame's
    /// position when <paramref name="frameColumn"/>. The header, whose row count is known only at the end, is written last
    /// into the place a provisional one reserved (every header of this writer is 128 bytes). With <paramref name="float32"/> the
    /// array is float32 (<c>&lt;f4</c>): every value rounded to the nearest float32, as numpy's <c>astype(np.float32)</c> does.
    /// </summary>
    internal static void WriteBlocks(string path, IEnumerable<(Frame Frame, IReadOnlyList<PerAtomFeatures> Blocks)> frames, bool frameColumn, bool float32 = false)
    {
        AtomicFile.Write(path, s =>
        {
            int width = -1, k = 0;
            long rows = 0;
            byte[]? first = null;
            var body = new Body(s, float32);
            foreach (var (frame, blocks) in frames)
            {
                int w = frameColumn ? 1 : 0;
                foreach (var b in blocks) { WriterSupport.CheckFeatures(frame, b); w += b.FeatureCount; }
                if (width < 0)
                {
                    width = w;
                    first = Header(frame.Count, width, float32);
                    if (s is WriteBehindFile wb)
                    {
                        // the first frame's size (a large file is written direct); rows computed ahead on other threads already
                        // overlap the writing: the buffered system calls are made on this thread
                        wb.Expect(first.Length + (long)frame.Count * width * (float32 ? 4 : 8));
                        if (blocks.Any(b => b.IsPipelined)) wb.WriteInline();
                    }
                    s.Write(first);
                }
                else if (w != width) throw new ArgumentException("the frames' feature blocks have different widths");
                foreach (int i in WriterSupport.SharedOrderById(frame))
                {
                    if (frameColumn) body.Put(k);
                    for (int q = 0; q < blocks.Count; q++) body.PutRow(blocks[q].Row(i));   // (not foreach: an enumerator per row)
                }
                foreach (var b in blocks) b.EndStream();
                k++;
                rows += frame.Count;
            }
            if (width < 0) throw new ArgumentException("no frames to write");
            body.Flush();
            var header = Header(checked((int)rows), width, float32);
            // every shape with fewer than 10^10 rows and columns has a 128-byte header, so the final one fits the provisional place
            if (header.Length != first!.Length) throw new InvalidOperationException("internal error: the NPY header changed its length");
            s.Position = 0;
            s.Write(header);
        }, writeBehind: true);
    }

    /// <summary>
    /// The array body of every NPY file of this writer: float64 (or, with <paramref name="float32"/>, float32: each value rounded
    /// to nearest) values in little-endian byte order, taken value by value or a row (any length) at a time; on a little-endian
    /// machine a float64 row's bytes go to the stream as they are (the stream buffers them).
    /// </summary>
    private sealed class Body(Stream s, bool float32)
    {
        private readonly byte[] _buf = new byte[8 * 8192];
        private int _len;

        public void Put(double v)
        {
            if (_len == _buf.Length) Flush();
            if (float32) { BinaryPrimitives.WriteSingleLittleEndian(_buf.AsSpan(_len, 4), (float)v); _len += 4; }
            else { BinaryPrimitives.WriteDoubleLittleEndian(_buf.AsSpan(_len, 8), v); _len += 8; }
        }

        public void PutRow(ReadOnlySpan<double> row)
        {
            if (float32 && BitConverter.IsLittleEndian)
            {
                while (row.Length > 0)
                {
                    if (_len == _buf.Length) Flush();
                    var dest = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(_buf.AsSpan(_len));
                    int m = Math.Min(row.Length, dest.Length);
                    for (int j = 0; j < m; j++) dest[j] = (float)row[j];
                    _len += 4 * m;
                    row = row[m..];
                }
                return;
            }
            if (float32 || !BitConverter.IsLittleEndian) { foreach (double v in row) Put(v); return; }
            Flush();
            s.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(row));
        }

        /// <summary>Hands the values taken one by one to the stream.</summary>
        public void Flush()
        {
            if (_len > 0) s.Write(_buf, 0, _len);
            _len = 0;
        }
    }

    /// <summary>The NPY v1.0 header bytes for a float64 (or float32) C-order array of the given shape.</summary>
    internal static byte[] Header(int rows, int cols, bool float32 = false)
    {
        string dict = $"{{'descr': '{(float32 ? "<f4" : "<f8")}', 'fortran_order': False, 'shape': ({rows}, {cols}), }}";
        int total = 10 + dict.Length + 1;
        int pad = (64 - total % 64) % 64;
        string h = dict + new string(' ', pad) + "\n";
        var bytes = new byte[10 + h.Length];
        bytes[0] = 0x93;
        Encoding.ASCII.GetBytes("NUMPY", 0, 5, bytes, 1);
        bytes[6] = 1; bytes[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8, 2), (ushort)h.Length);
        Encoding.ASCII.GetBytes(h, 0, h.Length, bytes, 10);
        return bytes;
    }
}
