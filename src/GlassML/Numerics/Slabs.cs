namespace GlassML.Numerics;

/// <summary>
/// Sizing and allocation of slabs: large arrays into which one worker appends the records (Voronoi faces, vertices,
/// neighbour pairs) of every chunk of atoms it handles, one contiguous run per chunk, so that no chunk needs an array of
/// its own. An exact-size copy per chunk costs a copy, a fresh small array and, in a virtual machine, a page fault per
/// 4 KiB (≈ 9 % of a one-shot 262,144-atom <c>featurize --features voronoi</c>); a slab is written once, in place, a huge
/// page at a time (<see cref="HugePages"/>). A slab is sized from the records expected of the worker's share of the atoms,
/// so that one slab per worker usually holds them all, with a cap so that a large frame takes a few slabs rather than one
/// over-estimated block; what a slab leaves unwritten is never touched and costs no memory.
/// </summary>
internal static class Slabs
{
    /// <summary>Largest planned capacity (records) of one slab.</summary>
    public const int MaxRecords = 1 << 22;

    /// <summary>
    /// The planned capacity of a worker's slabs: <paramref name="perAtom"/> records for each of its
    /// <paramref name="atoms"/>, plus one eighth, at least 64 and at most <see cref="MaxRecords"/>.
    /// </summary>
    public static int Capacity(double perAtom, long atoms) =>
        (int)Math.Clamp(Math.Ceiling(perAtom * atoms * 1.125), 64, MaxRecords);

    /// <summary>
    /// Capacity of the slab that a run of <paramref name="run"/> records moves to when its slab fills: the planned
    /// capacity, or twice the run when that is more (a run must fit in one slab).
    /// </summary>
    public static int Next(int planned, int run) => (int)Math.Min(Array.MaxLength, Math.Max(planned, 2L * run));

    /// <summary>A slab column of ints: not zeroed (every record is written before it is read), advised huge pages.</summary>
    public static int[] Ints(int capacity) => HugePages.NewInts(capacity);

    /// <summary>A slab column of bytes: not zeroed (every record is written before it is read), advised huge pages.</summary>
    public static byte[] Bytes(int capacity) => HugePages.NewBytes(capacity);

    /// <summary>A slab column of doubles: not zeroed (every record is written before it is read), advised huge pages.</summary>
    public static double[] Doubles(int capacity) => HugePages.NewDoubles(capacity);
}
