using GlassML.Neighbors;
using GlassML.Structure;

namespace GlassML.Tests.Neighbors;

/// <summary>Cell-list search against an O(N²) brute force over every periodic image.</summary>
public class NeighborSearchTests
{
    /// <summary>All images j (and images of i itself, not the zero shift) within r: (index, dx, dy, dz, d) sorted.</summary>
    internal static List<(int j, double dx, double dy, double dz, double d)> Brute(Frame f, int i, double r)
    {
        var box = f.Box;
        var pd = box.PlaneDistances;
        int ma = box.Periodic[0] ? (int)Math.Ceiling(r / pd.X) + 1 : 0;
        int mb = box.Periodic[1] ? (int)Math.Ceiling(r / pd.Y) + 1 : 0;
        int mc = box.Periodic[2] ? (int)Math.Ceiling(r / pd.Z) + 1 : 0;
        var res = new List<(int, double, double, double, double)>();
        var ri = box.Wrap(f.Position(i));
        for (int j = 0; j < f.Count; j++)
        {
            var rj = box.Wrap(f.Position(j));
            for (int a = -ma; a <= ma; a++)
            for (int b = -mb; b <= mb; b++)
            for (int c = -mc; c <= mc; c++)
            {
                if (j == i && a == 0 && b == 0 && c == 0) continue;
                var d = rj + box.ShiftVector(a, b, c) - ri;
                double len = d.Length;
                if (len < r) res.Add((j, d.X, d.Y, d.Z, len));
            }
        }
        res.Sort((p, q) => p.Item5 != q.Item5 ? p.Item5.CompareTo(q.Item5) : p.Item1.CompareTo(q.Item1));
        return res;
    }

