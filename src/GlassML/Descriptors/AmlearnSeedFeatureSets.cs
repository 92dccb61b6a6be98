using GlassML.Neighbors;

namespace GlassML.Descriptors;

/// <summary>One named feature set of the seed-002 catalogue, with our column names and amlearn's.</summary>
/// <param name="Name">Set name as in docs/features.md.</param>
/// <param name="Family">GlassML family producing the columns (docs/names.md): voronoi, motifs, distance, steinhardt, interstice, packing, mro.</param>
/// <param name="AmlearnFeaturizer">amlearn featurizer class(es) the set corresponds to.</param>
/// <param name="Columns">Our column names (docs/names.md patterns), in catalogue order.</param>
/// <param name="AmlearnColumns">amlearn's names of the same columns, index for index.</param>
public sealed record AmlearnSeedFeatureSet(string Name, string Family, string AmlearnFeaturizer, IReadOnlyList<string> Columns, IReadOnlyList<string> AmlearnColumns)
{
    /// <summary>Number of features in the set.</summary>
    public int Count => Columns.Count;
}

/// <summary>
/// The interstice-based reading (family <c>seed-amlearn</c>; the method's own catalogue is <see cref="SeedFeatureSets"/>) of the seed-002 ("quench-in softness", Wang &amp; Jain, Nat. Commun. 10, 5537 (2019), doi:10.1038/s41467-019-13511-9;
/// features as in amlearn's SRO/MRO featurizers) catalogue: 12 short-range-order sets with 123 features computed
/// with Voronoi neighbours (SRC = <c>voro</c>), and 16 medium-range-order sets with 623 features: the six neighbour
/// statistics sum, mean, std, min, max, diff (amlearn order) of 103 SRO features — all but the character motifs and
/// the BOOP set, which is already coarse-grained — plus the 5 i-fold symmetry indices of the neighbour-averaged
/// Voronoi index. 746 names in all, unique. <see cref="Featurizer"/> family <c>seed-amlearn</c> computes them all
/// (voronoi, motifs, distance with sum, steinhardt and <see cref="IntersticeDistribution"/> over one tessellation).
/// </summary>
public static class AmlearnSeedFeatureSets
{
    private static readonly int[] Edges = [3, 4, 5, 6, 7];
    private static readonly string[] Stats5 = ["sum", "mean", "std", "min", "max"];
    private static readonly int[] Degrees = [4, 6, 8, 10];

    /// <summary>The six MRO statistics in amlearn's order (sum, mean, std, min, max, diff).</summary>
    public static IReadOnlyList<MroStat> MroStats { get; } = [MroStat.Sum, MroStat.Mean, MroStat.Std, MroStat.Min, MroStat.Max, MroStat.Diff];

    /// <summary>The 12 SRO sets (123 features).</summary>
    public static IReadOnlyList<AmlearnSeedFeatureSet> Sro { get; } = BuildSro();

    /// <summary>The 16 MRO sets (623 features).</summary>
    public static IReadOnlyList<AmlearnSeedFeatureSet> Mro { get; } = BuildMro(Sro);

    /// <summary>All SRO column names in catalogue order.</summary>
    public static IReadOnlyList<string> SroNames { get; } = Sro.SelectMany(s => s.Columns).ToArray();

    /// <summary>All MRO column names in catalogue order.</summary>
    public static IReadOnlyList<string> MroNames { get; } = Mro.SelectMany(s => s.Columns).ToArray();

    /// <summary>SRO then MRO names (746).</summary>
    public static IReadOnlyList<string> AllNames { get; } = SroNames.Concat(MroNames).ToArray();

