using GlassML.Neighbors;
using GlassML.Structure;
using GlassML.Voronoi;

namespace GlassML.Descriptors;

/// <summary>One named feature set of the quench-in-softness catalogue (<see cref="SeedFeatureSets"/>).</summary>
/// <param name="Name">Set name as in docs/features.md (MRO sets start with "MRO: ").</param>
/// <param name="IsMro">True for the 16 medium-range-order sets.</param>
/// <param name="Columns">Column names (docs/names.md patterns), in catalogue order.</param>
public sealed record SeedFeatureSet(string Name, bool IsMro, IReadOnlyList<string> Columns)
{
    /// <summary>Number of columns in the set.</summary>
    public int Count => Columns.Count;
}

/// <summary>
/// The quench-in-softness catalogue for one list of species: 12 short-range-order (SRO) sets and 16 medium-range-order (MRO)
/// sets, each column tagged with its set. For a binary alloy (e.g. Cu–Zr) 123 SRO + 623 MRO = 746 columns; the chemical
/// (CSRO) set has 1 + 6·S columns for S species, so other species counts give other totals.
/// </summary>
public sealed class SeedCatalogue
{
    private readonly Dictionary<string, string> _setOf;

    internal SeedCatalogue(IReadOnlyList<string> species, IReadOnlyList<SeedFeatureSet> sro, IReadOnlyList<SeedFeatureSet> mro)
    {
        Species = species; Sro = sro; Mro = mro;
        SroNames = sro.SelectMany(s => s.Columns).ToArray();
        MroNames = mro.SelectMany(s => s.Columns).ToArray();
        AllNames = SroNames.Concat(MroNames).ToArray();
        _setOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var s in sro.Concat(mro))
            foreach (var c in s.Columns)
                if (!_setOf.TryAdd(c, s.Name)) throw new InvalidOperationException($"column '{c}' appears twice in the seed catalogue");
    }

    /// <summary>The species (labels, in the frame's order) the CSRO columns are named after.</summary>
    public IReadOnlyList<string> Species { get; }
    /// <summary>The 12 SRO sets.</summary>
    public IReadOnlyList<SeedFeatureSet> Sro { get; }
    /// <summary>The 16 MRO sets.</summary>
    public IReadOnlyList<SeedFeatureSet> Mro { get; }
    /// <summary>All SRO column names in catalogue order.</summary>
    public IReadOnlyList<string> SroNames { get; }
    /// <summary>All MRO column names in catalogue order.</summary>
    public IReadOnlyList<string> MroNames { get; }
    /// <summary>SRO then MRO names (the column order of <c>featurize --features seed</c>).</summary>
    public IReadOnlyList<string> AllNames { get; }
    /// <summary>The 28 sets, SRO first.</summary>
    public IEnumerable<SeedFeatureSet> Sets => Sro.Concat(Mro);

    /// <summary>Name of the set a column belongs to.</summary>
    /// <exception cref="KeyNotFoundException">Not a column of the catalogue.</exception>
    public string SetOf(string column) => _setOf.TryGetValue(column, out var s) ? s : throw new KeyNotFoundException($"'{column}' is not a seed column");
}

/// <summary>
/// The quench-in-softness feature catalogue (<c>featurize --features seed</c>; docs/features.md): 12 SRO sets — coordination
/// number (Voronoi and cutoff), Voronoi index n3–n7, characteristic motifs, Voronoi cell area and volume normalised by the
/// sample's mean facet area and mean sub-polyhedron volume, i-fold symmetry, area- and volume-weighted i-fold symmetry,
/// q4–q10 and w4–w10 (Voronoi and cutoff), CSRO (centre element; counts, partial composition and Warren–Cowley over both
/// shells), facet-area and sub-polyhedron-volume statistics, neighbour-distance statistics (both shells) — and 16 MRO sets:
/// mean/std/min/max over the neighbours of every SRO column but the motifs and the element (sum/mean/std for the motif
/// flags), the i-fold symmetry of the neighbour-averaged Voronoi index, the Lechner–Dellago q̄_l and w̄_l over both shells, and
/// neighbour mean minus own value of the continuous SRO columns (not the motif flags or the element). The MRO statistics of a <c>_cut</c> column run over the cutoff shell, of every other
/// column over the Voronoi neighbours. The interstice-based amlearn reading is <see cref="AmlearnSeedFeatureSets"/>.
/// </summary>
public static class SeedFeatureSets
{
    private static readonly int[] Edges = [3, 4, 5, 6, 7];
    private static readonly int[] Degrees = [4, 6, 8, 10];
    private static readonly string[] Stats4 = ["mean", "std", "min", "max"];
    private static readonly string[] Shells = ["voro", "cut"];

