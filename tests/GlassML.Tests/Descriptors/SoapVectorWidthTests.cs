using System.Runtime.Intrinsics;
using GlassML.Descriptors;

namespace GlassML.Tests.Descriptors;

/// <summary>
/// SOAP's kernels give the same bits at every vector width: <see cref="SmallGemm"/> (Vector512 blocks of four and eight rows
/// where accelerated, Vector256 blocks otherwise) against one scalar fused multiply–add chain per output in ascending inner
/// order, the eight-lane exponential against the four-lane one, and the whole power spectrum with the wide kernels allowed and
/// not. On a machine without Vector512 both widths take the Vector256 path and the comparisons with the scalar chain remain.
/// (Fused multiply–adds: the x86-64-v3 baseline of this project.) In the "Alone" collection: the width is a static switch.
/// </summary>
[Collection("Alone")]
public class SoapVectorWidthTests
{
    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(12)]
    [InlineData(20)]
    [InlineData(24)]
    public unsafe void SmallGemm_EveryOutputIsTheAscendingFusedChain_AtEveryWidth(int cols)
    {
        var rnd = new Random(cols);
        foreach (int rows in new[] { 1, 2, 3, 4, 5, 7, 8, 9, 11, 13, 16, 17, 25 })
        foreach (int inner in new[] { 1, 3, 80 })
        foreach (bool transposed in new[] { false, true })
        {
            int ldb = cols + 4, ldc = cols + 8;
            // A is rows × inner, read as A[r·ars + i·ais]; one row more than used (a group of three rows runs as four)
            nint ars = transposed ? 1 : inner, ais = transposed ? rows + 1 : 1;
            var a = new double[(rows + 1) * inner];
            var b = new double[inner * ldb];
            for (int k = 0; k < a.Length; k++) a[k] = rnd.NextDouble() * 2 - 1;
            for (int k = 0; k < b.Length; k++) b[k] = rnd.NextDouble() * 2 - 1;
            var expected = new double[rows * cols];
            for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
            {
                double acc = 0;
                for (int i = 0; i < inner; i++) acc = Math.FusedMultiplyAdd(a[r * ars + i * ais], b[i * ldb + c], acc);
                expected[r * cols + c] = acc;
            }
            try
            {
                foreach (int bits in new[] { 512, 256 })
                {
                    SmallGemm.VectorBits = bits;
                    var cm = new double[(rows + 1) * ldc];
                    fixed (double* pa = a, pb = b, pc = cm) SmallGemm.Rows(pa, ars, ais, pb, ldb, pc, ldc, rows, cols, inner);
                    for (int r = 0; r < rows; r++)
                    for (int c = 0; c < cols; c++)
                        Assert.True(BitConverter.DoubleToInt64Bits(expected[r * cols + c]) == BitConverter.DoubleToInt64Bits(cm[r * ldc + c]),
                            $"{bits} bits, {rows} × {cols} × {inner}{(transposed ? " (Aᵀ)" : "")}: C[{r},{c}] = {cm[r * ldc + c]:R}, expected {expected[r * cols + c]:R}");
                }
            }
            finally
            {
                SmallGemm.VectorBits = 512;
            }
        }
    }

    [Fact]
    public void ExpNonPositive_EightLanesEqualFourLanes()
    {
        var rnd = new Random(5);
        var xs = new List<double> { 0, -0.0, -1e-300, -0.5, -Math.Log(2) / 2, -707.9, -708, -708.5, -745, -1e6, double.NegativeInfinity };
        for (int k = 0; k < 4000; k++) xs.Add(-rnd.NextDouble() * Math.Pow(10, rnd.Next(-6, 3)));
        while (xs.Count % 8 != 0) xs.Add(-1);
        for (int k = 0; k < xs.Count; k += 8)
        {
            var wide = VectorMath.ExpNonPositive(Vector512.Create(xs.GetRange(k, 8).ToArray()));
            for (int h = 0; h < 2; h++)
            {
                var narrow = VectorMath.ExpNonPositive(Vector256.Create(xs.GetRange(k + 4 * h, 4).ToArray()));
                for (int q = 0; q < 4; q++)
                    Assert.Equal(BitConverter.DoubleToInt64Bits(narrow[q]), BitConverter.DoubleToInt64Bits(wide[4 * h + q]));
            }
            for (int q = 0; q < 8; q++)
            {
                double x = xs[k + q], e = wide[q];
                if (x < -708) Assert.Equal(0.0, e);
                else Assert.True(Math.Abs(e - Math.Exp(x)) <= 1e-15 * Math.Exp(x), $"exp({x:R}) = {e:R}, Math.Exp {Math.Exp(x):R}");
            }
        }
    }

    [Theory]
    [InlineData(8, 6)]
    [InlineData(11, 12)]
    [InlineData(12, 9)]
    public void Soap_IsBitIdenticalAtEveryVectorWidth(int nmax, int lmax)
    {
        var glass = SoapTestData.Glass;
        var options = new SoapOptions { RCut = 5, NMax = nmax, LMax = lmax, Sigma = 0.5, Species = ["Cu", "Zr"], Threads = 1 };
        try
        {
            SmallGemm.VectorBits = 512;
            var wide = new Soap(options).Compute(glass).Values;
            SmallGemm.VectorBits = 256;
            var narrow = new Soap(options).Compute(glass).Values;
            Assert.Equal(narrow.Length, wide.Length);
            Assert.Contains(wide, v => v != 0);
            for (int k = 0; k < wide.Length; k++)
                if (BitConverter.DoubleToInt64Bits(wide[k]) != BitConverter.DoubleToInt64Bits(narrow[k]))
                    Assert.Fail($"value {k}: {wide[k]:R} with Vector512, {narrow[k]:R} with Vector256");
        }
        finally
        {
            SmallGemm.VectorBits = 512;
        }
    }
}
