using GlassML.Io;
using GlassML.Structure;

namespace GlassML.Tests.Io;

/// <summary>
/// <see cref="WriterSupport.SharedOrderById"/> gives the order last made for the same ids array again (a streamed table and its
/// writer share one sort), but only while it still orders those ids: after the ids change, or for another array, it is made afresh,
/// and it is always <see cref="WriterSupport.OrderById"/>'s order.
/// </summary>
public class SharedIdOrderTests
{
    [Fact]
    public void TheSameIdsShareOneOrderAndChangedIdsGetANewOne()
    {
        var f = DemoGlass.Load();
        var ids = Enumerable.Range(1, f.Count).Select(i => (long)i).ToArray();
        new Random(7).Shuffle(ids);
        var frame = new Frame(f.Box, f.Species, ids, f.SpeciesIndex, f.X, f.Y, f.Z, f.Timestep);
        var first = WriterSupport.SharedOrderById(frame);
        Assert.Equal(WriterSupport.OrderById(frame), first);
        // another Frame over the same arrays (as PerAtomOutput.WithoutColumns makes): the same array
        var view = new Frame(f.Box, f.Species, ids, f.SpeciesIndex, f.X, f.Y, f.Z, f.Timestep);
        Assert.Same(first, WriterSupport.SharedOrderById(view));
        // the ids changed in place: the shared order no longer orders them, a new one is made
        (ids[first[0]], ids[first[^1]]) = (ids[first[^1]], ids[first[0]]);
        var second = WriterSupport.SharedOrderById(frame);
        Assert.NotSame(first, second);
        Assert.Equal(WriterSupport.OrderById(frame), second);
        // a copy of the ids (another array): its own order, equal in value
        var copy = new Frame(f.Box, f.Species, (long[])ids.Clone(), f.SpeciesIndex, f.X, f.Y, f.Z, f.Timestep);
        var third = WriterSupport.SharedOrderById(copy);
        Assert.NotSame(second, third);
        Assert.Equal(second, third);
    }

    [Fact]
    public void RepeatedIdsAreOrderedStablyEveryTime()
    {
        var f = DemoGlass.Load();
        var ids = Enumerable.Range(0, f.Count).Select(i => (long)(i % 100)).ToArray();
        var frame = new Frame(f.Box, f.Species, ids, f.SpeciesIndex, f.X, f.Y, f.Z, f.Timestep);
        var a = WriterSupport.SharedOrderById(frame);
        var b = WriterSupport.SharedOrderById(frame);
        Assert.Equal(WriterSupport.OrderById(frame), a);
        Assert.Equal(a, b);
    }
}