    public static IEnumerable<object[]> Cells()
    {
        // (label, box, atoms, cutoff)
        yield return ["cubic", new Box(Vec3.Zero, new(12, 0, 0), new(0, 12, 0), new(0, 0, 12)), 300, 3.8];
        yield return ["orthorhombic-thin", new Box(new(-1, 2, 0.5), new(20, 0, 0), new(0, 5, 0), new(0, 0, 9)), 120, 4.9];
        yield return ["thinner-than-cutoff", new Box(Vec3.Zero, new(3, 0, 0), new(0, 4, 0), new(0, 0, 2.5)), 8, 5.7];
        yield return ["lammps-tilted", new Box(Vec3.Zero, new(10, 0, 0), new(4.5, 9, 0), new(-4, 3.5, 8)), 200, 4.0];
        yield return ["general-rotated", new Box(new(1, 1, 1), new(6, 1, -1), new(-2, 7, 0.5), new(1.5, -2, 6.5)), 60, 4.5];
        yield return ["tilted-thin", new Box(Vec3.Zero, new(4, 0, 0), new(3.9, 3, 0), new(3.5, -2.9, 2.2)), 5, 5.5];
        yield return ["mixed-pbc", new Box(Vec3.Zero, new(10, 0, 0), new(2, 10, 0), new(1, 1, 10), true, false, true), 150, 3.5];
        // six bins per axis: queries from neighbouring interior bins reuse a moved stencil
        yield return ["many-interior-bins", new Box(Vec3.Zero, new(24, 0, 0), new(3, 23, 0), new(-2, 2, 24)), 1200, 3.8];
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void BallEqualsBruteForce(string label, Box box, int n, double cutoff)
    {
        var f = Lattices.RandomGas(box, n, seed: label.Length * 7919, speciesCount: 2);
        var nl = new NeighborSearch().Ball(f, cutoff);
        Assert.Equal(n, nl.AtomCount);
        for (int i = 0; i < n; i++)
        {
            var bf = Brute(f, i, cutoff);
            Assert.True(bf.Count == nl.CountOf(i), $"{label}: atom {i}: {nl.CountOf(i)} neighbours, brute force {bf.Count}");
            for (int q = 0; q < bf.Count; q++)
            {
                int p = nl.Offsets[i] + q;
                Assert.Equal(bf[q].d, nl.Distance[p], 1e-10);
                var dv = new Vec3(nl.Dx[p], nl.Dy[p], nl.Dz[p]);
                Assert.Equal(nl.Distance[p], dv.Length, 1e-12);
                if (q > 0) Assert.True(nl.Distance[p - 1] <= nl.Distance[p]);
            }
            // same multiset of (neighbour, displacement) regardless of the order of exact ties
            var a = bf.Select(t => (t.j, Math.Round(t.dx, 8), Math.Round(t.dy, 8), Math.Round(t.dz, 8))).OrderBy(t => t).ToList();
            var b = Enumerable.Range(nl.Offsets[i], nl.CountOf(i)).Select(p => (nl.Index[p], Math.Round(nl.Dx[p], 8), Math.Round(nl.Dy[p], 8), Math.Round(nl.Dz[p], 8))).OrderBy(t => t).ToList();
            Assert.Equal(a, b);
        }
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void NearestEqualsBruteForce(string label, Box box, int n, double cutoff)
    {
        _ = cutoff;
        var f = Lattices.RandomGas(box, n, seed: label.Length * 104729, speciesCount: 1);
        foreach (int k in new[] { 1, 6, 14 })
        {
            var nl = new NeighborSearch().Nearest(f, k);
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(k, nl.CountOf(i));
                double dk = nl.Distance[nl.Offsets[i + 1] - 1];
                var bf = Brute(f, i, dk * (1 + 1e-9) + 1e-12);
                Assert.True(bf.Count >= k, $"{label} k={k} atom {i}: brute force found only {bf.Count} within the k-th distance");
                for (int q = 0; q < k; q++) Assert.Equal(bf[q].d, nl.Distance[nl.Offsets[i] + q], 1e-10);
                // no atom strictly closer than the k-th distance is missing
                Assert.True(bf.Count(t => t.d < dk - 1e-9) <= k);
            }
        }
    }

    [Fact]
    public void NearestWithExactTiesIsDeterministicAndComplete()
    {
        // simple cubic lattice: 6 first neighbours at exactly a, 12 at a√2 — ask for 10 (tie at the 7..18th)
        var f = Lattices.SimpleCubic(4, 2.0);
        var nl = new NeighborSearch().Nearest(f, 10);
        for (int i = 0; i < f.Count; i++)
        {
            var d = nl.DistancesOf(i);
            for (int q = 0; q < 6; q++) Assert.Equal(2.0, d[q], 1e-12);
            for (int q = 6; q < 10; q++) Assert.Equal(2.0 * Math.Sqrt(2), d[q], 1e-12);
            // ties broken by neighbour index: the chosen second-shell indices are the smallest ones
            var second = Brute(f, i, 2.9).Where(t => t.d > 2.5).Select(t => t.j).OrderBy(j => j).ToList();
            var chosen = nl.IndicesOf(i)[6..].ToArray().OrderBy(j => j).ToList();
            Assert.Equal(second.Take(4).ToList(), chosen);
        }
    }

    [Fact]
    public void LongListsWithExactTiesAreInTheFullOrderAndForEachBallMatches()
    {
        // simple cubic lattice, cutoff 3.05 a: ~120 images per atom (the O(n log n) sort), most distances tied exactly
        var f = Lattices.SimpleCubic(4, 2.0);
        var nl = new NeighborSearch().Ball(f, 6.1);
        int ties = 0;
        for (int i = 0; i < f.Count; i++)
        {
            Assert.True(nl.CountOf(i) > 64, $"atom {i}: {nl.CountOf(i)} neighbours (the long-list sort is not exercised)");
            var got = Enumerable.Range(nl.Offsets[i], nl.CountOf(i)).Select(p => (nl.Distance[p], nl.Index[p], nl.Dx[p], nl.Dy[p], nl.Dz[p])).ToList();
            var want = got.OrderBy(t => t.Item1).ThenBy(t => t.Item2).ThenBy(t => t.Item3).ThenBy(t => t.Item4).ThenBy(t => t.Item5).ToList();
            Assert.Equal(want, got);
            for (int q = 1; q < got.Count; q++) if (got[q].Item1 == got[q - 1].Item1) ties++;
        }
        Assert.True(ties > 1000, $"only {ties} exact ties");
        // the list-free visit gives the same neighbours, order and distances
        new NeighborSearch(2).ForEachBall(f, 6.1, (i, idx, dist) =>
        {
            Assert.Equal(nl.IndicesOf(i).ToArray(), idx.ToArray());
            Assert.Equal(nl.DistancesOf(i).ToArray(), dist.ToArray());
        });
    }

    [Fact]
    public void ResultIsIdenticalForAnyThreadCount()
    {
        var f = Lattices.RandomGas(new Box(Vec3.Zero, new(30, 0, 0), new(5, 28, 0), new(-3, 4, 29)), 20000, seed: 5, speciesCount: 2);
        var a = new NeighborSearch(threads: 1).Ball(f, 4.0);
        var b = new NeighborSearch(threads: 2).Ball(f, 4.0);
        var c = new NeighborSearch(threads: 0).Ball(f, 4.0);
        foreach (var o in new[] { b, c }) NeighborListAssert.Identical(a, o);
    }

    [Fact]
    public void FccFirstShellHasTwelveAtTheNearestNeighbourDistance()
    {
        double a = 3.6;
        var f = Lattices.Fcc(3, a);
        var nl = new NeighborSearch().Ball(f, a / Math.Sqrt(2) * 1.1);
        for (int i = 0; i < f.Count; i++)
        {
            Assert.Equal(12, nl.CountOf(i));
            foreach (var d in nl.DistancesOf(i)) Assert.Equal(a / Math.Sqrt(2), d, 1e-12);
        }
    }

    [Fact]
    public void NeighbourRelationIsSymmetric()
    {
        var f = Lattices.RandomGas(new Box(Vec3.Zero, new(9, 0, 0), new(3, 8, 0), new(2, -2, 7)), 150, seed: 3);
        var nl = new NeighborSearch().Ball(f, 5.0);
        var set = new HashSet<(int, int, long, long, long)>();
        for (int i = 0; i < f.Count; i++)
            for (int p = nl.Offsets[i]; p < nl.Offsets[i + 1]; p++)
                set.Add((i, nl.Index[p], (long)Math.Round(nl.Dx[p] * 1e6), (long)Math.Round(nl.Dy[p] * 1e6), (long)Math.Round(nl.Dz[p] * 1e6)));
        foreach (var (i, j, x, y, z) in set) Assert.Contains((j, i, -x, -y, -z), set);
    }

    [Fact]
    public void FlatNonPeriodicClusterIsFastAndComplete()
    {
        // all atoms in one plane of a non-periodic box: the flat axis has zero extent
        var box = new Box(Vec3.Zero, new(20, 0, 0), new(0, 20, 0), new(0, 0, 20), false, false, false);
        var x = new double[] { 1, 2, 3, 4, 5 }; var y = new double[] { 1, 1, 2, 3, 1 }; var z = new double[] { 7, 7, 7, 7, 7 };
        var f = new Frame(box, new SpeciesTable(["A"]), [1, 2, 3, 4, 5], new int[5], x, y, z);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var nl = new NeighborSearch().Ball(f, 3.0);
        Assert.True(sw.Elapsed.TotalSeconds < 5, "a flat cluster must not blow up the stencil");
        for (int i = 0; i < 5; i++) Assert.Equal(Brute(f, i, 3.0).Count, nl.CountOf(i));
    }

    [Fact]
    public void InvalidArgumentsAreRejected()
    {
        var f = Lattices.SimpleCubic(2, 2.0);
        Assert.Throws<ArgumentOutOfRangeException>(() => new NeighborSearch().Ball(f, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NeighborSearch().Ball(f, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NeighborSearch().Nearest(f, 0));
        f.X[3] = double.NaN;
        Assert.Throws<ArgumentException>(() => new NeighborSearch().Ball(f, 2.5));
    }
}
