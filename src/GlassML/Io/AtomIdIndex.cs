namespace GlassML.Io;

/// <summary>
/// Atom id → index in file order, built while checking that ids are unique: a table over the id range when the ids are
/// compact (the usual 1..N in any order; no hashing), else a dictionary. Lookups may run concurrently.
/// </summary>
internal sealed class AtomIdIndex
{
    private readonly long _min;
    private readonly int[]? _table; // index + 1 at id − min; 0 = no such id
    private readonly Dictionary<long, int>? _map;

    private AtomIdIndex(long min, int[]? table, Dictionary<long, int>? map) { _min = min; _table = table; _map = map; }

    /// <summary>Indexes <paramref name="ids"/>; throws at the first repeated id, naming its line
    /// (<paramref name="firstLine"/> + its index).</summary>
    public static AtomIdIndex Build(long[] ids, LineSource src, long firstLine)
    {
        long min = long.MaxValue, max = long.MinValue;
        foreach (long id in ids) { min = Math.Min(min, id); max = Math.Max(max, id); }
        if (ids.Length > 0 && (ulong)(max - min) < (ulong)(2L * ids.Length + 16))
        {
            var table = new int[max - min + 1];
            for (int i = 0; i < ids.Length; i++)
            {
                ref int slot = ref table[ids[i] - min];
                if (slot != 0) throw Duplicate(ids, i, src, firstLine);
                slot = i + 1;
            }
            return new AtomIdIndex(min, table, null);
        }
        var map = new Dictionary<long, int>(ids.Length);
        for (int i = 0; i < ids.Length; i++)
            if (!map.TryAdd(ids[i], i)) throw Duplicate(ids, i, src, firstLine);
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