    /// <summary>MRO statistics of the continuous SRO columns: mean, std, min, max.</summary>
    public static IReadOnlyList<MroStat> ContinuousStats { get; } = [MroStat.Mean, MroStat.Std, MroStat.Min, MroStat.Max];
    /// <summary>MRO statistics of the motif flags: sum, mean, std.</summary>
    public static IReadOnlyList<MroStat> MotifStats { get; } = [MroStat.Sum, MroStat.Mean, MroStat.Std];

    /// <summary>The centre-element column of the CSRO set (atomic number; not coarse-grained).</summary>
    public const string ElementColumn = "csro_element";

    /// <summary>The four characteristic-motif flags (amlearn's <c>CharacterMotif</c> defaults).</summary>
    public static IReadOnlyList<string> MotifColumns { get; } = ["motif_ico", "motif_z16", "motif_kasper", "motif_ico_or_z16"];

    /// <summary>The catalogue of a Cu–Zr glass (species Cu, Zr): 123 + 623 columns.</summary>
    public static SeedCatalogue CuZr { get; } = For(["Cu", "Zr"]);

    /// <summary>The catalogue for the given species labels (in a frame's species order).</summary>
    public static SeedCatalogue For(IReadOnlyList<string> species)
    {
        ArgumentNullException.ThrowIfNull(species);
        if (species.Count == 0) throw new ArgumentException("no species");
        var sro = BuildSro(species);
        return new SeedCatalogue(species.ToArray(), sro, BuildMro(sro));
    }

    /// <summary>
    /// The catalogue whose columns a table holds, its species read from the <c>csro_n_{S}_voro</c> columns (in table order);
    /// null when the table has no such column.
    /// </summary>
    public static SeedCatalogue? FromColumns(IEnumerable<string> columns)
    {
        var sp = columns.Where(c => c.StartsWith("csro_n_", StringComparison.Ordinal) && c.EndsWith("_voro", StringComparison.Ordinal) && !c.Contains("__", StringComparison.Ordinal))
            .Select(c => c["csro_n_".Length..^"_voro".Length]).ToArray();
        return sp.Length == 0 ? null : For(sp);
    }

    /// <summary>
    /// Neighbour shell of an SRO column: the cutoff shell for the columns with the source token <c>cut</c> (<c>cn_cut</c>,
    /// <c>dist_cut_min</c>, <c>q4_cut</c>, <c>csro_n_Zr_cut</c>, …), the Voronoi neighbours otherwise.
    /// </summary>
    public static NeighborSource ShellOf(string sroColumn) =>
        sroColumn.EndsWith("_cut", StringComparison.Ordinal) || sroColumn.StartsWith("dist_cut_", StringComparison.Ordinal) ? NeighborSource.Cutoff : NeighborSource.Voronoi;

    /// <summary>MRO statistics of an SRO column in the per-set MRO blocks (none for the element column).</summary>
    public static IReadOnlyList<MroStat> StatsOf(string sroColumn) =>
        IsContinuous(sroColumn) ? ContinuousStats : sroColumn == ElementColumn ? [] : MotifStats;

    /// <summary>True for the SRO columns that are neither the element nor a motif flag (those with a neighbour-minus-self difference).</summary>
    public static bool IsContinuous(string sroColumn) => sroColumn != ElementColumn && !MotifColumns.Contains(sroColumn);

