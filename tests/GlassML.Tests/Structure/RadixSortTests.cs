using GlassML.Structure;
using Xunit;

namespace GlassML.Tests.Structure;

public class RadixSortTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(70)]
    [InlineData(5000)]
    public void SortsLikeArraySortAndIsStable(int n)
    {
        var rng = new Random(n + 3);
        var keys = new ulong[n];
        for (int i = 0; i < n; i++)
            keys[i] = i % 3 == 0 ? (ulong)rng.Next(40) : BitConverter.DoubleToUInt64Bits(10 * rng.NextDouble()) ^ ((ulong)rng.Next() << 40);
        var items = new int[n];
        for (int i = 0; i < n; i++) items[i] = i;
        var k = (ulong[])keys.Clone(); var it = (int[])items.Clone();
        RadixSort.Sort(k, it, new ulong[n + 2], new int[n + 2]);
        var expect = (ulong[])keys.Clone();
        Array.Sort(expect);
        Assert.Equal(expect, k);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(keys[it[i]], k[i]);
            if (i > 0 && k[i] == k[i - 1]) Assert.True(it[i] > it[i - 1], "ties keep their input order");
        }
    }

    [Fact]
    public void OrderOfDistinctIdsIsArraySortsAndTiesFallBackToIt()
    {
        var rng = new Random(11);
        var ids = Enumerable.Range(0, 3000).Select(i => (long)i * 7919 % 3001 - 1500 + (i % 5 == 0 ? -(1L << 40) : 0)).ToArray();
        Assert.Equal(ids.Length, ids.Distinct().Count());
        Assert.Equal(ArraySortOrder(ids), RadixSort.Order(ids));
        var dup = Enumerable.Range(0, 500).Select(_ => (long)rng.Next(100)).ToArray();
        Assert.Equal(ArraySortOrder(dup), RadixSort.Order(dup));
        Assert.Equal(new[] { 1, 2, 0 }, RadixSort.Order(new long[] { long.MaxValue, long.MinValue, -1 }));
    }

    private static int[] ArraySortOrder(long[] ids)
    {
        var k = (long[])ids.Clone();
        var o = Enumerable.Range(0, ids.Length).ToArray();
        Array.Sort(k, o);
        return o;
    }
}
