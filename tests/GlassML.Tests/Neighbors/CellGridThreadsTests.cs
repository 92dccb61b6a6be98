using GlassML.Neighbors;
using GlassML.Structure;

namespace GlassML.Tests.Neighbors;

/// <summary>The cell grid built on several threads is the one-thread grid, slot for slot, and reports the same bad atom.</summary>
public class CellGridThreadsTests
{
    public static IEnumerable<object[]> Boxes()
    {
        yield return ["periodic", new Box(Vec3.Zero, new(110, 0, 0), new(0, 110, 0), new(0, 0, 110))];
        yield return ["tilted-mixed", new Box(new(-3, 1, 2), new(100, 0, 0), new(12, 105, 0), new(-8, 6, 112), true, false, true)];
    }

    [Theory]
    [MemberData(nameof(Boxes))]
    public void SeveralThreadsGiveTheOneThreadGrid(string label, Box box)
    {
        // 100,000 atoms: three ranges of atoms with three threads, two with two
        var f = Lattices.RandomGas(box, 100_000, seed: label.Length * 31, speciesCount: 2);
        // some atoms outside the box (wrapped) and on bin edges
        for (int i = 0; i < f.Count; i += 997) f.X[i] += (i % 3 - 1) * box.A.X;
        var one = new NeighborSearch.CellGrid(f, 2.7, threads: 1);
        foreach (int t in new[] { 2, 3, 0 })
            Assert.Equal(one.SortedAtoms, new NeighborSearch.CellGrid(f, 2.7, threads: t).SortedAtoms);
        var ball = new NeighborSearch(1).Ball(f, 3.1);
        NeighborListAssert.Identical(ball, new NeighborSearch(2).Ball(f, 3.1));
        NeighborListAssert.Identical(ball, new NeighborSearch(3).Ball(f, 3.1));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void TheFirstBadAtomInIndexOrderIsReported(int threads)
    {
        var box = Box.Cubic(110);
        var f = Lattices.RandomGas(box, 100_000, seed: 5, speciesCount: 2);
        // the later range's bad atom is found first by its thread; the message names the earlier one, as with one thread
        f.Y[90_000] = double.NaN;
        f.Z[40_000] = 1e9;
        var expected = Assert.Throws<ArgumentException>(() => new NeighborSearch.CellGrid(f, 2.7, threads: 1)).Message;
        Assert.Contains($"atom {f.Ids[40_000]} ", expected);
        Assert.Equal(expected, Assert.Throws<ArgumentException>(() => new NeighborSearch.CellGrid(f, 2.7, threads)).Message);
    }
}
