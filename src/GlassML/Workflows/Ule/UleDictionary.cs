using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using GlassML.Descriptors;
using GlassML.Io;
using GlassML.Neighbors;
using GlassML.Structure;
using GlassML.Voronoi;

namespace GlassML.Workflows.Ule;

/// <summary>The atom that founded a ULE, with its provenance and Voronoi index.</summary>
/// <param name="Sample">Sample name.</param>
/// <param name="File">Structure file as given in the manifest.</param>
/// <param name="Frame">Frame index in the file (−1 = last).</param>
/// <param name="AtomId">Atom id.</param>
/// <param name="Species">Species of the atom.</param>
/// <param name="VoronoiIndex">⟨n3, n4, n5, n6, n≥7⟩ of its Voronoi cell.</param>
public sealed record UleFounder(string Sample, string File, int Frame, long AtomId, string Species, int[] VoronoiIndex)
{
    /// <summary>Kasper (Frank–Kasper-like) cell: 2·n4 + n5 = 12.</summary>
    public bool Kasper => 2 * VoronoiIndex[1] + VoronoiIndex[2] == 12;
    /// <summary>Full icosahedron ⟨0,0,12,0⟩.</summary>
    public bool Icosahedral => VoronoiIndex[0] == 0 && VoronoiIndex[1] == 0 && VoronoiIndex[2] == 12 && VoronoiIndex[3] == 0 && VoronoiIndex[4] == 0;
    /// <summary>The index as text, e.g. <c>&lt;0,0,12,0&gt;</c> (n≥7 appended when non-zero).</summary>
    public string IndexText => VoronoiIndex[4] == 0
        ? $"<{VoronoiIndex[0]},{VoronoiIndex[1]},{VoronoiIndex[2]},{VoronoiIndex[3]}>"
        : $"<{VoronoiIndex[0]},{VoronoiIndex[1]},{VoronoiIndex[2]},{VoronoiIndex[3]},{VoronoiIndex[4]}>";
}

/// <summary>A point of the ULE count against threshold curve.</summary>
/// <param name="Threshold">Threshold.</param>
/// <param name="Count">ULE count on the training set.</param>
/// <param name="Capped">True when clustering stopped at the cap (the count is a lower bound).</param>
public sealed record UleCountPoint(double Threshold, int Count, bool Capped);

/// <summary>Each atom's ULE in one sample.</summary>
/// <param name="Ids">Atom ids (increasing).</param>
/// <param name="Species">Species name of each atom.</param>
/// <param name="Ule">Index of the atom's ULE (highest M, ties lowest index), −1 when below the threshold of every ULE.</param>
/// <param name="Nearest">Index of the most similar ULE even when below the threshold.</param>
/// <param name="M">Best similarity M.</param>
/// <param name="Counts">Atoms per ULE.</param>
/// <param name="Unassigned">Atoms below the threshold of every ULE.</param>
public sealed record UleAssignment(long[] Ids, string[] Species, int[] Ule, int[] Nearest, double[] M, long[] Counts, int Unassigned)
{
    /// <summary>Number of atoms N.</summary>
    public int AtomCount => Ids.Length;
    /// <summary>Fractions counts / N per ULE (the sample vector).</summary>
    public double[] Fractions() => Counts.Select(c => (double)c / AtomCount).ToArray();
}

/// <summary>
/// A dictionary of unique local environments (ULEs): SOAP vectors of founder atoms found by leader clustering of the
/// training atoms (manifest → frame → atom-id order; an atom founds a new ULE when its best similarity M to the existing
/// ULEs is below the threshold). Versioned JSON file (<see cref="Save"/>/<see cref="Load"/>), reusable on samples of any
/// size: <see cref="Assign"/> gives each atom the ULE of highest M (ties lowest index) or −1 (unassigned).
/// </summary>
public sealed partial class UleDictionary
{
    /// <summary>Value of the <c>format</c> field.</summary>
    public const string Format = "glassml-ule-dictionary";
    /// <summary>
    /// Newest schema version: 1 = <c>vectors_base64</c> is one string; 2 = it may be an array of strings (chunks of
    /// whole vectors, concatenated in order), written when one string would exceed <see cref="ChunkBytes"/> (JSON strings
    /// are limited to about 166 MB, a 5,000-ULE dictionary with the method's SOAP holds 131 MB of vectors).
    /// </summary>
    public const int Schema = 2;
    /// <summary>Largest number of vector bytes in one base-64 string.</summary>
    public const int ChunkBytes = 1 << 25;

