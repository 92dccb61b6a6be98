using System.Globalization;
using GlassML.Descriptors;
using GlassML.Io;
using GlassML.Neighbors;
using GlassML.Structure;
using GlassML.Voronoi;

namespace GlassML.Workflows.MachineLearnedTemperature;

/// <summary>Options of <see cref="GroupStatistics"/>.</summary>
public sealed record GroupStatisticsOptions
{
    /// <summary>Neighbour shell: null = Voronoi neighbours (plain, or radical with <see cref="Radii"/>); a value = all atoms within this cutoff (Å).</summary>
    public double? Cutoff { get; init; }
    /// <summary>Radical Voronoi radii by species (null = plain Voronoi).</summary>
    public IReadOnlyDictionary<string, double>? Radii { get; init; }
    /// <summary>Voronoi index entries n3…n_max (the last counts faces with ≥ max edges).</summary>
    public int MaxEdges { get; init; } = 6;
    /// <summary>Number of most frequent polyhedra (in the group) whose d5 is averaged.</summary>
    public int TopPolyhedra { get; init; } = 10;
    /// <summary>Crystalline-bond threshold of s(i, j).</summary>
    public double BondThreshold { get; init; } = 0.7;
    /// <summary>Bins of the s(i, j) histogram on [−1, 1].</summary>
    public int BondBins { get; init; } = 40;
    /// <summary>Threads (0 = all cores).</summary>
    public int Threads { get; init; }
}

/// <summary>The structure of one group of atoms (see <see cref="GroupStatistics"/>).</summary>
public sealed class GroupStatisticsResult
{
    /// <summary>Atoms in the group.</summary>
    public required int Count { get; init; }
    /// <summary>Species names (frame order).</summary>
    public required IReadOnlyList<string> Species { get; init; }
    /// <summary>Atoms of each species in the group.</summary>
    public required long[] SpeciesCount { get; init; }
    /// <summary>Voronoi index (e.g. "&lt;0,2,8,2&gt;") → atoms of the group with it.</summary>
    public required IReadOnlyDictionary<string, long> PolyhedronCount { get; init; }
    /// <summary>Voronoi index → propensity Δf = (f_group − f_all)/f_all × 100 % (f = fraction of the set's atoms).</summary>
    public required IReadOnlyDictionary<string, double> Propensity { get; init; }
    /// <summary>d5 = Σ n5 / Σ (n3+…+n_max) over the group's atoms whose polyhedron is one of its <see cref="GroupStatisticsOptions.TopPolyhedra"/> most frequent.</summary>
    public required double D5 { get; init; }
    /// <summary>q6 of every group atom (Voronoi or cutoff neighbours), group order (ascending atom index).</summary>
    public required double[] Q6 { get; init; }
    /// <summary>ŵ6 of every group atom.</summary>
    public required double[] W6 { get; init; }
    /// <summary>s(i, j) of every bond whose centre is in the group.</summary>
    public required double[] BondS { get; init; }
    /// <summary>Fraction of those bonds with s &gt; threshold.</summary>
    public required double CrystallineBondFraction { get; init; }
    /// <summary>Z_A: mean coordination of the group's atoms of species A (S).</summary>
    public required double[] Za { get; init; }
    /// <summary>Z_AB: mean number of B neighbours of the group's A atoms (S × S, row = centre A).</summary>
    public required double[] Zab { get; init; }
    /// <summary>Warren–Cowley α_A(B) = 1 − Z_AB/(c_B Z_A), c_B the sample concentration (S × S).</summary>
    public required double[] Alpha { get; init; }
    /// <summary>η_A(B) = 1 − Z_AB/Z*_A(B), Z*_A(B) = c_B Z_A Z_B/⟨Z⟩ with Z_B and ⟨Z⟩ of the whole sample (S × S).</summary>
    public required double[] Eta { get; init; }
    /// <summary>The neighbour shell used (e.g. "voronoi" or "cutoff 3.8 A").</summary>
    public required string Shell { get; init; }
}

/// <summary>
/// Structure of a group of atoms against the whole sample (for liquid-like / solid-like atoms of the machine-learned
/// temperature, or any selection): composition; Voronoi-index counts and propensity Δf = (f_group − f_all)/f_all × 100 %;
/// d5 of the group's most frequent polyhedra; q6 and ŵ6 (Steinhardt, of the same neighbours); bond order correlation
/// s(i, j) (ten Wolde et al.) of the group's bonds and the fraction above 0.7; Warren–Cowley α_A(B) and η_A(B) of the
/// group's centre atoms against the whole sample. The tessellation, q6/ŵ6 and s(i, j) are computed once per frame.
/// </summary>
public sealed class GroupStatistics
{
    private readonly Frame _frame;
    private readonly string[] _poly;
    private readonly int[][] _index;
    private readonly NeighborList _nl;
    private readonly double[] _q6, _w6;
    private readonly BondCrystallinityResult _bonds;
    private readonly Dictionary<string, long> _allPoly;

