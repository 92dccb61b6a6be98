using System.Globalization;
using GlassML.Structure;

namespace GlassML.Io;

/// <summary>
/// Species of LAMMPS types when the file has no type map of its own: labels in comments (<c>1 63.546 # Cu</c> in Masses,
/// <c># Cu Zr</c> or <c>pair_coeff * * CuZr.eam.fs Cu Zr</c> in the data file's header) or the standard atomic weight
/// of each type's mass. All types or none: a partial guess is not made.
/// </summary>
public static class SpeciesInference
{
    /// <summary>Labels from Masses-line comments (<c>1 63.546 # Cu</c>): every type 1..n needs one usable label, else null.</summary>
    public static Dictionary<int, string>? FromComments(IReadOnlyDictionary<int, string> comments, long types)
    {
        if (types < 1 || comments.Count != types) return null;
        var d = new Dictionary<int, string>();
        for (int t = 1; t <= types; t++)
        {
            if (!comments.TryGetValue(t, out var c)) return null;
            var label = c.Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            if (label is null || Species.LabelProblem(label) is not null || int.TryParse(label, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)) return null;
            d[t] = label;
        }
        return d;
    }

    /// <summary>
    /// Element symbols listed in a header comment, in type order: the elements after <c>pair_coeff * * FILE</c>, or a comment
    /// that is nothing but n element symbols (<c># Cu Zr</c>); null when it names another number of types or any other word.
    /// </summary>
    public static Dictionary<int, string>? FromHeaderComment(string comment, long types)
    {
        if (types < 1) return null;
        var w = comment.Trim().TrimStart('#').Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries);
        int pc = Array.IndexOf(w, "pair_coeff");
        string[] list = pc >= 0 ? (w.Length > pc + 4 ? w[(pc + 4)..] : []) : w;
        if (list.Length != types || !list.All(Elements.IsSymbol)) return null;
        var d = new Dictionary<int, string>();
        for (int t = 1; t <= types; t++) d[t] = list[t - 1];
        return d;
    }

    /// <summary>
    /// Elements from the masses of types 1..n (<see cref="Elements.FromMass"/>); null unless every type's mass names one element
    /// and no two types the same.
    /// </summary>
    public static Dictionary<int, string>? FromMasses(IReadOnlyDictionary<int, double> masses)
    {
        if (masses.Count == 0) return null;
        var d = new Dictionary<int, string>();
        foreach (var (t, m) in masses.OrderBy(kv => kv.Key))
        {
            if (Elements.FromMass(m) is not string el || d.ContainsValue(el)) return null;
            d[t] = el;
        }
        return d;
    }

    /// <summary>The one-line note: <c>FILE: species 1 → Cu, 2 → Zr from SOURCE (--types overrides)</c>.</summary>
    public static string Note(string path, IReadOnlyDictionary<int, string> names, string source, IReadOnlyDictionary<int, double>? masses = null) =>
        $"{path}: species {string.Join(", ", names.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key} → {kv.Value}" + (masses is not null && masses.TryGetValue(kv.Key, out double m) ? string.Create(CultureInfo.InvariantCulture, $" ({m:R} amu)") : "")))} from {source} (--types overrides)";
}
