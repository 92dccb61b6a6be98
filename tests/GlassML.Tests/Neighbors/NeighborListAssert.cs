using GlassML.Neighbors;

namespace GlassML.Tests.Neighbors;

/// <summary>Bitwise equality of two neighbour lists (every array, the source and the cutoff).</summary>
internal static class NeighborListAssert
{
    public static void Identical(NeighborList expected, NeighborList actual)
    {
        Assert.Equal(expected.Offsets, actual.Offsets);
        Assert.Equal(expected.Index, actual.Index);
        Assert.Equal(expected.Dx, actual.Dx);
        Assert.Equal(expected.Dy, actual.Dy);
        Assert.Equal(expected.Dz, actual.Dz);
        Assert.Equal(expected.Distance, actual.Distance);
        Assert.Equal(expected.Source, actual.Source);
        Assert.Equal(expected.Cutoff, actual.Cutoff);
    }
}