    private static IReadOnlyList<SeedFeatureSet> BuildSro(IReadOnlyList<string> species)
    {
        IEnumerable<string> Both(Func<string, IEnumerable<string>> f) => Shells.SelectMany(f);
        IEnumerable<string> PerEdge(string stem) => Edges.SelectMany(i => new[] { "sum" }.Concat(Stats4).Select(s => $"{stem}_n{i}_{s}"));
        return
        [
            new("Coordination number", false, Shells.Select(s => $"cn_{s}").ToArray()),
            new("Voronoi index", false, Edges.Select(i => $"voro_n{i}").ToArray()),
            new("Characteristic motifs", false, MotifColumns),
            new("Voronoi area and volume (normalised)", false, ["voro_area_rel", "voro_volume_rel"]),
            new("i-fold symmetry", false, Edges.Select(i => $"voro_ifold_{i}").ToArray()),
            new("Area-weighted i-fold symmetry", false, Edges.Select(i => $"voro_ifold_area_{i}").Concat(Edges.Select(i => $"voro_ifold_vol_{i}")).ToArray()),
            new("q4-q10", false, Both(s => Degrees.Select(l => $"q{l}_{s}")).ToArray()),
            new("w4-w10", false, Both(s => Degrees.Select(l => $"w{l}_{s}")).ToArray()),
            new("Chemical short-range order", false, new[] { ElementColumn }.Concat(Both(s =>
                species.Select(e => $"csro_n_{e}_{s}").Concat(species.Select(e => $"csro_x_{e}_{s}")).Concat(species.Select(e => $"wc_{e}_{s}")))).ToArray()),
            new("Facet-area statistics", false, Stats4.Select(s => $"voro_facet_area_{s}").Concat(PerEdge("voro_facet_area")).ToArray()),
            new("Sub-polyhedron volume statistics", false, Stats4.Select(s => $"voro_subvol_{s}").Concat(PerEdge("voro_subvol")).ToArray()),
            new("Distance statistics", false, Both(s => Stats4.Select(st => $"dist_{s}_{st}")).ToArray()),
        ];
    }

    private static IReadOnlyList<SeedFeatureSet> BuildMro(IReadOnlyList<SeedFeatureSet> sro)
    {
        var sets = new List<SeedFeatureSet>();
        foreach (var s in sro)
        {
            var cols = s.Columns.SelectMany(c => StatsOf(c).Select(st => NeighborCoarseGraining.Name(c, st))).ToArray();
            sets.Add(new($"MRO: {s.Name}", true, cols));
        }
        sets.Add(new("MRO: i-fold symmetry of the neighbour-averaged Voronoi index", true, NeighborCoarseGraining.AverageIFoldNames));
        sets.Add(new("MRO: coarse-grained q-bar", true, Shells.SelectMany(s => Degrees.Select(l => $"qbar{l}_{s}")).ToArray()));
        sets.Add(new("MRO: coarse-grained w-bar", true, Shells.SelectMany(s => Degrees.Select(l => $"wbar{l}_{s}")).ToArray()));
        sets.Add(new("MRO: neighbour mean minus self", true,
            sro.SelectMany(s => s.Columns).Where(IsContinuous).Select(c => NeighborCoarseGraining.Name(c, MroStat.Diff)).ToArray()));
        return sets;
    }

