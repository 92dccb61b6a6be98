using System.Globalization;
using System.IO.Compression;
using GlassML.Descriptors;
using GlassML.Structure;

namespace GlassML.Io;

/// <summary>Shared pieces of the writers: number formatting, gzip-aware atomic text output, argument checks.</summary>
internal static class WriterSupport
{
    /// <summary>
    /// Shortest round-trip text of a double (invariant culture, e.g. "0.1", "1E-05"); NaN → "nan", ±∞ → "inf"/"-inf"
    /// (read by numpy, pandas, ASE and our readers).
    /// </summary>
    public static string F(double v)
    {
        Span<char> b = stackalloc char[TextRows.MaxNumber];
        return new string(b[..TextRows.Number(b, v)]);   // the one definition of a number's text (the table rows use it too)
    }

    /// <summary>Integer text (invariant culture).</summary>
    public static string I(long v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>Writes text atomically (temp file + rename); gzip-compressed when the path ends with ".gz".</summary>
    public static void WriteText(string path, Action<TextWriter> write)
    {
        if (!path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) { AtomicFile.WriteText(path, write); return; }
        AtomicFile.Write(path, s =>
        {
            using var gz = new GZipStream(s, CompressionLevel.Optimal, leaveOpen: true);
            using var w = new StreamWriter(gz, new System.Text.UTF8Encoding(false), 1 << 16);
            w.NewLine = "\n";
            write(w);
        });
    }

    /// <summary>Checks that a feature block belongs to the frame.</summary>
    public static void CheckFeatures(Frame frame, PerAtomFeatures? features)
    {
        if (features is not null && features.AtomCount != frame.Count)
            throw new ArgumentException($"features cover {features.AtomCount} atoms but the frame has {frame.Count}");
    }

    /// <summary>
    /// <see cref="OrderById"/>, shared: the order made before for the same ids array is given again when it still orders them (a
    /// table streamed in id order and its writer ask for the same frame's order; with ids out of index order each would sort
    /// them). Callers must not change the array.
    /// </summary>
    internal static int[] SharedOrderById(Frame frame)
    {
        var ids = frame.Ids;
        if (Orders.TryGetValue(ids, out var known) && known.Length == ids.Length && StillOrders(ids, known)) return known;
        var order = OrderById(frame);
        Orders.AddOrUpdate(ids, order);
        return order;
    }

    // the order made for each ids array still alive (an entry goes with its array)
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<long[], int[]> Orders = new();

    // whether order lists the atoms by strictly increasing id (ids are unique, so then it is the one order by id, and a permutation)
    private static bool StillOrders(long[] ids, int[] order)
    {
        for (int k = 1; k < order.Length; k++)
        {
            int a = order[k - 1], b = order[k];
            if ((uint)a >= (uint)ids.Length || (uint)b >= (uint)ids.Length || ids[a] >= ids[b]) return false;
        }
        return order.Length == 0 || (uint)order[0] < (uint)ids.Length;
    }

    /// <summary>Atom indices ordered by increasing id (stable).</summary>
    public static int[] OrderById(Frame frame)
    {
        int n = frame.Count;
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        // ids already strictly increasing (the usual case): the identity, as the sort would give it, without the sort
        var ids = frame.Ids;
        bool ascending = true;
        for (int i = 1; i < n && ascending; i++) ascending = ids[i - 1] < ids[i];
        if (ascending) return order;
        return RadixSort.Order(ids);
    }

    /// <summary>Column names must be non-empty and free of whitespace, quotes, '=' and ':' (extxyz/CSV safe).</summary>
    public static void CheckName(string name, string format)
    {
        if (string.IsNullOrEmpty(name) || name.Any(c => char.IsWhiteSpace(c) || c is ':' or '"' or '=' or ',' or '\''))
            throw new ArgumentException($"column name '{name}' cannot be written to {format} (no spaces, quotes, commas, ':' or '=')");
    }

    /// <summary>Extra per-atom columns of a frame followed by those of a feature block, with unique names.</summary>
    public static List<(string Name, Func<int, double> Value)> ExtraColumns(Frame frame, PerAtomFeatures? features, IEnumerable<string> reserved, string format)
    {
        var list = new List<(string, Func<int, double>)>();
        var seen = new HashSet<string>(reserved, StringComparer.Ordinal);
        foreach (var (name, col) in frame.Columns)
        {
            CheckName(name, format);
            if (!seen.Add(name)) throw new ArgumentException($"column name '{name}' is used twice");
            list.Add((name, i => col[i]));
        }
        if (features is not null)
        {
            int nf = features.FeatureCount;
            for (int f = 0; f < nf; f++)
            {
                string name = features.Names[f];
                CheckName(name, format);
                if (!seen.Add(name)) throw new ArgumentException($"column name '{name}' is used twice");
                int ff = f;
                var v = features.Values;
                list.Add((name, i => v[(long)i * nf + ff]));
            }
        }
        return list;
    }

    /// <summary>
    /// True when every species has a name of its own (an element symbol or any other label such as A, B or X), i.e. none is a
    /// bare LAMMPS type number.
    /// </summary>
    public static bool AllNamed(SpeciesTable t) =>
        t.All.All(s => !long.TryParse(s.Name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _));
}