    private readonly SimilarityIndex _index;

    private UleDictionary(SoapOptions soap, UleSimilarity sim, double zeta, double threshold, SimilarityIndex index, IReadOnlyList<UleFounder> founders)
    {
        Soap = soap; Similarity = sim; Zeta = zeta; Threshold = threshold; _index = index; Founders = founders;
    }

    /// <summary>SOAP options (species fixed, rows normalised).</summary>
    public SoapOptions Soap { get; }
    /// <summary>Species in SOAP order.</summary>
    public IReadOnlyList<string> Species => Soap.Species!;
    /// <summary>Similarity measure.</summary>
    public UleSimilarity Similarity { get; }
    /// <summary>Exponent ζ.</summary>
    public double Zeta { get; }
    /// <summary>Threshold of clustering and assignment.</summary>
    public double Threshold { get; }
    /// <summary>The target count the threshold was bisected to, if any.</summary>
    public int? TargetCount { get; private init; }
    /// <summary>Number of ULEs.</summary>
    public int Count => _index.Count;
    /// <summary>SOAP vector length.</summary>
    public int FeatureCount => _index.F;
    /// <summary>Founder of each ULE.</summary>
    public IReadOnlyList<UleFounder> Founders { get; }
    /// <summary>Training atoms assigned to each ULE (final assignment against the whole dictionary).</summary>
    public long[] Counts { get; private init; } = [];
    /// <summary>Training atoms.</summary>
    public long TrainingAtoms { get; private init; }
    /// <summary>Training samples.</summary>
    public int TrainingSamples { get; private init; }
    /// <summary>Training atoms left unassigned (0 by construction).</summary>
    public long TrainingUnassigned { get; private init; }
    /// <summary>Lowest best-M over training atoms (≥ threshold by construction).</summary>
    public double TrainingMinM { get; private init; }
    /// <summary>ULE count against threshold on the training set.</summary>
    public IReadOnlyList<UleCountPoint> Curve { get; private init; } = [];
    /// <summary>The SOAP vector of ULE j (unit length).</summary>
    public ReadOnlySpan<double> Vector(int j) => _index.Vector(j);
    /// <summary>ULE column names <c>ule_0</c> … .</summary>
    public IReadOnlyList<string> ColumnNames => Enumerable.Range(0, Count).Select(j => $"ule_{j}").ToArray();

    // ------------------------------------------------------------------ SOAP of one sample

    /// <summary>Unit-length SOAP rows of a frame (atoms in the frame's order), with this dictionary's options.</summary>
    public double[] SoapRows(Frame frame, string file, int threads) => ComputeSoap(Soap, frame, file, threads);

    private static double[] ComputeSoap(SoapOptions opts, Frame frame, string file, int threads)
    {
        var counts = frame.SpeciesCounts();
        for (int s = 0; s < frame.Species.Count; s++)
            if (counts[s] > 0 && !opts.Species!.Contains(frame.Species[s].Name))
                throw new InputFormatException(file, 0, $"species '{frame.Species[s].Name}' is not one of the dictionary's species ({string.Join(", ", opts.Species!)}); map LAMMPS types with --types if the names differ");
        var soap = new Soap(opts with { Threads = threads });
        return soap.Compute(frame).Values;
    }

    // ------------------------------------------------------------------ build

