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

    /// <summary>True when the column is in the catalogue.</summary>
    public bool Contains(string column) => _setOf.ContainsKey(column);

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

    // The names are built with loops over string lists: LINQ over the int degrees and edge counts would be jitted at run time.
    private static IReadOnlyList<SeedFeatureSet> BuildSro(IReadOnlyList<string> species)
    {
        // f(shell) for both shells, one after the other
        string[] Both(Func<string, IEnumerable<string>> f)
        {
            var l = new List<string>();
            foreach (var sh in Shells) l.AddRange(f(sh));
            return l.ToArray();
        }
        string[] PerEdge(string stem)
        {
            var l = new List<string>();
            foreach (int i in Edges)
            {
                l.Add($"{stem}_n{i}_sum");
                foreach (var st in Stats4) l.Add($"{stem}_n{i}_{st}");
            }
            return l.ToArray();
        }
        string[] OfEdges(string format)
        {
            var l = new string[Edges.Length];
            for (int e = 0; e < l.Length; e++) l[e] = string.Format(System.Globalization.CultureInfo.InvariantCulture, format, Edges[e]);
            return l;
        }
        string[] OfDegrees(string prefix, string shell)
        {
            var l = new string[Degrees.Length];
            for (int d = 0; d < l.Length; d++) l[d] = $"{prefix}{Degrees[d]}_{shell}";
            return l;
        }
        string[] Csro(string shell)
        {
            var l = new List<string>();
            foreach (var e in species) l.Add($"csro_n_{e}_{shell}");
            foreach (var e in species) l.Add($"csro_x_{e}_{shell}");
            foreach (var e in species) l.Add($"wc_{e}_{shell}");
            return l.ToArray();
        }
        string[] Stats(string prefix, string suffix = "")
        {
            var l = new string[Stats4.Length];
            for (int k = 0; k < l.Length; k++) l[k] = $"{prefix}{Stats4[k]}{suffix}";
            return l;
        }
        return
        [
            new("Coordination number", false, Both(sh => [$"cn_{sh}"])),
            new("Voronoi index", false, OfEdges("voro_n{0}")),
            new("Characteristic motifs", false, MotifColumns),
            new("Voronoi area and volume (normalised)", false, ["voro_area_rel", "voro_volume_rel"]),
            new("i-fold symmetry", false, OfEdges("voro_ifold_{0}")),
            new("Area-weighted i-fold symmetry", false, [.. OfEdges("voro_ifold_area_{0}"), .. OfEdges("voro_ifold_vol_{0}")]),
            new("q4-q10", false, Both(sh => OfDegrees("q", sh))),
            new("w4-w10", false, Both(sh => OfDegrees("w", sh))),
            new("Chemical short-range order", false, [ElementColumn, .. Both(Csro)]),
            new("Facet-area statistics", false, [.. Stats("voro_facet_area_"), .. PerEdge("voro_facet_area")]),
            new("Sub-polyhedron volume statistics", false, [.. Stats("voro_subvol_"), .. PerEdge("voro_subvol")]),
            new("Distance statistics", false, Both(sh => Stats($"dist_{sh}_"))),
        ];
    }

    private static IReadOnlyList<SeedFeatureSet> BuildMro(IReadOnlyList<SeedFeatureSet> sro)
    {
        var sets = new List<SeedFeatureSet>();
        var diffs = new List<string>();
        foreach (var s in sro)
        {
            var cols = new List<string>();
            foreach (var c in s.Columns)
            {
                foreach (var st in StatsOf(c)) cols.Add(NeighborCoarseGraining.Name(c, st));
                if (IsContinuous(c)) diffs.Add(NeighborCoarseGraining.Name(c, MroStat.Diff));
            }
            sets.Add(new($"MRO: {s.Name}", true, cols.ToArray()));
        }
        var bars = new List<string>();
        foreach (var sh in Shells) foreach (int l in Degrees) bars.Add($"qbar{l}_{sh}");
        var wbars = new List<string>();
        foreach (var sh in Shells) foreach (int l in Degrees) wbars.Add($"wbar{l}_{sh}");
        sets.Add(new("MRO: i-fold symmetry of the neighbour-averaged Voronoi index", true, NeighborCoarseGraining.AverageIFoldNames));
        sets.Add(new("MRO: coarse-grained q-bar", true, bars.ToArray()));
        sets.Add(new("MRO: coarse-grained w-bar", true, wbars.ToArray()));
        sets.Add(new("MRO: neighbour mean minus self", true, diffs.ToArray()));
        return sets;
    }

    /// <summary>
    /// Computes the catalogue (<see cref="SeedCatalogue.AllNames"/> of the frame's species, in order) from a tessellation and the
    /// cutoff shell: the voronoi, motifs, distance, steinhardt and csro blocks over both shells, the element and the normalised
    /// area/volume columns, then the MRO sets, each column's statistics over its own shell (<see cref="ShellOf"/>).
    /// The SRO columns, the blocks they come from and the Steinhardt q_lm scratch are computed for every atom first; the table is
    /// streamed (its rows, with their MRO columns, computed a block at a time as a writer reads them in id order; reading
    /// <see cref="PerAtomFeatures.Values"/> computes it whole). Bit-identical for any thread count.
    /// </summary>
    /// <exception cref="ArgumentException">The tessellation or list covers another atom count, or the list is not a cutoff shell.</exception>
    public static PerAtomFeatures Compute(Frame frame, VoronoiResult voronoi, NeighborList cutoff, int threads = 0) =>
        ComputeInBlocks(frame, voronoi, cutoff, threads, StreamRows);

    /// <summary><see cref="Compute(Frame, VoronoiResult, NeighborList, int)"/> streamed in blocks of <paramref name="blockRows"/> rows (tests).</summary>
    internal static PerAtomFeatures ComputeInBlocks(Frame frame, VoronoiResult voronoi, NeighborList cutoff, int threads, int blockRows)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(voronoi);
        ArgumentNullException.ThrowIfNull(cutoff);
        DescriptorArguments.Check(frame, voronoi);
        DescriptorArguments.Check(frame, cutoff);
        if (cutoff.Source != "cut") throw new ArgumentException($"the cutoff shell has source '{cutoff.Source}', expected 'cut'");
        var cat = For(frame.Species.All.Select(s => s.Name).ToArray());
        int n = frame.Count, sroWidth = cat.SroNames.Count, width = cat.AllNames.Count;
        var voro = voronoi.Neighbors;
        NeighborList Shell(NeighborSource s) => s == NeighborSource.Cutoff ? cutoff : voro;

        var qlm = new QlmScratch();
        var blocks = Blocks(frame, voronoi, cutoff, threads, qlm);
        var blockNames = blocks.SelectMany(b => b.Names).ToList();
        int scratch = new Steinhardt(new SteinhardtOptions { Threads = threads }).ScratchWidth;
        // the SRO columns that are not a block's column: the element and the normalised area/volume, computed below
        var derived = new HashSet<string>(StringComparer.Ordinal) { ElementColumn, "voro_area_rel", "voro_volume_rel" };
        var at = AmlearnSeedFeatureSets.ColumnsOf(blockNames, cat.SroNames.Select(c => derived.Contains(c) ? "voro_cn" : c).ToArray());
        var continuous = new bool[blockNames.Count];   // block-name index → a continuous SRO column
        for (int k = 0; k < sroWidth; k++) if (!derived.Contains(cat.SroNames[k]) && IsContinuous(cat.SroNames[k])) continuous[at[k]] = true;
        // The work table holds the derived columns, then the blocks (no copy of the SRO columns: each MRO group is coarse-grained
        // where its columns lie). The blocks are placed by shell, and within a shell those with continuous SRO columns first, then the
        // Steinhardt blocks (their q_l and w_l first, q̄/ŵ̄ last), then the others (the motif flags), so that each group's columns —
        // shell and statistics — lie in one range with few columns of other groups in it (coarse-grained with it, their statistics
        // not used). The Steinhardt blocks are written first and their q_lm scratch lies in the columns before them (derived and
        // other blocks), written only afterwards — or after the table's end if those were fewer.
        var place = new int[blocks.Count];
        {
            var key = new int[blocks.Count];
            var order = new int[blocks.Count];
            for (int k = 0, j = 0; k < blocks.Count; j += blocks[k].Names.Count, k++)
            {
                int rank = 2;
                if (blocks[k].Scratch) rank = 1;
                else for (int c = 0; c < blocks[k].Names.Count; c++) if (continuous[j + c]) { rank = 0; break; }
                key[k] = ((int)blocks[k].Shell * 3 + rank) * blocks.Count + k;   // stable: the blocks' own order within a rank
                order[k] = k;
            }
            Array.Sort(key, order);
            for (int q = 0, col = derived.Count; q < order.Length; col += blocks[order[q]].Names.Count, q++) place[order[q]] = col;
        }
        var colOf = new int[blockNames.Count];   // block-name index → work-table column
        for (int k = 0, j = 0; k < blocks.Count; k++) for (int c = 0; c < blocks[k].Names.Count; c++, j++) colOf[j] = place[k] + c;
        int firstScratchBlock = int.MaxValue;
        for (int k = 0; k < blocks.Count; k++) if (blocks[k].Scratch) firstScratchBlock = Math.Min(firstScratchBlock, place[k]);
        bool scratchInFront = scratch <= firstScratchBlock;
        int tableWidth = derived.Count + blockNames.Count, ww = tableWidth + (scratchInFront ? 0 : scratch);
        var values = Numerics.HugePages.NewDoubles(checked(n * ww));
        qlm.Values = values; qlm.Stride = ww; qlm.Offset = scratchInFront ? 0 : tableWidth;
        // Steinhardt blocks first (they use the scratch), then the others
        for (int pass = 0; pass < 2; pass++)
            for (int k = 0; k < blocks.Count; k++)
                if (blocks[k].Scratch == (pass == 0)) { blocks[k].Write(values, ww, place[k]); Diagnostics.PhaseTimes.Mark("seed block " + blocks[k].Names[0]); }
        qlm.Values = null;

        // sroFrom[k]: the work-table column of SRO column k (the derived ones in the table's first columns, in catalogue order)
        // (Plain loops and arrays here: LINQ and lists over value tuples would each be jitted at run time, a one-thread cost of
        // every call.)
        var sroFrom = new int[sroWidth];
        for (int k = 0, d = 0; k < sroWidth; k++) sroFrom[k] = derived.Contains(cat.SroNames[k]) ? d++ : colOf[at[k]];
        var groups = GroupsOf(cat.SroNames);
        var bars = cat.Mro[^3].Columns.Concat(cat.Mro[^2].Columns).ToArray();
        var barFrom = AmlearnSeedFeatureSets.ColumnsOf(blockNames, bars);
        for (int b = 0; b < barFrom.Length; b++) barFrom[b] = colOf[barFrom[b]];
        int kElement = IndexOf(cat.SroNames, ElementColumn), kArea = IndexOf(cat.SroNames, "voro_area_rel"), kVolume = IndexOf(cat.SroNames, "voro_volume_rel");
        int fArea = colOf[blockNames.IndexOf("voro_area")], fVolume = colOf[blockNames.IndexOf("voro_volume")];
        var (meanFacetArea, meanSubVolume) = MeanFacet(voronoi);
        var z = ElementNumbers(frame.Species);
        var sp = frame.SpeciesIndex;
        ParallelChunks.Run(n, threads, (lo, hi) =>
        {
            for (int i = lo; i < hi; i++)
            {
                long row = (long)i * ww;
                values[row + sroFrom[kElement]] = z[sp[i]];
                values[row + sroFrom[kArea]] = values[row + fArea] / meanFacetArea;
                values[row + sroFrom[kVolume]] = values[row + fVolume] / meanSubVolume;
            }
        });

        // MRO sets 1–12: each SRO column's statistics over its own shell, one group of columns with the same shell and
        // statistics at a time (each column's statistics written to their place in the row); then the averaged
        // i-fold, q̄/w̄, and the differences. They read only the SRO columns (of the atom and its
        // neighbours) and write only the atom's row: the table is streamed, the rows computed a block at a time as a writer
        // takes them (so that writing overlaps computing, and the N × 746 table exists only if it is asked for as a whole), each
        // atom's runs one after the other while its neighbours' SRO rows are in the cache. A difference is the column's
        // neighbour mean (already in the row: every continuous column has the mean statistic over the same shell) minus its own
        // value, as NeighborCoarseGraining's Diff computes it (the same sum over the same neighbours, divided by their count),
        // without a second pass over the neighbours.
        Diagnostics.PhaseTimes.Mark("seed derived columns");
        var runs = new List<CoarseRun>();
        int dest = sroWidth, maxFin = 0;
        foreach (var g in groups)
        {
            var stats = StatsOf(cat.SroNames[g[0]]);
            dest += g.Count * stats.Count;
            if (stats.Count == 0) continue;
            // the range of work-table columns that holds the group's columns; to[c]: where column lo + c's statistics go in the
            // row (from the row's start), −1 for a column of another group or block inside the range
            int lo = int.MaxValue, hi = 0;
            foreach (int k in g) { lo = Math.Min(lo, sroFrom[k]); hi = Math.Max(hi, sroFrom[k] + 1); }
            var to = new int[hi - lo];
            Array.Fill(to, -1);
            foreach (int k in g)
            {
                int first = IndexOf(cat.AllNames, NeighborCoarseGraining.Name(cat.SroNames[k], stats[0]));
                for (int t = 0; t < stats.Count; t++)
                    if (cat.AllNames[first + t] != NeighborCoarseGraining.Name(cat.SroNames[k], stats[t])) throw new InvalidOperationException("the seed MRO layout does not match the catalogue");
                if (to[sroFrom[k] - lo] >= 0) throw new InvalidOperationException("two seed SRO columns share a work-table column");
                to[sroFrom[k] - lo] = first;
            }
            runs.Add(new CoarseRun(new NeighborCoarseGraining(new NeighborCoarseGrainingOptions { Stats = stats, Threads = threads }), lo, to.Length,
                Shell(ShellOf(cat.SroNames[g[0]])), to));
            maxFin = Math.Max(maxFin, to.Length);
        }
        var means = new int[Edges.Length];
        for (int e = 0; e < Edges.Length; e++) means[e] = IndexOf(cat.AllNames, NeighborCoarseGraining.Name($"voro_n{Edges[e]}", MroStat.Mean));
        int ifoldAt = dest;
        dest += 5;
        int barAt = dest;
        dest += bars.Length;
        int diffAt = dest;
        // the differences: own SRO column, its neighbour mean's row column, the offsets of its shell
        var diffSelf = new List<int>();
        var diffMean = new List<int>();
        var diffOffsets = new List<int[]>();
        for (int k = 0; k < sroWidth; k++)
        {
            string c = cat.SroNames[k];
            if (!IsContinuous(c)) continue;
            if (diffAt + diffSelf.Count >= width || cat.AllNames[diffAt + diffSelf.Count] != NeighborCoarseGraining.Name(c, MroStat.Diff))
                throw new InvalidOperationException("the seed MRO layout does not match the catalogue");
            diffSelf.Add(k);
            diffMean.Add(IndexOf(cat.AllNames, NeighborCoarseGraining.Name(c, MroStat.Mean)));
            diffOffsets.Add(Shell(ShellOf(c)).Offsets);
        }
        if (diffAt + diffSelf.Count != width) throw new InvalidOperationException("the seed MRO layout does not match the catalogue");
        // the SRO columns in catalogue order: pieces of adjacent columns (from work-table column, to row column, count)
        var pieceFrom = new List<int>();
        var pieceTo = new List<int>();
        var pieceCount = new List<int>();
        for (int k = 0; k < sroWidth; k++)
            if (k > 0 && sroFrom[k] == sroFrom[k - 1] + 1) pieceCount[^1]++;
            else { pieceFrom.Add(sroFrom[k]); pieceTo.Add(k); pieceCount.Add(1); }
        var runArray = runs.ToArray();
        var pFrom = pieceFrom.ToArray(); var pTo = pieceTo.ToArray(); var pCount = pieceCount.ToArray();
        var dSelf = diffSelf.ToArray(); var dMean = diffMean.ToArray(); var dOffsets = diffOffsets.ToArray();
        void Fill(AtomRows rows, double[] table) =>
            ParallelChunks.Run(rows.Count, threads, () => new NeighborCoarseGraining.Accumulator(maxFin), (lo, hi, a) =>
            {
                for (int k = lo; k < hi; k++)
                {
                    int i = rows.Atom(k);
                    long row = (long)k * width, src = (long)i * ww;
                    for (int q = 0; q < pFrom.Length; q++) Array.Copy(values, src + pFrom[q], table, row + pTo[q], pCount[q]);
                    foreach (var r in runArray)
                        r.Coarse.RowInto(i, values, ww, r.K0, r.Fin, r.Shell.Offsets, r.Shell.Index, table, row, a, r.Dest);
                    // after the statistics: their means feed the averaged i-fold index and the differences
                    NeighborCoarseGraining.AverageIFoldRow(table, row, means, table, row + ifoldAt);
                    for (int b = 0; b < bars.Length; b++) table[row + barAt + b] = values[src + barFrom[b]];
                    for (int d = 0; d < dSelf.Length; d++)
                    {
                        var offsets = dOffsets[d];
                        // no neighbours: NaN, as every statistic of such an atom
                        table[row + diffAt + d] = offsets[i + 1] == offsets[i] ? double.NaN : table[row + dMean[d]] - table[row + dSelf[d]];
                    }
                }
            });
        return new PerAtomFeatures(cat.AllNames, n, Fill, Io.WriterSupport.SharedOrderById(frame), blockRows, PerAtomFeatures.PipelineFor(threads));
    }

    // one group of SRO columns coarse-grained together: the statistics, the first work-table column of the range that holds the
    // group, the range's number of columns, the shell, and where each column's statistics go in the row (−1: a column of the range
    // that is not the group's)
    private sealed record CoarseRun(NeighborCoarseGraining Coarse, int K0, int Fin, NeighborList Shell, int[] Dest);

    /// <summary>
    /// The SRO columns (indices into <paramref name="sroNames"/>) grouped by neighbour shell and statistics: the groups in the
    /// order of their first column, each in catalogue order.
    /// </summary>
    private static List<List<int>> GroupsOf(IReadOnlyList<string> sroNames)
    {
        var keys = new List<int>();
        var groups = new List<List<int>>();
        for (int k = 0; k < sroNames.Count; k++)
        {
            string c = sroNames[k];
            // the statistics of StatsOf: continuous, none (the element) or the motif flags
            int key = 3 * (int)ShellOf(c) + (IsContinuous(c) ? 0 : c == ElementColumn ? 1 : 2);
            int g = keys.IndexOf(key);
            if (g < 0) { g = keys.Count; keys.Add(key); groups.Add([]); }
            groups[g].Add(k);
        }
        return groups;
    }

    /// <summary>Rows per block of the streamed table of <see cref="Compute"/>.</summary>
    private const int StreamRows = 2048;

    // the q_lm scratch of the Steinhardt blocks (null = each block allocates its own)
    private sealed class QlmScratch
    {
        public double[]? Values;
        public int Stride, Offset;
    }

    // one block of SRO source columns: its names, how to write it (dest, stride, offset), whether it uses the q_lm scratch
    // and the neighbour shell it is computed over
    private sealed record Block(IReadOnlyList<string> Names, Action<double[], int, int> Write, bool Scratch, NeighborSource Shell);

    // the blocks the SRO columns are taken from: voronoi, motifs, then distance, steinhardt, csro over the Voronoi
    // neighbours and over the cutoff shell (a null cutoff shell: the names only; writing those blocks fails); without averages,
    // the Steinhardt blocks hold q_l and w_l only (the same values: the averages are a second pass)
    private static List<Block> Blocks(Frame frame, VoronoiResult voronoi, NeighborList? cutoff, int threads, QlmScratch qlm, bool averages = true)
    {
        var vs = new VoronoiStatistics(threads);
        var mo = new Motifs();
        var ds = new DistanceStatistics(new DistanceStatisticsOptions { Threads = threads });
        var st = new Steinhardt(new SteinhardtOptions { Threads = threads, Average = averages });
        var co = new ChemicalOrder(new ChemicalOrderOptions { Threads = threads });
        var blocks = new List<Block>
        {
            new(vs.FeatureNames, (d, s, o) => vs.ComputeInto(frame, voronoi, d, s, o), false, NeighborSource.Voronoi),
            new(mo.FeatureNames, (d, s, o) => mo.ComputeInto(frame, voronoi, d, s, o, threads), false, NeighborSource.Voronoi),
        };
        foreach (var (nl, source, shell) in new[] { (voronoi.Neighbors, voronoi.Neighbors.Source, NeighborSource.Voronoi), (cutoff, "cut", NeighborSource.Cutoff) })
        {
            NeighborList List() => nl ?? throw new InvalidOperationException("the cutoff shell is needed but was not given");
            blocks.Add(new(ds.FeatureNames(source), (d, s, o) => ds.ComputeInto(frame, List(), d, s, o), false, shell));
            blocks.Add(new(st.FeatureNames(source), (d, s, o) => st.ComputeInto(frame, List(), d, s, o, qlm.Values, qlm.Stride, qlm.Offset), true, shell));
            blocks.Add(new(co.FeatureNames(frame.Species, source), (d, s, o) => co.ComputeInto(frame, List(), d, s, o), false, shell));
        }
        return blocks;
    }

    // what one requested column is: an SRO column, an MRO statistic of an SRO column over its shell, an i-fold symmetry of
    // the neighbour-averaged Voronoi index (index 0–4) or a q̄/w̄ column
    private enum ColumnKind { Sro, Mro, AverageIFold, Bar }

    private readonly record struct ColumnPlan(ColumnKind Kind, string Sro, MroStat Stat, int Index);

    private static Dictionary<string, ColumnPlan> PlanOf(SeedCatalogue cat)
    {
        var plan = new Dictionary<string, ColumnPlan>(StringComparer.Ordinal);
        foreach (var c in cat.SroNames)
        {
            plan[c] = new(ColumnKind.Sro, c, default, 0);
            foreach (var s in StatsOf(c).Concat(IsContinuous(c) ? [MroStat.Diff] : Array.Empty<MroStat>()))
                plan[NeighborCoarseGraining.Name(c, s)] = new(ColumnKind.Mro, c, s, 0);
        }
        for (int k = 0; k < NeighborCoarseGraining.AverageIFoldNames.Count; k++)
            plan[NeighborCoarseGraining.AverageIFoldNames[k]] = new(ColumnKind.AverageIFold, "", default, k);
        foreach (var c in cat.Mro[^3].Columns.Concat(cat.Mro[^2].Columns)) plan[c] = new(ColumnKind.Bar, c, default, 0);
        if (plan.Count != cat.AllNames.Count) throw new InvalidOperationException("the seed column plan does not cover the catalogue");
        return plan;
    }

    /// <summary>
    /// True when any of the columns (of the catalogue of <paramref name="species"/>) needs the cutoff shell: a <c>_cut</c> SRO
    /// column, any MRO statistic of one, or a q̄/w̄ column over the cutoff shell.
    /// </summary>
    /// <exception cref="ArgumentException">A column is not in the catalogue.</exception>
    public static bool NeedsCutoff(IReadOnlyList<string> species, IEnumerable<string> columns)
    {
        var plan = PlanOf(For(species));
        return columns.Any(c => Resolve(plan, c) is var p && p.Kind != ColumnKind.AverageIFold && ShellOf(p.Sro) == NeighborSource.Cutoff);
    }

    private static ColumnPlan Resolve(Dictionary<string, ColumnPlan> plan, string column) =>
        plan.TryGetValue(column, out var p) ? p : throw new ArgumentException($"'{column}' is not a column of the seed feature set");

    /// <summary>
    /// Only the named columns of <see cref="Compute"/>, in the given order, with the same values bit for bit, computing only
    /// what they depend on: the source blocks holding the SRO columns they use (an MRO statistic needs its SRO column on every
    /// atom of its shell; the averaged i-fold index the five Voronoi-index means; q̄/w̄ the Steinhardt block of their shell),
    /// one block at a time, keeping only the needed SRO columns. Memory ≈ the largest block plus the needed columns instead of
    /// the whole catalogue. <paramref name="cutoff"/> may be null when no column needs the cutoff shell (<see cref="NeedsCutoff"/>).
    /// </summary>
    /// <exception cref="ArgumentException">A column is not in the catalogue or named twice; the cutoff shell is needed but null.</exception>
    public static PerAtomFeatures ComputeColumns(Frame frame, VoronoiResult voronoi, NeighborList? cutoff, IReadOnlyList<string> columns, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(voronoi);
        ArgumentNullException.ThrowIfNull(columns);
        DescriptorArguments.Check(frame, voronoi);
        if (cutoff is not null)
        {
            DescriptorArguments.Check(frame, cutoff);
            if (cutoff.Source != "cut") throw new ArgumentException($"the cutoff shell has source '{cutoff.Source}', expected 'cut'");
        }
        if (columns.Distinct(StringComparer.Ordinal).Count() != columns.Count) throw new ArgumentException("a seed column is requested twice");
        var species = frame.Species.All.Select(s => s.Name).ToArray();
        var cat = For(species);
        var plan = PlanOf(cat);
        var plans = columns.Select(c => Resolve(plan, c)).ToArray();
        if (cutoff is null && NeedsCutoff(species, columns)) throw new ArgumentException("the requested seed columns need the cutoff shell");
        int n = frame.Count, width = columns.Count;

        // the SRO columns needed, in catalogue order, and the q̄/w̄ columns
        var ifoldSources = Edges.Select(e => $"voro_n{e}").ToArray();
        var needSro = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in plans)
            if (p.Kind is ColumnKind.Sro or ColumnKind.Mro) needSro.Add(p.Sro);
            else if (p.Kind == ColumnKind.AverageIFold) needSro.UnionWith(ifoldSources);
        var sro = cat.SroNames.Where(needSro.Contains).ToArray();
        var bars = plans.Where(p => p.Kind == ColumnKind.Bar).Select(p => p.Sro).ToArray();
        int ns = sro.Length, nb = bars.Length;
        var sroValues = Numerics.HugePages.NewDoubles(checked(n * ns));
        var barValues = Numerics.HugePages.NewDoubles(checked(n * nb));

        // source columns: the SRO columns themselves, the cell area/volume of the normalised ones (none for the element)
        string SourceOf(string c) => c switch { "voro_area_rel" => "voro_area", "voro_volume_rel" => "voro_volume", _ => c };
        var sources = sro.Where(c => c != ElementColumn).Select(SourceOf).Concat(bars).ToHashSet(StringComparer.Ordinal);
        var z = ElementNumbers(frame.Species);
        var sp = frame.SpeciesIndex;
        var (meanFacetArea, meanSubVolume) = sro.Contains("voro_area_rel") || sro.Contains("voro_volume_rel") ? MeanFacet(voronoi) : (double.NaN, double.NaN);
        int kElement = Array.IndexOf(sro, ElementColumn);
        if (kElement >= 0) ParallelChunks.Run(n, threads, (lo, hi) => { for (int i = lo; i < hi; i++) sroValues[(long)i * ns + kElement] = z[sp[i]]; });
        foreach (var b in Blocks(frame, voronoi, cutoff, threads, new QlmScratch(), averages: nb > 0))
        {
            if (!b.Names.Any(sources.Contains)) continue;
            int bw = b.Names.Count;
            var block = Numerics.HugePages.NewDoubles(checked(n * bw));
            b.Write(block, bw, 0);
            var copies = new List<(int From, int To, bool Bar, double Scale)>();
            for (int k = 0; k < ns; k++)
            {
                int at = IndexIn(b.Names, SourceOf(sro[k]));
                if (at >= 0) copies.Add((at, k, false, sro[k] switch { "voro_area_rel" => meanFacetArea, "voro_volume_rel" => meanSubVolume, _ => double.NaN }));
            }
            for (int k = 0; k < nb; k++)
                if (IndexIn(b.Names, bars[k]) is int at and >= 0) copies.Add((at, k, true, double.NaN));
            ParallelChunks.Run(n, threads, (lo, hi) =>
            {
                for (int i = lo; i < hi; i++)
                    foreach (var (from, to, bar, scale) in copies)
                    {
                        double v = block[(long)i * bw + from];
                        if (bar) barValues[(long)i * nb + to] = v;
                        else sroValues[(long)i * ns + to] = double.IsNaN(scale) ? v : v / scale;
                    }
            });
        }

        // the requested columns
        var values = Numerics.HugePages.NewDoubles(checked(n * width));
        NeighborList Shell(NeighborSource s) => s == NeighborSource.Cutoff ? cutoff! : voronoi.Neighbors;
        double[]? ifold = null;
        for (int j = 0; j < width; j++)
        {
            var p = plans[j];
            switch (p.Kind)
            {
                case ColumnKind.Sro:
                    CopyColumn(sroValues, ns, Array.IndexOf(sro, p.Sro), values, width, j, n, threads);
                    break;
                case ColumnKind.Mro:
                    new NeighborCoarseGraining(new NeighborCoarseGrainingOptions { Stats = [p.Stat], Threads = threads })
                        .ComputeInto(sroValues, ns, Array.IndexOf(sro, p.Sro), 1, Shell(ShellOf(p.Sro)), values, width, j);
                    break;
                case ColumnKind.AverageIFold:
                    if (ifold is null)
                    {
                        var means = Numerics.HugePages.NewDoubles(checked(n * 5));
                        var mean = new NeighborCoarseGraining(new NeighborCoarseGrainingOptions { Stats = [MroStat.Mean], Threads = threads });
                        for (int k = 0; k < 5; k++) mean.ComputeInto(sroValues, ns, Array.IndexOf(sro, ifoldSources[k]), 1, voronoi.Neighbors, means, 5, k);
                        ifold = Numerics.HugePages.NewDoubles(checked(n * 5));
                        NeighborCoarseGraining.AverageIFoldInto(means, 5, [0, 1, 2, 3, 4], n, ifold, 5, 0);
                    }
                    CopyColumn(ifold, 5, p.Index, values, width, j, n, threads);
                    break;
                default:
                    CopyColumn(barValues, nb, Array.IndexOf(bars, p.Sro), values, width, j, n, threads);
                    break;
            }
        }
        return new PerAtomFeatures(columns.ToArray(), n, values);
    }

    private static int IndexIn(IReadOnlyList<string> names, string name)
    {
        for (int k = 0; k < names.Count; k++) if (names[k] == name) return k;
        return -1;
    }

    private static void CopyColumn(double[] src, int srcStride, int srcColumn, double[] dest, int destStride, int destColumn, int n, int threads) =>
        ParallelChunks.Run(n, threads, (lo, hi) =>
        {
            for (int i = lo; i < hi; i++) dest[(long)i * destStride + destColumn] = src[(long)i * srcStride + srcColumn];
        });

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
        var z = new double[species.Count];
        for (int s = 0; s < z.Length; s++) z[s] = species[s].AtomicNumber > 0 ? species[s].AtomicNumber : names.IndexOf(species[s].Name) + 1;
        return z;
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int k = 0; k < names.Count; k++) if (names[k] == name) return k;
        throw new KeyNotFoundException($"missing column {name}");
    }
}
