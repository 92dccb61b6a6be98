namespace GlassML.Io;

/// <summary>
/// Per-atom arrays sized by what a file really contains, not by what its header announces: a reader starts with a
/// capped capacity and doubles it as atom lines arrive, so a header of 2×10⁹ atoms in a small file fails at the end of
/// the file (truncated) having allocated only for the lines it read.
/// </summary>
internal static class GrowingArrays
{
    /// <summary>Initial capacity for <paramref name="announced"/> atoms with <paramref name="columns"/> arrays: at most
    /// about 2 Mi elements in all (16 MB of doubles), at least 16 rows (or the announced count when smaller).</summary>
    public static int InitialCapacity(long announced, int columns)
    {
        long cap = Math.Max(16, (2L << 20) / Math.Max(1, columns));
        return (int)Math.Max(0, Math.Min(announced, cap));
    }

    /// <summary>As <see cref="InitialCapacity(long, int)"/>, but the announced count itself when the file can hold no more than
    /// <paramref name="mostLines"/> lines (a plain file's length over its shortest line) and the count is within that.</summary>
    public static int InitialCapacity(long announced, int columns, long? mostLines) =>
        mostLines is long most && announced <= most ? (int)Math.Min(announced, Array.MaxLength) : InitialCapacity(announced, columns);

    /// <summary>Makes <paramref name="a"/> hold at least <paramref name="count"/> elements (doubling), keeping its content.</summary>
    public static void Ensure<T>(ref T[] a, int count)
    {
        if (count <= a.Length) return;
        long next = Math.Max(count, Math.Max(16L, 2L * a.Length));
        Array.Resize(ref a, (int)Math.Min(next, Array.MaxLength));
    }

    /// <summary>Cuts <paramref name="a"/> to exactly <paramref name="count"/> elements.</summary>
    public static T[] Trim<T>(T[] a, int count)
    {
        if (a.Length != count) Array.Resize(ref a, count);
        return a;
    }
}