    /// <summary>
    /// Computes the catalogue (<see cref="SeedCatalogue.AllNames"/> of the frame's species, in order) from a tessellation and the
    /// cutoff shell: the voronoi, motifs, distance, steinhardt and csro blocks over both shells, the element and the normalised
    /// area/volume columns, then the MRO sets, each column's statistics over its own shell (<see cref="ShellOf"/>).
    /// One table, written in place: the blocks (and the Steinhardt q_lm scratch) live in the MRO columns until the MRO step.
    /// Bit-identical for any thread count.
    /// </summary>
    /// <exception cref="ArgumentException">The tessellation or list covers another atom count, or the list is not a cutoff shell.</exception>
    public static PerAtomFeatures Compute(Frame frame, VoronoiResult voronoi, NeighborList cutoff, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(voronoi);
        ArgumentNullException.ThrowIfNull(cutoff);
        DescriptorArguments.Check(frame, voronoi);
        DescriptorArguments.Check(frame, cutoff);
        if (cutoff.Source != "cut") throw new ArgumentException($"the cutoff shell has source '{cutoff.Source}', expected 'cut'");
        var cat = For(frame.Species.All.Select(s => s.Name).ToArray());
        int n = frame.Count, sroWidth = cat.SroNames.Count, width = cat.AllNames.Count;
        var values = GC.AllocateUninitializedArray<double>(checked(n * width));
        var voro = voronoi.Neighbors;
        NeighborList Shell(NeighborSource s) => s == NeighborSource.Cutoff ? cutoff : voro;

        var vs = new VoronoiStatistics(threads);
        var mo = new Motifs();
        var ds = new DistanceStatistics(new DistanceStatisticsOptions { Threads = threads });
        var st = new Steinhardt(new SteinhardtOptions { Threads = threads });
        var co = new ChemicalOrder(new ChemicalOrderOptions { Threads = threads });
        double[]? qlm = null;
        int qlmStride = 0, qlmOffset = 0;
        var blocks = new List<(IReadOnlyList<string> Names, Action<double[], int, int> Write, bool Scratch)>
        {
            (vs.FeatureNames, (d, s, o) => vs.ComputeInto(frame, voronoi, d, s, o), false),
            (mo.FeatureNames, (d, s, o) => mo.ComputeInto(frame, voronoi, d, s, o, threads), false),
        };
        foreach (var nl in new[] { voro, cutoff })
        {
            blocks.Add((ds.FeatureNames(nl.Source), (d, s, o) => ds.ComputeInto(frame, nl, d, s, o), false));
            blocks.Add((st.FeatureNames(nl.Source), (d, s, o) => st.ComputeInto(frame, nl, d, s, o, qlm, qlmStride, qlmOffset), true));
            blocks.Add((co.FeatureNames(frame.Species, nl.Source), (d, s, o) => co.ComputeInto(frame, nl, d, s, o), false));
        }
        var blockNames = blocks.SelectMany(b => b.Names).ToList();
        int scratch = st.ScratchWidth;
        if (sroWidth + blockNames.Count + scratch > width) throw new InvalidOperationException("the seed blocks do not fit in the MRO columns");
        qlm = values; qlmStride = width; qlmOffset = sroWidth + blockNames.Count;
        // Steinhardt blocks first (they use the scratch), then the others
        for (int pass = 0; pass < 2; pass++)
            for (int k = 0, col = sroWidth; k < blocks.Count; col += blocks[k].Names.Count, k++)
                if (blocks[k].Scratch == (pass == 0)) { blocks[k].Write(values, width, col); Diagnostics.PhaseTimes.Mark("seed block " + blocks[k].Names[0]); }
        qlm = null;

        // SRO columns gathered from the blocks; the element and the normalised area/volume computed here; the q̄/w̄ columns kept
        // aside (their MRO place is overwritten by the coarse-graining before they are written)
        var derived = new HashSet<string>(StringComparer.Ordinal) { ElementColumn, "voro_area_rel", "voro_volume_rel" };
        var sroFrom = new int[sroWidth];
        {
            var at = AmlearnSeedFeatureSets.ColumnsOf(blockNames, cat.SroNames.Select(c => derived.Contains(c) ? "voro_cn" : c).ToArray());
            for (int k = 0; k < sroWidth; k++) sroFrom[k] = derived.Contains(cat.SroNames[k]) ? -1 : sroWidth + at[k];
        }
        var bars = cat.Mro[^3].Columns.Concat(cat.Mro[^2].Columns).ToArray();
        var barFrom = AmlearnSeedFeatureSets.ColumnsOf(blockNames, bars).Select(c => c + sroWidth).ToArray();
        int kElement = IndexOf(cat.SroNames, ElementColumn), kArea = IndexOf(cat.SroNames, "voro_area_rel"), kVolume = IndexOf(cat.SroNames, "voro_volume_rel");
        int fArea = sroWidth + blockNames.IndexOf("voro_area"), fVolume = sroWidth + blockNames.IndexOf("voro_volume");
        var (meanFacetArea, meanSubVolume) = MeanFacet(voronoi);
        var z = ElementNumbers(frame.Species);
        var sp = frame.SpeciesIndex;
        var barValues = GC.AllocateUninitializedArray<double>(checked(n * bars.Length));
        ParallelChunks.Run(n, threads, (lo, hi) =>
        {
            for (int i = lo; i < hi; i++)
            {
                long row = (long)i * width;
                for (int k = 0; k < bars.Length; k++) barValues[(long)i * bars.Length + k] = values[row + barFrom[k]];
                double area = values[row + fArea], volume = values[row + fVolume];
                for (int k = 0; k < sroWidth; k++) if (sroFrom[k] >= 0) values[row + k] = values[row + sroFrom[k]];
                values[row + kElement] = z[sp[i]];
                values[row + kArea] = area / meanFacetArea;
                values[row + kVolume] = volume / meanSubVolume;
            }
        });

        // MRO sets 1–12: each SRO column's statistics over its own shell, runs of adjacent columns with the same shell and
        // statistics in one pass; then the averaged i-fold, q̄/w̄, and the differences
        Diagnostics.PhaseTimes.Mark("seed SRO gather");
        int dest = sroWidth;
        dest = CoarseGrainRuns(cat.SroNames, StatsOf, Shell, values, width, dest, threads);
        var means = Edges.Select(e => IndexOf(cat.AllNames, NeighborCoarseGraining.Name($"voro_n{e}", MroStat.Mean))).ToArray();
        NeighborCoarseGraining.AverageIFoldInto(values, width, means, n, values, width, dest);
        dest += 5;
        int barAt = dest;
        ParallelChunks.Run(n, threads, (lo, hi) =>
        {
            for (int i = lo; i < hi; i++)
                Array.Copy(barValues, (long)i * bars.Length, values, (long)i * width + barAt, bars.Length);
        });
        dest += bars.Length;
        IReadOnlyList<MroStat> diff = [MroStat.Diff];
        dest = CoarseGrainRuns(cat.SroNames, c => IsContinuous(c) ? diff : [], Shell, values, width, dest, threads);
        if (dest != width) throw new InvalidOperationException("the seed MRO layout does not match the catalogue");
        Diagnostics.PhaseTimes.Mark("seed MRO");
        return new PerAtomFeatures(cat.AllNames, n, values);
    }

