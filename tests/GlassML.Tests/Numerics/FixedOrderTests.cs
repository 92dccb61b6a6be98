using GlassML.Numerics;

namespace GlassML.Tests.Numerics;

/// <summary>
/// The fixed summation order of <see cref="FixedOrder"/>, written out here in plain scalar arithmetic (no vectors, so the
/// same on every processor): results equal it bit for bit for every length, so models trained with it are the same file
/// on an AVX2 and an AVX-512 machine (TensorPrimitives.Dot fails this on AVX-512, where it adds eight lanes at a time).
/// </summary>
public class FixedOrderTests
{
    // 16 partial sums s[k][lane] over blocks of 16, folded to 4 lanes, then whole blocks of 4, lanes pairwise, then the rest
    private static double Reference(double[] a, double[] b, Func<double, double, double> term)
    {
        int n = a.Length, i = 0;
        var lane = new double[4];
        if (n >= 16)
        {
            var s = new double[4, 4];
            for (; i <= n - 16; i += 16)
                for (int k = 0; k < 4; k++)
                    for (int l = 0; l < 4; l++) s[k, l] += term(a[i + 4 * k + l], b[i + 4 * k + l]);
            for (int l = 0; l < 4; l++) lane[l] = (s[0, l] + s[1, l]) + (s[2, l] + s[3, l]);
        }
        for (; i <= n - 4; i += 4)
            for (int l = 0; l < 4; l++) lane[l] += term(a[i + l], b[i + l]);
        double sum = (lane[0] + lane[1]) + (lane[2] + lane[3]);
        for (; i < n; i++) sum += term(a[i], b[i]);
        return sum;
    }

    private static (double[] A, double[] B) Data(int n, int seed)
    {
        var r = new Random(seed);
        var a = new double[n];
        var b = new double[n];
        // magnitudes over many decades so that any other order of additions changes the last bits
        for (int i = 0; i < n; i++)
        {
            a[i] = (r.NextDouble() - 0.5) * Math.Pow(10, r.Next(-6, 7));
            b[i] = (r.NextDouble() - 0.5) * Math.Pow(10, r.Next(-6, 7));
        }
        return (a, b);
    }

    [Fact]
    public void DotAndSquaredDistanceFollowTheDocumentedOrderBitForBit()
    {
        int differsFromSequential = 0;
        for (int n = 0; n <= 150; n++)
        {
            var (a, b) = Data(n, n + 1);
            Assert.Equal(BitConverter.DoubleToInt64Bits(Reference(a, b, (x, y) => x * y)), BitConverter.DoubleToInt64Bits(FixedOrder.Dot(a, b)));
            Assert.Equal(BitConverter.DoubleToInt64Bits(Reference(a, b, (x, y) => (x - y) * (x - y))),
                         BitConverter.DoubleToInt64Bits(FixedOrder.SquaredDistance(a, b)));
            Assert.Equal(BitConverter.DoubleToInt64Bits(Math.Sqrt(Reference(a, a, (x, y) => x * y))), BitConverter.DoubleToInt64Bits(FixedOrder.Norm(a)));
            double seq = 0;
            for (int i = 0; i < n; i++) seq += a[i] * b[i];
            if (seq != FixedOrder.Dot(a, b)) differsFromSequential++;
        }
        // the data are such that the order matters: a plain left-to-right sum differs for most lengths
        Assert.True(differsFromSequential > 75, $"{differsFromSequential}");
    }

    [Fact]
    public void SpansOfDifferentLengthsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => FixedOrder.Dot(new double[3], new double[4]));
        Assert.Throws<ArgumentException>(() => FixedOrder.SquaredDistance(new double[3], new double[2]));
    }
}