    /// <summary>Prepares the per-frame quantities (Voronoi, neighbours, q6, ŵ6, s(i, j)).</summary>
    public GroupStatistics(Frame frame, GroupStatisticsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        Options = options ?? new GroupStatisticsOptions();
        if (Options.MaxEdges < 4 || Options.TopPolyhedra < 1 || Options.BondBins < 1) throw new ArgumentException("MaxEdges ≥ 4, TopPolyhedra ≥ 1 and BondBins ≥ 1");
        _frame = frame;
        var vor = new VoronoiTessellation(new VoronoiOptions { Radii = Options.Radii, Threads = Options.Threads }).Compute(frame);
        _index = Enumerable.Range(0, frame.Count).Select(i => vor.Index(i, Options.MaxEdges)).ToArray();
        _poly = _index.Select(ix => "<" + string.Join(",", ix) + ">").ToArray();
        _nl = Options.Cutoff is double rc ? new NeighborSearch(Options.Threads).Ball(frame, rc) : vor.Neighbors;
        Shell = Options.Cutoff is double c ? "cutoff " + c.ToString("R", CultureInfo.InvariantCulture) + " A" : Options.Radii is null ? "voronoi" : "radical voronoi";
        var st = new Steinhardt(new SteinhardtOptions { L = [6], Wl = true, WlNormalize = true, Average = false, Threads = Options.Threads }).Compute(frame, _nl);
        _q6 = st.Column(st.Names[0]); _w6 = st.Column(st.Names[1]);
        _bonds = new BondCrystallinity(Options.BondThreshold, 6, Options.Threads).Compute(frame, _nl);
        _allPoly = Count(Enumerable.Range(0, frame.Count));
        Sample = ChemicalOrder.SampleEta(frame, _nl);
    }

    /// <summary>Options in force.</summary>
    public GroupStatisticsOptions Options { get; }
    /// <summary>The neighbour shell used.</summary>
    public string Shell { get; }
    /// <summary>Sample-level chemical order of the whole frame with the same neighbours.</summary>
    public SampleChemicalOrder Sample { get; }
    /// <summary>Voronoi index of every atom.</summary>
    public IReadOnlyList<string> Polyhedra => _poly;

    /// <summary>One-call form: prepares the frame and computes one group.</summary>
    public static GroupStatisticsResult Compute(Frame frame, bool[] group, GroupStatisticsOptions? options = null) =>
        new GroupStatistics(frame, options).Of(group);

    private Dictionary<string, long> Count(IEnumerable<int> atoms)
    {
        var d = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (int i in atoms) d[_poly[i]] = d.TryGetValue(_poly[i], out long c) ? c + 1 : 1;
        return d;
    }

