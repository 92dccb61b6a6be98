using GlassML.Neighbors;
using GlassML.Structure;

namespace GlassML.Tests.Neighbors;

/// <summary>
/// <see cref="BallQuery"/> (an atom's neighbours found when asked, no list): for every atom the entries of
/// <see cref="NeighborSearch.Ball"/>'s list bit for bit, in any atom order and on any thread; and the inputs Ball refuses are refused,
/// coincident atoms with Ball's message.
/// </summary>
public class BallQueryTests
{
    public static IEnumerable<object[]> Cells() => NeighborSearchTests.Cells();

    [Theory]
    [MemberData(nameof(Cells))]
    public void EveryAtomsNeighboursAreBallsEntriesBitForBit(string label, Box box, int n, double cutoff)
    {
        var f = Lattices.RandomGas(box, n, seed: label.Length * 7919, speciesCount: 2);
        var nl = new NeighborSearch().Ball(f, cutoff);
        var q = new BallQuery(f, cutoff, threads: 2);
        Assert.Equal(cutoff, q.Cutoff);
        var buffer = new BallQuery.Buffer();
        // atoms in reverse index order (not the grid's order): the answers do not depend on the query before
        for (int i = n - 1; i >= 0; i--) AssertSame(nl, i, q, buffer);
    }

    [Fact]
    public void LongTiedListsOnSeveralThreadsAreBallsEntries()
    {
        // simple cubic lattice, cutoff 3.05 a: > 64 images per atom (the long-list sort), most distances tied exactly
        var f = Lattices.SimpleCubic(4, 2.0);
        var nl = new NeighborSearch().Ball(f, 6.1);
        var q = new BallQuery(f, 6.1, threads: 1);
        var order = Enumerable.Range(0, f.Count).ToArray();
        new Random(3).Shuffle(order);
        Parallel.For(0, 4, t =>
        {
            var buffer = new BallQuery.Buffer();
            for (int k = t; k < order.Length; k += 4) AssertSame(nl, order[k], q, buffer);
        });
    }

    [Fact]
    public void CoincidentAtomsAreRefusedWithBallsMessage_NamingTheFirstInIndexOrder()
    {
        var box = new Box(Vec3.Zero, new(10, 0, 0), new(0, 10, 0), new(0, 0, 10));
        double[] x = [1, 5, 7, 7.001, 5.0], y = [1, 5, 2, 2, 5.001], z = [1, 5, 3, 3, 5];
        var f = new Frame(box, new SpeciesTable(["A"]), [10, 20, 30, 40, 50], new int[5], x, y, z);
        var ball = Assert.Throws<ArgumentException>(() => new NeighborSearch().Ball(f, 3.0));
        var q = new BallQuery(f, 3.0, threads: 1);
        // atom 0 has no close neighbour; atom 2 (id 30) is the first whose neighbour is too close, though atom 4 is asked first
        Assert.Equal(0, q.Neighbors(0, new BallQuery.Buffer(), out _, out _, out _, out _, out _));
        var e = Assert.Throws<ArgumentException>(() => q.Neighbors(4, new BallQuery.Buffer(), out _, out _, out _, out _, out _));
        Assert.Equal(ball.Message, e.Message);
        Assert.Contains("atoms 20 and 50", e.Message);
    }

    [Fact]
    public void BadInputsAreRefusedAsByBall()
    {
        var f = Lattices.SimpleCubic(3, 2.0);
        Assert.Throws<ArgumentOutOfRangeException>(() => new BallQuery(f, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BallQuery(f, double.PositiveInfinity, 1));
        SearchBudget.MaxMemoryBytes = 1000;
        try
        {
            var ball = Assert.Throws<ArgumentException>(() => new NeighborSearch(1).Ball(f, 5));
            var query = Assert.Throws<ArgumentException>(() => new BallQuery(f, 5, 1));
            Assert.Equal(ball.Message, query.Message);
        }
        finally { SearchBudget.Reset(); }
    }

    private static void AssertSame(NeighborList nl, int i, BallQuery q, BallQuery.Buffer buffer)
    {
        int c = q.Neighbors(i, buffer, out var index, out var dx, out var dy, out var dz, out var d);
        Assert.Equal(nl.CountOf(i), c);
        int p0 = nl.Offsets[i];
        Assert.Equal(nl.IndicesOf(i).ToArray(), index.ToArray());
        Assert.Equal(Bits(nl.Dx.AsSpan(p0, c)), Bits(dx));
        Assert.Equal(Bits(nl.Dy.AsSpan(p0, c)), Bits(dy));
        Assert.Equal(Bits(nl.Dz.AsSpan(p0, c)), Bits(dz));
        Assert.Equal(Bits(nl.Distance.AsSpan(p0, c)), Bits(d));
    }

    private static long[] Bits(ReadOnlySpan<double> v)
    {
        var b = new long[v.Length];
        for (int k = 0; k < v.Length; k++) b[k] = BitConverter.DoubleToInt64Bits(v[k]);
        return b;
    }
}