    /// <summary>
    /// Builds the dictionary from the training samples (in the given order; atoms by increasing id). SOAP rows are
    /// computed one sample at a time and kept in a temporary file (never all in memory) while the threshold is bisected
    /// (<see cref="UleOptions.TargetCount"/>) and the count-versus-threshold curve is measured.
    /// </summary>
    /// <param name="samples">Training samples.</param>
    /// <param name="read">Reader options (LAMMPS type → species map).</param>
    /// <param name="options">Dictionary options.</param>
    /// <param name="rowParts">Optional: each sample's SOAP rows written by <see cref="WriteSampleRows"/> (the first pass of a
    /// sharded build); the dictionary is then exactly the one computed from the structures.</param>
    /// <exception cref="InputFormatException">A structure cannot be read or has an unknown species, or a row part does not fit.</exception>
    /// <exception cref="ArgumentException">Bad options or no samples.</exception>
    public static UleDictionary Build(IReadOnlyList<UleSample> samples, ReadOptions? read, UleOptions options, IReadOnlyList<string>? rowParts = null)
    {
        options.Validate();
        if (samples.Count == 0) throw new ArgumentException("no training samples to build the dictionary from");
        int threads = options.Threads;
        using var cache = new RowCache();
        SoapOptions? soap = null;
        var meta = new List<(UleSample Sample, long[] Ids, string[] Species)>();
        if (rowParts is not null && rowParts.Count != samples.Count) throw new ArgumentException($"{rowParts.Count} row parts for {samples.Count} training samples");
        for (int si = 0; si < samples.Count; si++)
        {
            var s = samples[si];
            if (rowParts is not null)
            {
                soap ??= ResolveSoap(options, samples, read);
                var (ids, species, prows) = ReadSampleRows(rowParts[si], new Soap(soap).FeatureCount);
                cache.Append(prows, ids.Length);
                meta.Add((s, ids, species));
                continue;
            }
            var frame = s.Read(read);
            soap ??= SoapOf(options, frame);
            var rows = ComputeSoap(soap, frame, s.File, threads);
            cache.Append(rows, frame.Count);
            meta.Add((s, frame.Ids.ToArray(), frame.SpeciesIndex.Select(k => frame.Species[k].Name).ToArray()));
        }
        int f = cache.Features(soap!);

        var curve = new List<UleCountPoint>();
        double threshold = options.Threshold;
        if (options.TargetCount is int target)
        {
            double lo = 0, hi = 1;
            int bestCount = -1; double bestT = threshold;
            for (int step = 0; step < options.BisectionSteps; step++)
            {
                double t = 0.5 * (lo + hi);
                var (c, capped) = Cluster(cache, f, options, t, Math.Max(options.CountCap, 1), threads, null);
                curve.Add(new UleCountPoint(t, c, capped));
                if (bestCount < 0 || Math.Abs(c - target) < Math.Abs(bestCount - target) || (Math.Abs(c - target) == Math.Abs(bestCount - target) && t < bestT))
                { bestCount = c; bestT = t; }
                if (c == target) break;
                if (c < target) lo = t; else hi = t;
            }
            threshold = bestT;
        }
        var founders = new List<(int Sample, int Row)>();
        var index = new SimilarityIndex(f, options.Similarity, options.Zeta);
        var (count, _) = Cluster(cache, f, options, threshold, int.MaxValue, threads, (index, founders));
        if (options.TargetCount is null || !curve.Any(p => p.Threshold == threshold)) curve.Add(new UleCountPoint(threshold, count, false));
        // the curve: a grid around the threshold (capped so that high thresholds stay affordable)
        int cap = Math.Min(options.CountCap, Math.Max(200, 4 * count));
        var grid = options.CurveThresholds ?? new[] { -0.08, -0.06, -0.04, -0.02, 0.02, 0.04 }.Select(d => Math.Round(threshold + d, 6)).Where(t => t > 0 && t <= 1).ToArray();
        foreach (var t in grid)
        {
            if (curve.Any(p => p.Threshold == t)) continue;
            var (c, capped) = Cluster(cache, f, options, t, cap, threads, null);
            curve.Add(new UleCountPoint(t, c, capped));
        }
        curve.Sort((a, b) => a.Threshold.CompareTo(b.Threshold));

        // final assignment of the training atoms
        var dictNoStats = new UleDictionary(soap!, options.Similarity, options.Zeta, threshold, index, []);
        var counts = new long[index.Count];
        long atoms = 0, unassigned = 0; double minM = double.PositiveInfinity;
        for (int s = 0; s < cache.Samples; s++)
        {
            var rows = cache.Read(s);
            var a = dictNoStats.AssignRows(rows, meta[s].Ids, meta[s].Species, threads);
            for (int j = 0; j < counts.Length; j++) counts[j] += a.Counts[j];
            atoms += a.AtomCount; unassigned += a.Unassigned;
            foreach (var m in a.M) minM = Math.Min(minM, m);
        }
        // founders' Voronoi indices (one tessellation per sample that founded a ULE)
        var fList = new UleFounder[founders.Count];
        foreach (var bySample in founders.Select((x, j) => (x.Sample, x.Row, j)).GroupBy(x => x.Sample))
        {
            var smp = meta[bySample.Key].Sample;
            var frame = smp.Read(read);
            var voro = new VoronoiTessellation(new VoronoiOptions { Threads = threads }).Compute(frame);
            foreach (var (_, row, j) in bySample)
                fList[j] = new UleFounder(smp.Name, smp.Row?.Values["file"] ?? smp.File, smp.Frame, frame.Ids[row],
                    frame.Species[frame.SpeciesIndex[row]].Name, voro.Index(row));
        }
        return new UleDictionary(soap!, options.Similarity, options.Zeta, threshold, index, fList)
        {
            TargetCount = options.TargetCount, Counts = counts, TrainingAtoms = atoms, TrainingSamples = cache.Samples,
            TrainingUnassigned = unassigned, TrainingMinM = minM, Curve = curve,
        };
    }