    /// <summary>Statistics of one group (true = member; one flag per atom of the frame).</summary>
    /// <exception cref="ArgumentException">Wrong length or an empty group.</exception>
    public GroupStatisticsResult Of(bool[] group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var f = _frame;
        if (group.Length != f.Count) throw new ArgumentException($"group has {group.Length} flags, the frame {f.Count} atoms");
        var members = Enumerable.Range(0, f.Count).Where(i => group[i]).ToArray();
        if (members.Length == 0) throw new ArgumentException("the group is empty");
        int ns = f.Species.Count, n = f.Count, m = members.Length;
        var spCount = new long[ns];
        foreach (int i in members) spCount[f.SpeciesIndex[i]]++;
        var poly = Count(members);
        var prop = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (k, cAll) in _allPoly)
        {
            double fg = (poly.TryGetValue(k, out long cg) ? cg : 0) / (double)m, fa = cAll / (double)n;
            prop[k] = (fg - fa) / fa * 100.0;
        }
        var top = poly.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(Options.TopPolyhedra).Select(kv => kv.Key).ToHashSet();
        long n5 = 0, nf = 0;
        foreach (int i in members)
        {
            if (!top.Contains(_poly[i])) continue;
            n5 += _index[i][2]; nf += _index[i].Sum();
        }
        // bonds
        var s = new List<double>();
        int xtal = 0;
        for (int b = 0; b < _bonds.Center.Length; b++)
        {
            if (!group[_bonds.Center[b]] || double.IsNaN(_bonds.S[b])) continue;
            s.Add(_bonds.S[b]); if (_bonds.S[b] > Options.BondThreshold) xtal++;
        }
        // chemical order of the group's centres against the sample
        var za = new double[ns]; var zab = new double[ns * ns];
        foreach (int i in members)
        {
            int a = f.SpeciesIndex[i];
            za[a] += _nl.CountOf(i);
            foreach (int j in _nl.IndicesOf(i)) zab[a * ns + f.SpeciesIndex[j]]++;
        }
        var alpha = new double[ns * ns]; var eta = new double[ns * ns];
        for (int a = 0; a < ns; a++)
        {
            za[a] = spCount[a] > 0 ? za[a] / spCount[a] : double.NaN;
            for (int b = 0; b < ns; b++)
            {
                zab[a * ns + b] = spCount[a] > 0 ? zab[a * ns + b] / spCount[a] : double.NaN;
                double cb = Sample.Concentration[b];
                alpha[a * ns + b] = 1 - zab[a * ns + b] / (cb * za[a]);
                double zStar = cb * za[a] * Sample.MeanCoordination[b] / Sample.OverallMeanCoordination;
                eta[a * ns + b] = zStar > 0 ? 1 - zab[a * ns + b] / zStar : double.NaN;
            }
        }
        return new GroupStatisticsResult
        {
            Count = m, Species = f.Species.All.Select(x => x.Name).ToArray(), SpeciesCount = spCount, PolyhedronCount = poly, Propensity = prop,
            D5 = nf > 0 ? n5 / (double)nf : double.NaN, Q6 = members.Select(i => _q6[i]).ToArray(), W6 = members.Select(i => _w6[i]).ToArray(),
            BondS = [.. s], CrystallineBondFraction = s.Count > 0 ? xtal / (double)s.Count : double.NaN,
            Za = za, Zab = zab, Alpha = alpha, Eta = eta, Shell = Shell,
        };
    }

    /// <summary>
    /// q6 and ŵ6 of ideal first shells evaluated with <see cref="Steinhardt"/>: icosahedron (12), fcc (12), hcp (12),
    /// bcc (8 nearest, and 14 with the second shell) and simple cubic (6).
    /// </summary>
    public static IReadOnlyList<(string Label, double Q6, double W6)> IdealPoints()
    {
        var r = new List<(string, double, double)>();
        foreach (var (name, vecs) in IdealShells())
        {
            int k = vecs.Count + 1;
            var x = new double[k]; var y = new double[k]; var z = new double[k];
            for (int j = 0; j < vecs.Count; j++) { x[j + 1] = vecs[j].X; y[j + 1] = vecs[j].Y; z[j + 1] = vecs[j].Z; }
            var off = new int[k + 1]; for (int i = 1; i <= k; i++) off[i] = vecs.Count;
            var idx = Enumerable.Range(1, vecs.Count).ToArray();
            var d = vecs.Select(v => v.Length).ToArray();
            var nl = new NeighborList(off, idx, vecs.Select(v => v.X).ToArray(), vecs.Select(v => v.Y).ToArray(), vecs.Select(v => v.Z).ToArray(), d, null, "ideal");
            var box = Box.Orthogonal(new Vec3(-10, -10, -10), new Vec3(10, 10, 10), periodic: false);
            var sp = new SpeciesTable(); sp.GetOrAdd("X");
            var frame = new Frame(box, sp, Enumerable.Range(1, k).Select(i => (long)i).ToArray(), new int[k], x, y, z);
            var st = new Steinhardt(new SteinhardtOptions { L = [6], Wl = true, WlNormalize = true, Average = false, Threads = 1 }).Compute(frame, nl);
            r.Add((name, st[0, 0], st[0, 1]));
        }
        return r;
    }

    /// <summary>Neighbour vectors of the ideal shells (unit nearest-neighbour distance for the 12-neighbour shells).</summary>
    public static IReadOnlyList<(string Label, IReadOnlyList<Vec3> Vectors)> IdealShells()
    {
        double phi = (1 + Math.Sqrt(5)) / 2;
        var ico = new List<Vec3>();
        foreach (var a in new[] { -1.0, 1.0 }) foreach (var b in new[] { -phi, phi })
            { ico.Add(new Vec3(0, a, b)); ico.Add(new Vec3(a, b, 0)); ico.Add(new Vec3(b, 0, a)); }
        var fcc = new List<Vec3>();
        foreach (var a in new[] { -1.0, 1.0 }) foreach (var b in new[] { -1.0, 1.0 })
            { fcc.Add(new Vec3(a, b, 0)); fcc.Add(new Vec3(a, 0, b)); fcc.Add(new Vec3(0, a, b)); }
        var hcp = new List<Vec3>();
        for (int k = 0; k < 6; k++) hcp.Add(new Vec3(Math.Cos(k * Math.PI / 3), Math.Sin(k * Math.PI / 3), 0));
        double h = Math.Sqrt(2.0 / 3.0);
        foreach (var sgn in new[] { -1.0, 1.0 })
            for (int k = 0; k < 3; k++)
            {
                double ang = Math.PI / 6 + k * 2 * Math.PI / 3;
                hcp.Add(new Vec3(Math.Cos(ang) / Math.Sqrt(3), Math.Sin(ang) / Math.Sqrt(3), sgn * h));
            }
        var bcc8 = new List<Vec3>();
        foreach (var a in new[] { -1.0, 1.0 }) foreach (var b in new[] { -1.0, 1.0 }) foreach (var c in new[] { -1.0, 1.0 }) bcc8.Add(new Vec3(a, b, c));
        var sc = new List<Vec3> { new(1, 0, 0), new(-1, 0, 0), new(0, 1, 0), new(0, -1, 0), new(0, 0, 1), new(0, 0, -1) };
        var bcc14 = bcc8.Concat(sc.Select(v => new Vec3(2 * v.X, 2 * v.Y, 2 * v.Z))).ToList();
        return [("ico", ico), ("fcc", fcc), ("hcp", hcp), ("bcc", bcc8), ("bcc14", bcc14), ("sc", sc)];
    }
}
