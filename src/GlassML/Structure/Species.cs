namespace GlassML.Structure;

/// <summary>
/// A species: a label (an element symbol, a LAMMPS type number, or any other label such as ASE's dummy <c>X</c> or the
/// Kob–Andersen <c>A</c>, <c>B</c>), mass (amu; 0 if unknown) and atomic number (0 if the label is not an element symbol).
/// Labels are not limited to element symbols: element data are looked up only where a computation needs them (radii:
/// the radical tessellation and the interstice features), and their absence is then an error naming the species and the
/// option that supplies the value (<c>--radii</c>). No computation needs a mass.
/// </summary>
public sealed record Species(string Name, double Mass, int AtomicNumber)
{
    /// <summary>True when the mass is known (given by the file or taken from the element).</summary>
    public bool HasMass => Mass > 0;

    /// <summary>
    /// Why a label cannot name a species, or null when it can: it must be non-empty and free of whitespace, control
    /// characters, commas and quotes (it becomes part of column names such as <c>csro_n_{S}_cut</c> and of CSV rows).
    /// </summary>
    public static string? LabelProblem(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        if (label.Length == 0) return "empty species label";
        foreach (char c in label)
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c is ',' or '"' or '\'')
                return $"species label '{label}' contains '{(char.IsControl(c) ? "\\u" + ((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture) : c.ToString())}' (labels may not contain whitespace, commas or quotes)";
        return null;
    }

    /// <summary>Throws <see cref="ArgumentException"/> when <paramref name="label"/> cannot name a species (<see cref="LabelProblem"/>).</summary>
    public static void CheckLabel(string label)
    {
        if (LabelProblem(label) is string p) throw new ArgumentException(p);
    }
}

/// <summary>
/// The species of a frame, indexed 0..Count−1. Per-atom species are stored as indices into this table.
/// </summary>
public sealed class SpeciesTable
{
    private readonly List<Species> _list = new();
    private readonly Dictionary<string, int> _byName = new(StringComparer.Ordinal);

    /// <summary>An empty table.</summary>
    public SpeciesTable() { }

    /// <summary>A table with the given element names in order.</summary>
    public SpeciesTable(IEnumerable<string> names) { foreach (var n in names) GetOrAdd(n); }

    /// <summary>Number of species.</summary>
    public int Count => _list.Count;

    /// <summary>Species by index.</summary>
    public Species this[int index] => _list[index];

    /// <summary>All species in index order.</summary>
    public IReadOnlyList<Species> All => _list;

    /// <summary>Index of a species name, or −1.</summary>
    public int IndexOf(string name) => _byName.TryGetValue(name, out int i) ? i : -1;

    /// <summary>Index of a species, adding it (with the element's mass and atomic number when known) if new.</summary>
    public int GetOrAdd(string name, double? mass = null)
    {
        if (_byName.TryGetValue(name, out int i))
        {
            if (mass is double m && _list[i].Mass != m) _list[i] = _list[i] with { Mass = m };
            return i;
        }
        Elements.TryGet(name, out int z, out double em);
        _list.Add(new Species(name, mass ?? em, z));
        _byName[name] = _list.Count - 1;
        return _list.Count - 1;
    }

    /// <summary>Deep copy.</summary>
    public SpeciesTable Clone()
    {
        var t = new SpeciesTable();
        foreach (var s in _list) { t._list.Add(s); t._byName[s.Name] = t._list.Count - 1; }
        return t;
    }
}

