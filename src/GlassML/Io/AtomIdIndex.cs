namespace GlassML.Io;

/// <summary>
/// Atom id → index in file order: a table over the id range when the ids are compact (the usual 1..N in any order; no
/// hashing), else a dictionary. Lookups may run concurrently. <see cref="CheckUnique"/> checks that ids are unique
/// without building the index (a bit per id over a compact range).
/// </summary>
internal sealed class AtomIdIndex
{
    private readonly long _min;
    private readonly int[]? _table; // index + 1 at id − min; 0 = no such id
    private readonly Dictionary<long, int>? _map;

    private AtomIdIndex(long min, int[]? table, Dictionary<long, int>? map) { _min = min; _table = table; _map = map; }

    // the id range, and whether it is compact enough for a table over it
    private static bool Compact(long[] ids, out long min, out long max)
    {
        min = long.MaxValue;
        max = long.MinValue;
        foreach (long id in ids) { min = Math.Min(min, id); max = Math.Max(max, id); }
        return ids.Length > 0 && (ulong)(max - min) < (ulong)(2L * ids.Length + 16);
    }

    /// <summary>Throws at the first repeated id, naming its line (<paramref name="firstLine"/> + its index).</summary>
    public static void CheckUnique(long[] ids, LineSource src, long firstLine)
    {
        if (Compact(ids, out long min, out long max))
        {
            var bits = new ulong[((ulong)(max - min) >> 6) + 1];
            for (int i = 0; i < ids.Length; i++)
            {
                ulong k = (ulong)(ids[i] - min);
                ref ulong word = ref bits[k >> 6];
                ulong bit = 1UL << (int)(k & 63);
                if ((word & bit) != 0) throw Duplicate(ids, i, src, firstLine);
                word |= bit;
            }
            return;
        }
        var map = new Dictionary<long, int>(ids.Length);
        for (int i = 0; i < ids.Length; i++)
            if (!map.TryAdd(ids[i], i)) throw Duplicate(ids, i, src, firstLine);
    }

    /// <summary>Indexes <paramref name="ids"/>, which <see cref="CheckUnique"/> has found unique.</summary>
    public static AtomIdIndex Of(long[] ids)
    {
        if (Compact(ids, out long min, out long max))
        {
            var table = new int[max - min + 1];
            for (int i = 0; i < ids.Length; i++) table[ids[i] - min] = i + 1;
            return new AtomIdIndex(min, table, null);
        }
        var map = new Dictionary<long, int>(ids.Length);
        for (int i = 0; i < ids.Length; i++) map[ids[i]] = i;
        return new AtomIdIndex(0, null, map);
    }

    private static InputFormatException Duplicate(long[] ids, int i, LineSource src, long firstLine) =>
        src.Error(firstLine + i, $"duplicate atom id {ids[i]}");

    /// <summary>The index of atom <paramref name="id"/>, if there is one.</summary>
    public bool TryGetValue(long id, out int index)
    {
        if (_map is not null) return _map.TryGetValue(id, out index);
        ulong k = (ulong)(id - _min);
        index = k < (ulong)_table!.Length ? _table[k] - 1 : -1;
        return index >= 0;
    }
}