    // coarse-grains SRO columns 0.. of the table (in order) with each column's statistics over its shell, writing from column
    // dest on; returns the next free column
    private static int CoarseGrainRuns(IReadOnlyList<string> sro, Func<string, IReadOnlyList<MroStat>> statsOf, Func<NeighborSource, NeighborList> shell,
        double[] values, int width, int dest, int threads)
    {
        for (int k0 = 0, k1; k0 < sro.Count; k0 = k1)
        {
            var stats = statsOf(sro[k0]);
            var src = ShellOf(sro[k0]);
            for (k1 = k0 + 1; k1 < sro.Count && ShellOf(sro[k1]) == src && statsOf(sro[k1]).SequenceEqual(stats); k1++) { }
            if (stats.Count == 0) continue;
            new NeighborCoarseGraining(new NeighborCoarseGrainingOptions { Stats = stats, Threads = threads })
                .ComputeInto(values, width, k0, k1 - k0, shell(src), values, width, dest);
            dest += (k1 - k0) * stats.Count;
        }
        return dest;
    }

    /// <summary>
    /// The sample's mean facet area and mean sub-polyhedron volume over every face towards an atom (the faces the Voronoi shell
    /// keeps), summed in face order.
    /// </summary>
    internal static (double Area, double SubVolume) MeanFacet(VoronoiResult voronoi)
    {
        double a = 0, v = 0;
        long m = 0;
        for (int p = 0; p < voronoi.FaceNeighbor.Length; p++)
        {
            if (voronoi.FaceNeighbor[p] < 0) continue;
            a += voronoi.FaceArea[p]; v += voronoi.FaceSubVolume[p]; m++;
        }
        return m > 0 ? (a / m, v / m) : (double.NaN, double.NaN);
    }

    /// <summary>
    /// The value of <see cref="ElementColumn"/> per species: the atomic number; for labels that are not element symbols, the
    /// 1-based rank of the label among the frame's labels in ordinal order.
    /// </summary>
    internal static double[] ElementNumbers(SpeciesTable species)
    {
        var names = species.All.Select(s => s.Name).OrderBy(s => s, StringComparer.Ordinal).ToList();
        return species.All.Select(s => s.AtomicNumber > 0 ? s.AtomicNumber : (double)(names.IndexOf(s.Name) + 1)).ToArray();
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int k = 0; k < names.Count; k++) if (names[k] == name) return k;
        throw new KeyNotFoundException($"missing column {name}");
    }
}