    /// <summary>The SOAP options of a build: the given ones with the species of the first sample when none are given, rows normalised.</summary>
    public static SoapOptions ResolveSoap(UleOptions options, IReadOnlyList<UleSample> samples, ReadOptions? read) =>
        SoapOf(options, samples[0].Read(read));

    private static SoapOptions SoapOf(UleOptions options, Frame first)
    {
        var sp = options.Soap.Species ?? first.Species.All.Where((_, k) => first.SpeciesCounts()[k] > 0).Select(x => x.Name).ToArray();
        var probe = new Soap(options.Soap with { Species = sp, Normalize = true });
        return options.Soap with { Species = probe.Species!.ToArray(), Normalize = true, Threads = 0 };
    }

    private const string RowsMagic = "glassml-ule-rows-1";

    /// <summary>
    /// The first pass of a sharded build for one sample: its unit SOAP rows (with <paramref name="soap"/> from
    /// <see cref="ResolveSoap"/>), atom ids and species, written atomically to <paramref name="path"/> (binary, exact).
    /// </summary>
    /// <exception cref="InputFormatException">The structure cannot be read or has an unknown species.</exception>
    public static void WriteSampleRows(string path, UleSample sample, SoapOptions soap, ReadOptions? read, int threads)
    {
        var frame = sample.Read(read);
        var rows = ComputeSoap(soap, frame, sample.File, threads);
        AtomicFile.Write(path, st =>
        {
            using var w = new BinaryWriter(st, System.Text.Encoding.UTF8, leaveOpen: true);
            w.Write(RowsMagic);
            w.Write(frame.Count);
            w.Write(rows.Length);
            for (int i = 0; i < frame.Count; i++) { w.Write(frame.Ids[i]); w.Write(frame.Species[frame.SpeciesIndex[i]].Name); }
            w.Write(MemoryMarshal.AsBytes(rows.AsSpan()));
        });
    }

