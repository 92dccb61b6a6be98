namespace GlassML.Io;

/// <summary>
/// Keeps a trajectory's memory independent of its number of frames (issue 20): the readers call <see cref="Collect"/> before
/// parsing each frame of a multi-frame file. The work on the previous frame (neighbour lists, tessellations, result tables) is
/// garbage by then, but the garbage collector, with memory to spare, would let it pile up over several frames; when the heap
/// has grown to more than twice what survived the last such collection (and past 64 MiB), one blocking collection returns the
/// garbage to the system. Values computed are not affected.
/// </summary>
internal static class FrameGarbage
{
    private const long Floor = 64L << 20;
    private static long _survived;

    /// <summary>Collects when the heap has more than doubled since the last collection here (and exceeds 64 MiB).</summary>
    public static void Collect()
    {
        long heap = GC.GetTotalMemory(forceFullCollection: false);
        if (heap < Floor || heap < 2 * Interlocked.Read(ref _survived)) return;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Interlocked.Exchange(ref _survived, GC.GetTotalMemory(forceFullCollection: false));
    }
}
