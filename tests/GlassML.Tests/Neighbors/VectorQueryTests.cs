using GlassML.Neighbors;
using GlassML.Structure;
using GlassML.Voronoi;

namespace GlassML.Tests.Neighbors;

/// <summary>
/// The cell grid's four-slots-at-a-time query gives the scalar loop's entries, order and bits: neighbour lists and Voronoi
/// tessellations built both ways are identical. Runs alone because it switches the query process-wide.
/// </summary>
[Collection("Alone")]
public class VectorQueryTests
{
    public static IEnumerable<object[]> Cases()
    {
        // a dense gas in a periodic box (the last slots of the grid take the scalar tail), a tilted box with an open axis,
        // a box thinner than the cutoff (several images of one atom, the atom's own images) and a crystal (ties in distance)
        yield return ["periodic", Lattices.RandomGas(Box.Cubic(30), 2_000, seed: 3, speciesCount: 2), 5.2];
        yield return ["tilted-open", Lattices.RandomGas(new Box(new(-3, 1, 2), new(20, 0, 0), new(3, 21, 0), new(-2, 1, 22), true, false, true), 1_000, seed: 4, speciesCount: 2), 4.1];
        yield return ["thin", Lattices.RandomGas(Box.Cubic(6), 13, seed: 5), 7.5];
        yield return ["fcc", Lattices.Fcc(5, 3.61), 5.0];
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void VectorAndScalarQueriesGiveTheSameLists(string label, Frame frame, double cutoff)
    {
        Assert.NotEmpty(label);
        var (vector, vectorCells) = Both(frame, cutoff, vectorQuery: true);
        var (scalar, scalarCells) = Both(frame, cutoff, vectorQuery: false);
        Assert.True(vector.PairCount > frame.Count);
        NeighborListAssert.Identical(scalar, vector);
        Assert.True(vectorCells.FaceCount > frame.Count);
        Assert.Equal(GlassML.Tests.Voronoi.VoronoiHashTests.Hash(scalarCells), GlassML.Tests.Voronoi.VoronoiHashTests.Hash(vectorCells));
    }

    private static (NeighborList, VoronoiResult) Both(Frame frame, double cutoff, bool vectorQuery)
    {
        try
        {
            NeighborSearch.CellGrid.VectorQuery = vectorQuery;
            return (new NeighborSearch(1).Ball(frame, cutoff), new VoronoiTessellation(new VoronoiOptions { Threads = 1 }).Compute(frame));
        }
        finally
        {
            NeighborSearch.CellGrid.VectorQuery = true;
        }
    }
}