    private static (long[] Ids, string[] Species, double[] Rows) ReadSampleRows(string path, int features)
    {
        try
        {
            using var r = new BinaryReader(File.OpenRead(path), System.Text.Encoding.UTF8);
            if (r.ReadString() != RowsMagic) throw new InputFormatException(path, 0, "not a part of a sharded 'ule build'");
            int n = r.ReadInt32(), len = r.ReadInt32();
            if (n < 0 || len != (long)n * features) throw new InputFormatException(path, 0, $"holds {len} SOAP values for {n} atoms of {features} features; made with other SOAP options?");
            var ids = new long[n]; var species = new string[n];
            for (int i = 0; i < n; i++) { ids[i] = r.ReadInt64(); species[i] = r.ReadString(); }
            var rows = new double[len];
            r.BaseStream.ReadExactly(MemoryMarshal.AsBytes(rows.AsSpan()));
            return (ids, species, rows);
        }
        catch (EndOfStreamException) { throw new InputFormatException(path, 0, "truncated part of a sharded 'ule build'"); }
    }

    /// <summary>Leader clustering over the cached rows; returns the ULE count and whether the cap stopped it.</summary>
    private static (int Count, bool Capped) Cluster(RowCache cache, int f, UleOptions o, double threshold, int cap, int threads,
        (SimilarityIndex Index, List<(int Sample, int Row)> Founders)? keep)
    {
        var index = keep?.Index ?? new SimilarityIndex(f, o.Similarity, o.Zeta);
        for (int s = 0; s < cache.Samples; s++)
        {
            var rows = cache.Read(s);
            int n = rows.Length / f;
            var best = new int[n]; var bestM = new double[n];
            int u0 = index.Count;
            index.Best(rows, n, u0, threads, best, bestM);
            for (int a = 0; a < n; a++)
            {
                var row = rows.AsSpan(a * f, f);
                double m = bestM[a];
                for (int j = u0; j < index.Count; j++)
                {
                    double x = index.Exact(row, j);
                    if (x > m) m = x;
                }
                if (m < threshold)
                {
                    index.Add(row);
                    keep?.Founders.Add((s, a));
                    if (index.Count >= cap) return (index.Count, true);
                }
            }
        }
        return (index.Count, false);
    }

    // ------------------------------------------------------------------ assignment

    /// <summary>Assigns every atom of a frame (read it sorted by id) to its ULE.</summary>
    /// <exception cref="InputFormatException">The frame has a species the dictionary does not know.</exception>
    public UleAssignment Assign(Frame frame, string file, int threads = 0)
    {
        var rows = SoapRows(frame, file, threads);
        return AssignRows(rows, frame.Ids.ToArray(), frame.SpeciesIndex.Select(k => frame.Species[k].Name).ToArray(), threads);
    }

    /// <summary>Assigns precomputed unit SOAP rows (N × <see cref="FeatureCount"/>).</summary>
    public UleAssignment AssignRows(double[] rows, long[] ids, string[] species, int threads = 0)
    {
        int n = ids.Length;
        if (rows.Length != (long)n * FeatureCount) throw new ArgumentException($"expected {n} × {FeatureCount} SOAP values, got {rows.Length}");
        var nearest = new int[n]; var m = new double[n];
        _index.Best(rows, n, Count, threads, nearest, m);
        var ule = new int[n]; var counts = new long[Count]; int un = 0;
        for (int i = 0; i < n; i++)
        {
            if (nearest[i] >= 0 && m[i] >= Threshold) { ule[i] = nearest[i]; counts[nearest[i]]++; }
            else { ule[i] = -1; un++; }
        }
        return new UleAssignment(ids, species, ule, nearest, m, counts, un);
    }

    // ------------------------------------------------------------------ file

    /// <summary>Writes the dictionary as a versioned JSON file (vectors as base-64 little-endian float64, exact).</summary>
    public void Save(string path) => SaveChunked(path, ChunkBytes);

