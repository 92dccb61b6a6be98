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
            s.Write(Header(rows, cols));
            var buf = new byte[8 * 8192];
            for (long i = 0; i < values.Length;)
            {
                int k = (int)Math.Min(8192, values.Length - i);
                for (int j = 0; j < k; j++) BinaryPrimitives.WriteDoubleLittleEndian(buf.AsSpan(8 * j, 8), values[i + j]);
                s.Write(buf, 0, 8 * k);
                i += k;
            }
        });
    }

    /// <summary>Writes the N × F feature matrix, rows in frame order.</summary>
    public static void Write(string path, PerAtomFeatures features) =>
        Write(path, features.Values, features.AtomCount, features.FeatureCount);

    /// <summary>Writes the N × F feature matrix with rows sorted by atom id (the row order of <see cref="CsvWriter"/>).</summary>
    /// <exception cref="ArgumentException">Feature block of another size than the frame.</exception>
    public static void Write(string path, Frame frame, PerAtomFeatures features)
    {
        WriterSupport.CheckFeatures(frame, features);
        var order = WriterSupport.OrderById(frame);
        int nf = features.FeatureCount;
        var v = new double[features.Values.Length];
        for (int r = 0; r < order.Length; r++) Array.Copy(features.Values, (long)order[r] * nf, v, (long)r * nf, nf);
        Write(path, v, frame.Count, nf);
    }

    /// <summary>
    /// Several frames in one array of (ΣN) × (1 + F): the frames one after the other in the given order, each frame's rows
    /// sorted by atom id; column 0 is the frame's position in <paramref name="frames"/> (0-based), then the F features.
    /// </summary>
    /// <exception cref="ArgumentException">No frames, a feature block of another size than its frame, or blocks of different widths.</exception>
    public static void Write(string path, IReadOnlyList<(Frame Frame, PerAtomFeatures Features)> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (frames.Count == 0) throw new ArgumentException("no frames to write");
        int nf = frames[0].Features.FeatureCount, w = nf + 1;
        long rows = 0;
        foreach (var (frame, features) in frames)
        {
            WriterSupport.CheckFeatures(frame, features);
            if (features.FeatureCount != nf) throw new ArgumentException("the frames' feature blocks have different widths");
            rows += frame.Count;
        }
        var v = new double[checked(rows * w)];
        long r = 0;
        for (int k = 0; k < frames.Count; k++)
        {
            var (frame, features) = frames[k];
            foreach (int i in WriterSupport.OrderById(frame))
            {
                v[r * w] = k;
                Array.Copy(features.Values, (long)i * nf, v, r * w + 1, nf);
                r++;
            }
        }
        Write(path, v, checked((int)rows), w);
    }

    /// <summary>The NPY v1.0 header bytes for a float64 C-order array of the given shape.</summary>
    internal static byte[] Header(int rows, int cols)
    {
        string dict = $"{{'descr': '<f8', 'fortran_order': False, 'shape': ({rows}, {cols}), }}";
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
