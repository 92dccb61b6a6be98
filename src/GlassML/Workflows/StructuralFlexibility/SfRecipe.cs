using System.Globalization;
using System.Text.Json;
using GlassML.Descriptors;
using GlassML.Io;
using GlassML.Structure;

namespace GlassML.Workflows.StructuralFlexibility;

/// <summary>
/// The feature recipe of a structural-flexibility model, fixed at training and never recomputed at apply time: the
/// species order, one r_p (Å) per (centre, neighbour) species pair, and the radial-structure-function grid in reduced
/// distance r̄ = r / r_p(centre, neighbour) (defaults: 0.60 … 3.00 step 0.05, σ = 0.05, r̄_c = 3.0). The features of an
/// atom are G^S(r̄_k) = Σ_{j∈S, r̄_ij ≤ r̄_c} exp(−(r̄_k − r̄_ij)²/2σ²) for every neighbour species S (no bias column: the
/// learner's bias feature is LIBLINEAR's <c>-B 1</c>).
/// </summary>
/// <param name="Species">Species names in model order (centre and neighbour blocks follow it).</param>
/// <param name="PairRp">r_p (Å) per pair, keyed <c>"Centre-Neighbour"</c>; every ordered pair of <paramref name="Species"/>.</param>
public sealed record SfRecipe(IReadOnlyList<string> Species, IReadOnlyDictionary<string, double> PairRp)
{
    /// <summary>First grid point (r̄).</summary>
    public double GridMin { get; init; } = 0.60;
    /// <summary>Last grid point (r̄).</summary>
    public double GridMax { get; init; } = 3.00;
    /// <summary>Grid spacing (r̄).</summary>
    public double GridStep { get; init; } = 0.05;
    /// <summary>Gaussian width σ (r̄).</summary>
    public double Sigma { get; init; } = 0.05;
    /// <summary>Reduced cutoff r̄_c: neighbours with r_ij ≤ r̄_c·r_p(pair) count.</summary>
    public double Cutoff { get; init; } = 3.0;

    /// <summary>The pair key <c>"A-B"</c>.</summary>
    public static string PairKey(string centre, string neighbour) => $"{centre}-{neighbour}";

    /// <summary>Checks that every ordered pair has a positive r_p and the grid is valid.</summary>
    /// <exception cref="ArgumentException">A pair is missing or r_p is not positive.</exception>
    public void Validate()
    {
        if (Species.Count == 0) throw new ArgumentException("the recipe has no species");
        foreach (var a in Species)
            foreach (var b in Species)
            {
                if (!PairRp.TryGetValue(PairKey(a, b), out double rp)) throw new ArgumentException($"no r_p for the species pair {PairKey(a, b)}");
                if (!(rp > 0) || !double.IsFinite(rp)) throw new ArgumentException($"r_p of {PairKey(a, b)} must be a positive distance (Å), got {rp}");
            }
        _ = Functions(0);
    }

    /// <summary>The radial-structure-function compute of this recipe.</summary>
    public RadialStructureFunctions Functions(int threads) => new(new RadialStructureFunctionOptions
    {
        Species = Species,
        PairReferenceDistances = PairRp,
        GridMin = GridMin, GridMax = GridMax, GridStep = GridStep, Sigma = Sigma, Cutoff = Cutoff,
        Bias = false, Threads = threads,
    });

    /// <summary>Neighbour-list cutoff (Å) the features need: r̄_c · max r_p.</summary>
    public double NeighborCutoff => Cutoff * PairRp.Values.Max();

    /// <summary>
    /// Features of every atom of a frame (rows in frame order; columns <c>rsf_{S}_{r̄}</c> for each neighbour species in
    /// model order), computed without storing a neighbour list (<see cref="RadialStructureFunctions.Compute(Frame)"/>).
    /// The result depends only on positions, species and the recipe, never on the thread count.
    /// </summary>
    public PerAtomFeatures Features(Frame frame, int threads = 0) => Functions(threads).Compute(frame);

    /// <summary>Feature names (<c>rsf_{S}_{r̄}</c>).</summary>
    public IReadOnlyList<string> FeatureNames => Functions(0).FeatureNames(Species);

    /// <summary>Grid points r̄.</summary>
    public IReadOnlyList<double> Grid => Functions(0).Grid;

    internal void Write(Utf8JsonWriter w)
    {
        w.WriteStartArray("r_p");
        foreach (var a in Species)
            foreach (var b in Species)
            {
                w.WriteStartObject();
                w.WriteString("centre", a);
                w.WriteString("neighbour", b);
                JsonSupport.Number(w, "r_p", PairRp[PairKey(a, b)]);
                w.WriteEndObject();
            }
        w.WriteEndArray();
        JsonSupport.Number(w, "grid_min", GridMin);
        JsonSupport.Number(w, "grid_max", GridMax);
        JsonSupport.Number(w, "grid_step", GridStep);
        JsonSupport.Number(w, "sigma", Sigma);
        JsonSupport.Number(w, "cutoff", Cutoff);
    }

    internal static SfRecipe Read(JsonElement e, IReadOnlyList<string> species)
    {
        var rp = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var p in e.GetProperty("r_p").EnumerateArray())
            rp[PairKey(p.GetProperty("centre").GetString() ?? "", p.GetProperty("neighbour").GetString() ?? "")] = JsonSupport.ReadNumber(p.GetProperty("r_p"));
        var r = new SfRecipe(species, rp)
        {
            GridMin = JsonSupport.ReadNumber(e.GetProperty("grid_min")),
            GridMax = JsonSupport.ReadNumber(e.GetProperty("grid_max")),
            GridStep = JsonSupport.ReadNumber(e.GetProperty("grid_step")),
            Sigma = JsonSupport.ReadNumber(e.GetProperty("sigma")),
            Cutoff = JsonSupport.ReadNumber(e.GetProperty("cutoff")),
        };
        r.Validate();
        return r;
    }

    /// <summary>
    /// Parses explicit r_p, e.g. <c>Cu-Cu=2.59,Cu-Zr=2.82,Zr-Cu=2.82,Zr-Zr=3.17</c>. A pair given only one way round
    /// (<c>Cu-Zr</c>) is used for both orders.
    /// </summary>
    /// <exception cref="ArgumentException">Malformed text or a non-positive distance.</exception>
    public static Dictionary<string, double> ParsePairs(string text)
    {
        var d = new Dictionary<string, double>(StringComparer.Ordinal);
        var given = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var kv = part.Split('=', StringSplitOptions.TrimEntries);
            var ab = kv[0].Split('-', StringSplitOptions.TrimEntries);
            if (kv.Length != 2 || ab.Length != 2 || ab[0].Length == 0 || ab[1].Length == 0
                || !double.TryParse(kv[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !(v > 0) || !double.IsFinite(v))
                throw new ArgumentException($"--rp: '{part}' is not CENTRE-NEIGHBOUR=DISTANCE with a positive distance in Å (e.g. Cu-Zr=2.82)");
            string key = PairKey(ab[0], ab[1]), rev = PairKey(ab[1], ab[0]);
            if (!given.Add(key)) throw new ArgumentException($"--rp: pair {key} given twice");
            d[key] = v;
            if (!given.Contains(rev)) d[rev] = v;
        }
        if (d.Count == 0) throw new ArgumentException("--rp: no pairs given");
        return d;
    }
}