    internal void SaveChunked(string path, int chunkBytes) => JsonSupport.WriteFile(path, w => { w.WriteStartObject(); WriteBodyChunked(w, chunkBytes); w.WriteEndObject(); });

    /// <summary>Writes the dictionary's fields into an open JSON object (also used inside model files).</summary>
    public void WriteBody(Utf8JsonWriter w) => WriteBodyChunked(w, ChunkBytes);

    private void WriteBodyChunked(Utf8JsonWriter w, int chunkBytes)
    {
        w.WriteString("format", Format);
        var vectors = MemoryMarshal.AsBytes(_index.Vectors);
        bool chunked = vectors.Length > chunkBytes;
        w.WriteNumber("schema", chunked ? 2 : 1);
        w.WriteString("glassml_version", MethodModelFile.Version);
        JsonSupport.Array(w, "species", Species);
        w.WriteStartObject("soap");
        JsonSupport.Number(w, "r_cut", Soap.RCut ?? double.NaN);
        w.WriteNumber("n_max", Soap.NMax);
        w.WriteNumber("l_max", Soap.LMax);
        JsonSupport.Number(w, "sigma", Soap.Sigma);
        w.WriteString("rbf", Soap.Rbf == SoapRadialBasis.Gto ? "gto" : "polynomial");
        w.WriteBoolean("crossover", Soap.Crossover);
        w.WriteBoolean("periodic", Soap.Periodic);
        w.WriteBoolean("normalize", true);
        w.WriteEndObject();
        w.WriteString("similarity", Similarity == UleSimilarity.Distance ? "distance" : "cosine");
        JsonSupport.Number(w, "zeta", Zeta);
        JsonSupport.Number(w, "threshold", Threshold);
        if (TargetCount is int tc) w.WriteNumber("target_count", tc); else w.WriteNull("target_count");
        w.WriteNumber("count", Count);
        w.WriteNumber("feature_count", FeatureCount);
        w.WriteStartObject("training");
        w.WriteNumber("samples", TrainingSamples);
        w.WriteNumber("atoms", TrainingAtoms);
        w.WriteNumber("unassigned", TrainingUnassigned);
        JsonSupport.Number(w, "min_best_m", TrainingMinM);
        w.WriteEndObject();
        w.WriteStartArray("curve");
        foreach (var p in Curve)
        {
            w.WriteStartObject();
            JsonSupport.Number(w, "threshold", p.Threshold);
            w.WriteNumber("count", p.Count);
            w.WriteBoolean("capped", p.Capped);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("ules");
        for (int j = 0; j < Count; j++)
        {
            var fo = Founders[j];
            w.WriteStartObject();
            w.WriteNumber("index", j);
            w.WriteNumber("count", Counts.Length > j ? Counts[j] : 0);
            w.WriteString("sample", fo.Sample);
            w.WriteString("file", fo.File);
            w.WriteNumber("frame", fo.Frame);
            w.WriteNumber("id", fo.AtomId);
            w.WriteString("species", fo.Species);
            w.WriteStartArray("voronoi_index");
            foreach (var v in fo.VoronoiIndex) w.WriteNumberValue(v);
            w.WriteEndArray();
            w.WriteBoolean("kasper", fo.Kasper);
            w.WriteBoolean("icosahedral", fo.Icosahedral);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (!chunked)
        {
            w.WritePropertyName("vectors_base64");
            WriteBase64(w, vectors);
        }
        else
        {
            int per = Math.Max(1, chunkBytes / Math.Max(1, FeatureCount * 8)) * FeatureCount * 8;
            w.WriteStartArray("vectors_base64");
            for (int o = 0; o < vectors.Length; o += per) WriteBase64(w, vectors.Slice(o, Math.Min(per, vectors.Length - o)));
            w.WriteEndArray();
        }
    }

    /// <summary>Largest SOAP cutoff (Å) a dictionary file may hold; a larger one is a damaged file.</summary>
    public const double MaxRCut = 100;

    /// <summary>Loads a dictionary file.</summary>
    /// <exception cref="InputFormatException">Missing, not a dictionary, newer schema, truncated or malformed.</exception>
    public static UleDictionary Load(string path)
    {
        if (Directory.Exists(path)) throw new InputFormatException(path, 0, "is a directory, not a ULE dictionary file");
        if (!File.Exists(path)) throw new InputFormatException(path, 0, "file not found");
        if (LoadStreamed(path) is UleDictionary streamed) return streamed;
        return LoadDocument(path);
    }

    /// <summary>The whole file as one JSON document (any file <see cref="LoadStreamed"/> does not take).</summary>
    internal static UleDictionary LoadDocument(string path)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(File.ReadAllBytes(path)); }
        catch (JsonException) { throw new InputFormatException(path, 0, "not a ULE dictionary (malformed or truncated JSON)"); }
        using (doc) return FromJson(doc.RootElement, path);
    }