/// <summary>Element symbols, atomic numbers and standard atomic masses (amu).</summary>
public static class Elements
{
    private static readonly string[] Symbols =
    [
        "H","He","Li","Be","B","C","N","O","F","Ne","Na","Mg","Al","Si","P","S","Cl","Ar","K","Ca",
        "Sc","Ti","V","Cr","Mn","Fe","Co","Ni","Cu","Zn","Ga","Ge","As","Se","Br","Kr","Rb","Sr","Y","Zr",
        "Nb","Mo","Tc","Ru","Rh","Pd","Ag","Cd","In","Sn","Sb","Te","I","Xe","Cs","Ba","La","Ce","Pr","Nd",
        "Pm","Sm","Eu","Gd","Tb","Dy","Ho","Er","Tm","Yb","Lu","Hf","Ta","W","Re","Os","Ir","Pt","Au","Hg",
        "Tl","Pb","Bi","Po","At","Rn","Fr","Ra","Ac","Th","Pa","U","Np","Pu","Am","Cm","Bk","Cf","Es","Fm",
        "Md","No","Lr","Rf","Db","Sg","Bh","Hs","Mt","Ds","Rg","Cn","Nh","Fl","Mc","Lv","Ts","Og"
    ];

    // Standard atomic weights (IUPAC, conventional values) for Z = 1..94.
    private static readonly double[] Masses =
    [
        1.008,4.0026,6.94,9.0122,10.81,12.011,14.007,15.999,18.998,20.180,22.990,24.305,26.982,28.085,30.974,32.06,35.45,39.948,39.098,40.078,
        44.956,47.867,50.942,51.996,54.938,55.845,58.933,58.693,63.546,65.38,69.723,72.630,74.922,78.971,79.904,83.798,85.468,87.62,88.906,91.224,
        92.906,95.95,97.0,101.07,102.91,106.42,107.87,112.41,114.82,118.71,121.76,127.60,126.90,131.29,132.91,137.33,138.91,140.12,140.91,144.24,
        145.0,150.36,151.96,157.25,158.93,162.50,164.93,167.26,168.93,173.05,174.97,178.49,180.95,183.84,186.21,190.23,192.22,195.08,196.97,200.59,
        204.38,207.2,208.98,209.0,210.0,222.0,223.0,226.0,227.0,232.04,231.04,238.03,237.0,244.0
    ];

    /// <summary>Looks up an element symbol; false (Z = 0, mass 0) when the name is not an element.</summary>
    public static bool TryGet(string symbol, out int atomicNumber, out double mass)
    {
        int i = Array.IndexOf(Symbols, symbol);
        atomicNumber = i + 1;
        mass = i >= 0 && i < Masses.Length ? Masses[i] : 0;
        return i >= 0;
    }

    /// <summary>
    /// The element whose standard atomic weight a mass names, or null. The mass is taken as written (its shortest
    /// round-trip text, e.g. 63.546 or 91.22): it needs at least 3 significant digits (so the 1.0 of reduced units is no
    /// hydrogen), it must agree with the element's weight to half a unit of its last digit plus 0.005 amu (the rounding of
    /// this table), and exactly one element may agree.
    /// </summary>
    public static string? FromMass(double mass)
    {
        if (!(mass > 0) || !double.IsFinite(mass)) return null;
        string text = mass.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        if (text.Contains('E', StringComparison.OrdinalIgnoreCase)) return null;
        int dot = text.IndexOf('.');
        int decimals = dot < 0 ? 0 : text.Length - dot - 1;
        int significant = text.Replace(".", "", StringComparison.Ordinal).TrimStart('0').Length;
        if (dot < 0) significant = text.TrimEnd('0').Length; // 100 has 1 significant digit as written
        if (significant < 3) return null;
        double tol = 0.5 * Math.Pow(10, -decimals) + 0.005;
        string? found = null;
        for (int i = 0; i < Masses.Length; i++)
        {
            if (Math.Abs(Masses[i] - mass) > tol) continue;
            if (found is not null) return null; // ambiguous
            found = Symbols[i];
        }
        return found;
    }

    /// <summary>True when the text is an element symbol (H … Og).</summary>
    public static bool IsSymbol(string text) => Array.IndexOf(Symbols, text) >= 0;

    /// <summary>The symbol of atomic number z (1..118).</summary>
    public static string Symbol(int z) => Symbols[z - 1];
}