    /// <summary>Our name → amlearn's name, for all 746 features.</summary>
    public static IReadOnlyDictionary<string, string> ToAmlearn { get; } =
        Sro.Concat(Mro).SelectMany(s => s.Columns.Zip(s.AmlearnColumns)).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);

    /// <summary>Names of the SRO sets that are coarse-grained into MRO features.</summary>
    public static IReadOnlyList<string> CoarseGrainedSets { get; } = Sro.Where(s => s.Name is not ("Character motif" or "Bond-orientational order (BOOP)")).Select(s => s.Name).ToArray();

    /// <summary>The 103 SRO columns of <see cref="CoarseGrainedSets"/>, in catalogue order.</summary>
    internal static IReadOnlyList<string> CoarseGrainedColumns { get; } = Sro.Where(s => CoarseGrainedSets.Contains(s.Name)).SelectMany(s => s.Columns).ToArray();

    /// <summary>
    /// Positions in <see cref="MroNames"/> of <c>voro_n{k}__nn_mean</c>, k = 3..7; checks once that <see cref="MroNames"/> is the
    /// layout <see cref="ComputeMroInto"/> writes: the statistics of each coarse-grained column in turn, then the averaged i-fold.
    /// </summary>
    private static readonly int[] MeanIndexColumns = MroLayout();

    /// <summary>
    /// Picks the 123 SRO columns, in catalogue order, from a block holding (at least) all of them
    /// (e.g. the concatenated voronoi, motifs, distance, steinhardt, interstice and packing blocks).
    /// Throws <see cref="KeyNotFoundException"/> listing every missing column.
    /// </summary>
    public static PerAtomFeatures SelectSro(PerAtomFeatures features) => Select(features, SroNames);

    /// <summary>
    /// The 623 MRO columns from the 123 SRO columns (<see cref="SelectSro"/>) and the Voronoi neighbour list:
    /// neighbour sum/mean/std/min/max/diff of the 103 coarse-grained columns, then <c>voro_ifold_{i}__nn_avgidx</c>.
    /// </summary>
    public static PerAtomFeatures ComputeMro(PerAtomFeatures sro, NeighborList voronoi, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(sro);
        ArgumentNullException.ThrowIfNull(voronoi);
        var cols = ColumnsOf(sro.Names, CoarseGrainedColumns);
        int n = sro.AtomCount;
        if (voronoi.AtomCount != n) throw new ArgumentException($"neighbour list has {voronoi.AtomCount} atoms, features have {n}");
        var v = Numerics.HugePages.NewDoubles(checked(n * MroNames.Count));
        ComputeMroInto(sro.Values, sro.FeatureCount, cols, voronoi, v, MroNames.Count, 0, threads);
        return new PerAtomFeatures(MroNames, n, v);
    }

    /// <summary>
    /// The values of <see cref="ComputeMro"/> for the neighbour list's atoms: the coarse-grained columns
    /// (<see cref="CoarseGrainedColumns"/>) of atom i at src[i·srcStride + coarseColumns[k]], the 623 MRO columns written to
    /// dest[i·destStride + destOffset ..) (every entry). src and dest may be the same array (same stride) when the columns do
    /// not overlap. Each run of adjacent source columns is coarse-grained in one pass (every column's statistics are independent).
    /// </summary>
    internal static void ComputeMroInto(double[] src, int srcStride, int[] coarseColumns, NeighborList voronoi, double[] dest, int destStride, int destOffset, int threads)
    {
        if (coarseColumns.Length != CoarseGrainedColumns.Count) throw new ArgumentException($"{coarseColumns.Length} columns given, {CoarseGrainedColumns.Count} are coarse-grained");
        var coarse = new NeighborCoarseGraining(new NeighborCoarseGrainingOptions { Stats = MroStats, Threads = threads });
        int ns = MroStats.Count;
        for (int k0 = 0, k1; k0 < coarseColumns.Length; k0 = k1)
        {
            for (k1 = k0 + 1; k1 < coarseColumns.Length && coarseColumns[k1] == coarseColumns[k1 - 1] + 1; k1++) { }
            coarse.ComputeInto(src, srcStride, coarseColumns[k0], k1 - k0, voronoi, dest, destStride, destOffset + ns * k0);
        }
        var means = new int[MeanIndexColumns.Length];
        for (int k = 0; k < means.Length; k++) means[k] = destOffset + MeanIndexColumns[k];
        NeighborCoarseGraining.AverageIFoldInto(dest, destStride, means, voronoi.AtomCount, dest, destStride, destOffset + ns * coarseColumns.Length);
    }

    private static int[] MroLayout()
    {
        var coarse = new NeighborCoarseGraining(new NeighborCoarseGrainingOptions { Stats = MroStats });
        var layout = coarse.FeatureNames(CoarseGrainedColumns).Concat(NeighborCoarseGraining.AverageIFoldNames).ToArray();
        if (!layout.SequenceEqual(MroNames, StringComparer.Ordinal)) throw new InvalidOperationException("the MRO catalogue does not follow the coarse-graining layout");
        return Enumerable.Range(3, 5).Select(k => Array.IndexOf(layout, NeighborCoarseGraining.Name($"voro_n{k}", MroStat.Mean))).ToArray();
    }

    /// <summary>
    /// Position in <paramref name="available"/> of each of <paramref name="names"/> (first occurrence).
    /// Throws <see cref="KeyNotFoundException"/> listing every missing column.
    /// </summary>
    internal static int[] ColumnsOf(IReadOnlyList<string> available, IReadOnlyList<string> names)
    {
        var at = new Dictionary<string, int>(available.Count, StringComparer.Ordinal);
        for (int k = 0; k < available.Count; k++) at.TryAdd(available[k], k);
        var idx = names.Select(nm => at.TryGetValue(nm, out int k) ? k : -1).ToArray();
        var missing = names.Where((_, k) => idx[k] < 0).ToArray();
        if (missing.Length > 0) throw new KeyNotFoundException($"missing {missing.Length} column(s): {string.Join(", ", missing.Take(12))}{(missing.Length > 12 ? ", …" : "")}");
        return idx;
    }

    private static PerAtomFeatures Select(PerAtomFeatures features, IReadOnlyList<string> names)
    {
        var idx = ColumnsOf(features.Names, names);
        int n = features.AtomCount, f = names.Count;
        var v = new double[(long)n * f];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < f; k++) v[(long)i * f + k] = features[i, idx[k]];
        return new PerAtomFeatures(names, n, v);
    }

    private static AmlearnSeedFeatureSet Set(string name, string family, string featurizer, IEnumerable<(string Ours, string Theirs)> cols)
    {
        var c = cols.ToArray();
        return new AmlearnSeedFeatureSet(name, family, featurizer, c.Select(p => p.Ours).ToArray(), c.Select(p => p.Theirs).ToArray());
    }

    private static IReadOnlyList<AmlearnSeedFeatureSet> BuildSro() =>
    [
        Set("Coordination number", "voronoi", "CN", [("voro_cn", "CN_voro")]),
        Set("Voronoi index", "voronoi", "VoroIndex", Edges.Select(i => ($"voro_n{i}", $"Voronoi_idx_{i}_voro"))),
        Set("Character motif", "motifs", "CharacterMotif",
        [
            ("motif_ico", "is_<0,0,12,0,0>_voro"), ("motif_z16", "is_<0,0,12,4,0>_voro"),
            ("motif_kasper", "is_polytetrahedral_voro"), ("motif_ico_or_z16", "is_<0,0,12,0/4,0>_voro"),
        ]),
        Set("i-fold symmetry", "voronoi", "IFoldSymmetry", Edges.Select(i => ($"voro_ifold_{i}", $"{i}_fold_symm_idx_voro"))),
        Set("Area-weighted i-fold symmetry", "voronoi", "AreaWtIFoldSymmetry", Edges.Select(i => ($"voro_ifold_area_{i}", $"Area_wt_{i}_fold_symm_idx_voro"))),
        Set("Volume-weighted i-fold symmetry", "voronoi", "VolWtIFoldSymmetry", Edges.Select(i => ($"voro_ifold_vol_{i}", $"Vol_wt_{i}_fold_symm_idx_voro"))),
        Set("Voronoi facet area statistics", "voronoi", "VoroAreaStats + VoroAreaStatsSeparate",
            new[] { ("voro_area", "Facet_area_sum_voro") }
                .Concat(Stats5.Skip(1).Select(s => ($"voro_facet_area_{s}", $"Facet_area_{s}_voro")))
                .Concat(Edges.SelectMany(i => Stats5.Select(s => ($"voro_facet_area_n{i}_{s}", $"{i}_edged_area_{s}_voro"))))),
        Set("Voronoi sub-polyhedron volume statistics", "voronoi", "VoroVolStats + VoroVolStatsSeparate",
            new[] { ("voro_volume", "Subpolyhedra_vol_sum_voro") }
                .Concat(Stats5.Skip(1).Select(s => ($"voro_subvol_{s}", $"Subpolyhedra_vol_{s}_voro")))
                .Concat(Edges.SelectMany(i => Stats5.Select(s => ($"voro_subvol_n{i}_{s}", $"{i}_edged_vol_{s}_voro"))))),
        Set("Neighbour distance statistics", "distance", "DistStats", Stats5.Select(s => ($"dist_voro_{s}", $"distance_{s}_voro"))),
        Set("Bond-orientational order (BOOP)", "steinhardt", "BOOP",
            Degrees.Select(l => ($"q{l}_voro", $"q_{l}_voro"))
                .Concat(Degrees.Select(l => ($"w{l}_voro", $"w_{l}_voro")))
                .Concat(Degrees.Select(l => ($"qbar{l}_voro", $"Coarse_grained_q_{l}_voro")))
                .Concat(Degrees.Select(l => ($"wbar{l}_voro", $"Coarse_grained_w_{l}_voro")))),
        Set("Interstice distribution", "interstice", "DistanceInterstice + VolumeAreaInterstice",
            Stats5.Select(s => ($"interstice_dist_voro_{s}", $"Dist_interstice_{s}_voro"))
                .Concat(Stats5.Select(s => ($"interstice_area_voro_{s}", $"Area_interstice_{s}_voro")))
                .Concat(Stats5.Select(s => ($"interstice_vol_voro_{s}", $"Volume_interstice_{s}_voro")))),
        Set("Packing efficiency", "packing", "ClusterPackingEfficiency + AtomicPackingEfficiency",
            [("cpe_voro", "Cluster_packing_efficiency_miracle_voro"), ("ape_voro", "Atomic_packing_efficiency_miracle_voro")]),
    ];

    private static IReadOnlyList<AmlearnSeedFeatureSet> BuildMro(IReadOnlyList<AmlearnSeedFeatureSet> sro)
    {
        var sets = new List<AmlearnSeedFeatureSet>();
        AmlearnSeedFeatureSet Coarse(string name, IEnumerable<(string Ours, string Theirs)> cols) =>
            Set($"MRO: {name}", "mro", "MRO (sro_to_mro)", cols.SelectMany(c => MroStats.Select(s =>
                (NeighborCoarseGraining.Name(c.Ours, s), $"MRO_{NeighborCoarseGraining.Suffix(s)}_{c.Theirs}"))));
        IEnumerable<(string, string)> Cols(AmlearnSeedFeatureSet s, int from, int count) => s.Columns.Zip(s.AmlearnColumns).Skip(from).Take(count);
        AmlearnSeedFeatureSet S(string name) => sro.First(s => s.Name == name);
        foreach (var name in new[] { "Coordination number", "Voronoi index", "i-fold symmetry", "Area-weighted i-fold symmetry", "Volume-weighted i-fold symmetry" })
            sets.Add(Coarse(name, Cols(S(name), 0, 99)));
        sets.Add(Coarse("Voronoi facet area statistics (cell)", Cols(S("Voronoi facet area statistics"), 0, 5)));
        sets.Add(Coarse("Voronoi facet area statistics (per edge count)", Cols(S("Voronoi facet area statistics"), 5, 25)));
        sets.Add(Coarse("Voronoi sub-polyhedron volume statistics (cell)", Cols(S("Voronoi sub-polyhedron volume statistics"), 0, 5)));
        sets.Add(Coarse("Voronoi sub-polyhedron volume statistics (per edge count)", Cols(S("Voronoi sub-polyhedron volume statistics"), 5, 25)));
        sets.Add(Coarse("Neighbour distance statistics", Cols(S("Neighbour distance statistics"), 0, 99)));
        sets.Add(Coarse("Distance interstice", Cols(S("Interstice distribution"), 0, 5)));
        sets.Add(Coarse("Area interstice", Cols(S("Interstice distribution"), 5, 5)));
        sets.Add(Coarse("Volume interstice", Cols(S("Interstice distribution"), 10, 5)));
        sets.Add(Coarse("Cluster packing efficiency", Cols(S("Packing efficiency"), 0, 1)));
        sets.Add(Coarse("Atomic packing efficiency", Cols(S("Packing efficiency"), 1, 1)));
        sets.Add(Set("MRO: i-fold symmetry of the neighbour-averaged Voronoi index", "mro", "MRO (line_percent of MRO_mean_Voronoi_idx)",
            Edges.Select(i => ($"voro_ifold_{i}__nn_avgidx", $"MRO_Avg_{i}_fold_symm_idx"))));
        return sets;
    }
}