    /// <summary>Reads a dictionary from a JSON object written by <see cref="WriteBody"/>.</summary>
    /// <exception cref="InputFormatException">Not a dictionary, newer schema or malformed.</exception>
    public static UleDictionary FromJson(JsonElement root, string path) => FromJson(root, path, null);

    /// <summary>
    /// <see cref="FromJson(JsonElement, string)"/>, or with the vectors already decoded (<paramref name="vectors"/>, Count ×
    /// feature_count values; then <paramref name="root"/> holds every other field).
    /// </summary>
    private static UleDictionary FromJson(JsonElement root, string path, double[]? vectors)
    {
        try
        {
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var fmt) || fmt.GetString() != Format)
                throw new InputFormatException(path, 0, $"not a ULE dictionary (no \"format\": \"{Format}\")");
            int schema = root.GetProperty("schema").GetInt32();
            if (schema < 1 || schema > Schema) throw new InputFormatException(path, 0, $"ULE dictionary schema {schema} is not supported (this GlassML reads 1–{Schema})");
            var species = JsonSupport.ReadStrings(root.GetProperty("species"));
            var so = root.GetProperty("soap");
            string rbf = so.GetProperty("rbf").GetString() ?? "";
            var soap = new SoapOptions
            {
                RCut = JsonSupport.ReadNumber(so.GetProperty("r_cut")),
                NMax = so.GetProperty("n_max").GetInt32(),
                LMax = so.GetProperty("l_max").GetInt32(),
                Sigma = JsonSupport.ReadNumber(so.GetProperty("sigma")),
                Rbf = rbf switch { "gto" => SoapRadialBasis.Gto, "polynomial" => SoapRadialBasis.Polynomial, _ => throw new FormatException($"rbf '{rbf}'") },
                Crossover = so.GetProperty("crossover").GetBoolean(),
                Periodic = so.GetProperty("periodic").GetBoolean(),
                Normalize = true,
                Species = species,
            };
            if (!(soap.RCut > 0 && soap.RCut <= MaxRCut)) throw new FormatException($"soap r_cut {soap.RCut} is outside (0, {MaxRCut}] Å");
            string simText = root.GetProperty("similarity").GetString() ?? "";
            var sim = simText switch { "distance" => UleSimilarity.Distance, "cosine" => UleSimilarity.Cosine, _ => throw new FormatException($"similarity '{simText}'") };
            double zeta = JsonSupport.ReadNumber(root.GetProperty("zeta"));
            double threshold = JsonSupport.ReadNumber(root.GetProperty("threshold"));
            int count = root.GetProperty("count").GetInt32();
            int f = root.GetProperty("feature_count").GetInt32();
            if (vectors is null)
            {
                var vb = root.GetProperty("vectors_base64");
                var parts = vb.ValueKind == JsonValueKind.Array
                    ? vb.EnumerateArray().Select(c => Convert.FromBase64String(c.GetString() ?? "")).ToList()
                    : [Convert.FromBase64String(vb.GetString() ?? "")];
                long length = parts.Sum(b => (long)b.Length);
                if (length != (long)count * f * 8) throw new FormatException($"vectors_base64 holds {length} bytes, expected {count} × {f} × 8");
                vectors = new double[length / 8];
                var into = MemoryMarshal.AsBytes(vectors.AsSpan());
                foreach (var b in parts) { b.CopyTo(into); into = into[b.Length..]; }
            }
            else if (vectors.Length != (long)count * f) throw new FormatException($"vectors_base64 holds {vectors.LongLength * 8} bytes, expected {count} × {f} × 8");
            if (f != new Soap(soap).FeatureCount) throw new FormatException($"feature_count {f} does not match the SOAP options");
            var index = SimilarityIndex.FromVectors(f, sim, zeta, vectors, count);
            var ules = root.GetProperty("ules").EnumerateArray().ToArray();
            if (ules.Length != count) throw new FormatException($"{ules.Length} ULE entries for count {count}");
            var founders = ules.Select(u => new UleFounder(u.GetProperty("sample").GetString() ?? "", u.GetProperty("file").GetString() ?? "",
                u.GetProperty("frame").GetInt32(), u.GetProperty("id").GetInt64(), u.GetProperty("species").GetString() ?? "",
                u.GetProperty("voronoi_index").EnumerateArray().Select(x => x.GetInt32()).ToArray())).ToArray();
            if (founders.Any(x => x.VoronoiIndex.Length != 5)) throw new FormatException("voronoi_index must have 5 entries");
            var tr = root.GetProperty("training");
            var curve = root.GetProperty("curve").EnumerateArray().Select(p => new UleCountPoint(JsonSupport.ReadNumber(p.GetProperty("threshold")),
                p.GetProperty("count").GetInt32(), p.GetProperty("capped").GetBoolean())).ToArray();
            return new UleDictionary(soap, sim, zeta, threshold, index, founders)
            {
                TargetCount = root.GetProperty("target_count").ValueKind == JsonValueKind.Number ? root.GetProperty("target_count").GetInt32() : null,
                Counts = ules.Select(u => u.GetProperty("count").GetInt64()).ToArray(),
                TrainingSamples = tr.GetProperty("samples").GetInt32(),
                TrainingAtoms = tr.GetProperty("atoms").GetInt64(),
                TrainingUnassigned = tr.GetProperty("unassigned").GetInt64(),
                TrainingMinM = JsonSupport.ReadNumber(tr.GetProperty("min_best_m")),
                Curve = curve,
            };
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new InputFormatException(path, 0, $"malformed ULE dictionary: {e.Message}");
        }
    }

    /// <summary>SOAP rows of each sample in a temporary file (read back one sample at a time).</summary>
    private sealed class RowCache : IDisposable
    {
        private readonly string _path = Path.Combine(Path.GetTempPath(), $"glassml-ule-{Environment.ProcessId}-{Guid.NewGuid():N}.bin");
        private readonly FileStream _fs;
        private readonly List<(long Offset, int Length)> _parts = [];

        public RowCache() => _fs = new FileStream(_path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);

        public int Samples => _parts.Count;

        public void Append(double[] rows, int atoms)
        {
            _ = atoms;
            _fs.Seek(0, SeekOrigin.End);
            _parts.Add((_fs.Position, rows.Length));
            _fs.Write(MemoryMarshal.AsBytes(rows.AsSpan()));
        }

        public int Features(SoapOptions soap) => new Soap(soap).FeatureCount;

        public double[] Read(int s)
        {
            var (off, len) = _parts[s];
            var rows = new double[len];
            _fs.Seek(off, SeekOrigin.Begin);
            _fs.ReadExactly(MemoryMarshal.AsBytes(rows.AsSpan()));
            return rows;
        }

        public void Dispose() => _fs.Dispose();
    }

    internal static string Invariant(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
