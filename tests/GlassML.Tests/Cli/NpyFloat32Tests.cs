using System.Buffers.Binary;
using System.Text;
using GlassML.Descriptors;
using GlassML.Io;
using GlassML.Tests.Io;
using GlassML.Structure;

namespace GlassML.Tests.Cli;

/// <summary>
/// <c>featurize --dtype float32</c>: an NPY array of <c>&lt;f4</c> values, each the float64 value rounded to the nearest float32
/// (IEEE 754 round to nearest, ties to even, as numpy's <c>astype(np.float32)</c>); other formats refuse it.
/// </summary>
[Collection("Console")]
public class NpyFloat32Tests
{
    private static (int Code, string Err) Run(params string[] args)
    {
        var (code, _, err) = CliRunner.Run(args);
        return (code, err);
    }

    // the header dict and the body of an NPY file (format 1.0)
    private static (string Dict, byte[] Body) Parse(string path)
    {
        var b = File.ReadAllBytes(path);
        int h = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(8));
        return (Encoding.ASCII.GetString(b, 10, h).TrimEnd(' ', '\n'), b[(10 + h)..]);
    }

    [Fact]
    public void Float32Values_AreRoundedToNearestEven_WithTheFloat32Header()
    {
        using var tmp = new TempDir();
        // values whose float32 rounding is known exactly (2^-24 is half a float32 ulp at 1)
        double[] v =
        [
            1 + Math.Pow(2, -24),               // a tie: to even, 1
            1 + 3 * Math.Pow(2, -24),           // a tie: to even, 1 + 2^-22
            1 + Math.Pow(2, -24) + Math.Pow(2, -40),   // just above the tie: 1 + 2^-23
            1e39,                               // beyond float32's range: +inf
            -1e39,
            Math.Pow(2, -149),                  // the smallest float32 subnormal
            Math.Pow(2, -151),                  // below half of it: +0
            -0.0, double.NaN, double.PositiveInfinity,
            0.1,                                // 0x3DCCCCCD
            -123456.789,                        // 0xC7F12065
        ];
        float[] expected =
        [
            1f, 1f + MathF.Pow(2, -22), 1f + MathF.Pow(2, -23), float.PositiveInfinity, float.NegativeInfinity,
            BitConverter.Int32BitsToSingle(1), 0f, -0f, float.NaN, float.PositiveInfinity,
            BitConverter.Int32BitsToSingle(0x3DCCCCCD), BitConverter.Int32BitsToSingle(unchecked((int)0xC7F12065)),
        ];
        int n = v.Length;
        var frame = new Frame(Box.Cubic(10), new SpeciesTable(["Cu"]), [.. Enumerable.Range(0, n).Select(i => (long)(n - i))],
            new int[n], [.. Enumerable.Range(0, n).Select(i => i * 0.5)], new double[n], new double[n]);   // ids in reverse: rows sorted by id
        var feats = new PerAtomFeatures(["a", "b"], n, [.. v.SelectMany((x, i) => new[] { x, i })]);
        string path = tmp.File("f4.npy");
        NpyWriter.WriteBlocks(path, [(frame, [feats]), (frame, [feats])], frameColumn: true, float32: true);
        var (dict, body) = Parse(path);
        Assert.Equal($"{{'descr': '<f4', 'fortran_order': False, 'shape': ({2 * n}, 3), }}", dict);
        Assert.Equal(4 * 2 * n * 3, body.Length);
        for (int k = 0; k < 2; k++)
            for (int r = 0; r < n; r++)
            {
                int i = n - 1 - r, at = 12 * (k * n + r);
                Assert.Equal(k, BinaryPrimitives.ReadSingleLittleEndian(body.AsSpan(at)));
                Assert.Equal(BitConverter.SingleToInt32Bits(expected[i]), BinaryPrimitives.ReadInt32LittleEndian(body.AsSpan(at + 4)));
                Assert.Equal(i, BinaryPrimitives.ReadSingleLittleEndian(body.AsSpan(at + 8)));
            }
    }

    [Fact]
    public void FeaturizeFloat32_IsTheFloat64OutputRounded_AndOtherFormatsRefuseIt()
    {
        using var tmp = new TempDir();
        string glass = tmp.File("g.data.gz");
        File.Copy(Fixtures.Path("glass-s1", "s1_cu50zr50_500.data.gz"), glass);
        string f8 = tmp.File("f8.npy"), f4 = tmp.File("f4.npy");
        string[] common = ["featurize", glass, "--types", "1:Cu,2:Zr", "--features", "voronoi,steinhardt", "--threads", "2"];
        var (code, err) = Run([.. common, "--out", f8]);
        Assert.True(code == 0, err);
        (code, err) = Run([.. common, "--dtype", "float32", "--out", f4]);
        Assert.True(code == 0, err);
        var (d8, b8) = Parse(f8);
        var (d4, b4) = Parse(f4);
        Assert.Contains("'<f8'", d8);
        Assert.Equal(d8.Replace("'<f8'", "'<f4'"), d4);
        Assert.Equal(b8.Length / 2, b4.Length);
        int mismatches = 0, inexact = 0;
        for (int j = 0; j < b4.Length / 4; j++)
        {
            double x = BinaryPrimitives.ReadDoubleLittleEndian(b8.AsSpan(8 * j));
            float y = BinaryPrimitives.ReadSingleLittleEndian(b4.AsSpan(4 * j));
            if (BitConverter.SingleToInt32Bits((float)x) != BitConverter.SingleToInt32Bits(y)) mismatches++;
            if (y != x) inexact++;
        }
        Assert.Equal(0, mismatches);
        Assert.True(inexact > 0);   // the values were rounded, not float32 already
        foreach (var (args, text) in new (string[], string)[]
        {
            ([.. common, "--dtype", "float32", "--out", tmp.File("x.csv")], "only an NPY output"),
            ([.. common, "--dtype", "float16", "--out", tmp.File("y.npy")], "--dtype: 'float16'"),
        })
        {
            (code, err) = Run(args);
            Assert.Equal(2, code);
            Assert.StartsWith("glassml: error: ", err);
            Assert.Contains(text, err);
        }
        Assert.False(File.Exists(tmp.File("x.csv")));
        Assert.False(File.Exists(tmp.File("y.npy")));
    }
}
