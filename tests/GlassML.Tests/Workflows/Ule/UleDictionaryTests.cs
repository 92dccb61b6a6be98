using System.Globalization;
using GlassML.Descriptors;
using GlassML.Io;
using GlassML.Structure;
using GlassML.Workflows.Ule;

namespace GlassML.Tests.Workflows.Ule;

/// <summary>
/// The ULE dictionary against the brute-force numpy script (tools/ule_bruteforce.py, fixtures in
/// tests/fixtures/ule/bruteforce/ made by tools/make_ule_bruteforce.sh) on two glasses, thread independence, founders,
/// the threshold guarantee and the invariances of the sample fractions.
/// </summary>
public class UleDictionaryTests
{
    private static readonly ReadOptions CuZr = new() { TypeNames = new Dictionary<int, string> { [1] = "Cu", [2] = "Zr" } };
    private static readonly SoapOptions Small = UleOptions.DefaultSoap with { NMax = 6, LMax = 6 };

    private static UleOptions OptionsFor(string glass, int threads) => glass switch
    {
        "cu64zr36" => new UleOptions { Soap = Small, Similarity = UleSimilarity.Distance, Zeta = 1, Threshold = 0.9, Threads = threads },
        "cu50zr50" => new UleOptions { Soap = Small, Similarity = UleSimilarity.Cosine, Zeta = 2, Threshold = 0.97, Threads = threads },
        _ => throw new ArgumentException(glass),
    };

    private static (int Founder, int Ule, double M)[] Reference(string glass) =>
        Fixtures.ReadLines("ule", "bruteforce", glass, "reference.csv.gz").Skip(1).Select(l =>
        {
            var p = l.Split(',');
            return (int.Parse(p[1], CultureInfo.InvariantCulture), int.Parse(p[2], CultureInfo.InvariantCulture), double.Parse(p[3], CultureInfo.InvariantCulture));
        }).ToArray();

    private static string DictionaryBytes(UleDictionary d)
    {
        string p = Path.Combine(Path.GetTempPath(), $"ule-dict-{Guid.NewGuid():N}.json");
        try { d.Save(p); return File.ReadAllText(p); } finally { File.Delete(p); }
    }

    [Theory]
    [InlineData("cu64zr36")]
    [InlineData("cu50zr50")]
    public void BuildAndAssignmentEqualTheBruteForceScript(string glass)
    {
        var samples = UleSamples.Load(Fixtures.Path("ule", "bruteforce", glass, "samples.csv"), requireEnergy: false);
        var reference = Reference(glass);
        var dicts = new[] { 1, 2 }.Select(t => UleDictionary.Build(samples, CuZr, OptionsFor(glass, t))).ToArray();
        Assert.Equal(DictionaryBytes(dicts[0]), DictionaryBytes(dicts[1]));   // identical for 1 and 2 threads
        var d = dicts[0];
        int refCount = reference.Count(r => r.Founder >= 0);
        Assert.Equal(refCount, d.Count);
        Assert.True(d.Count >= 20, $"only {d.Count} ULEs: the comparison would be weak");

        // founders: row index (manifest → frame → atom-id order) of each ULE's founder
        int row = 0, assignedChecked = 0;
        var founderRow = new int[d.Count];
        for (int r = 0; r < reference.Length; r++) if (reference[r].Founder >= 0) founderRow[reference[r].Founder] = r;
        foreach (var s in samples)
        {
            var f = s.Read(CuZr);
            var a1 = d.Assign(f, s.File, 1);
            var a2 = d.Assign(f, s.File, 2);
            Assert.Equal(a1.Ule, a2.Ule);
            Assert.Equal(a1.M, a2.M);
            for (int i = 0; i < f.Count; i++, row++)
            {
                Assert.Equal(reference[row].Ule, a1.Ule[i]);
                Assert.True(Math.Abs(reference[row].M - a1.M[i]) <= 1e-9, $"row {row}: M {a1.M[i]:R} vs numpy {reference[row].M:R}");
                assignedChecked++;
            }
            for (int j = 0; j < d.Count; j++)
            {
                var fo = d.Founders[j];
                if (fo.Sample != s.Name) continue;
                int local = Array.IndexOf(f.Ids, fo.AtomId);
                Assert.Equal(founderRow[j], row - f.Count + local);
            }
        }
        Assert.Equal(reference.Length, assignedChecked);
    }

    [Fact]
    public void FoundersMapToThemselvesAndEveryTrainingAtomReachesTheThreshold()
    {
        var samples = UleSamples.Load(Fixtures.Path("ule", "bruteforce", "cu64zr36", "samples.csv"), requireEnergy: false);
        var d = UleDictionary.Build(samples, CuZr, OptionsFor("cu64zr36", 0));
        Assert.Equal(0, d.TrainingUnassigned);
        Assert.True(d.TrainingMinM >= d.Threshold);
        int founders = 0;
        foreach (var s in samples)
        {
            var f = s.Read(CuZr);
            var a = d.Assign(f, s.File);
            Assert.Equal(0, a.Unassigned);
            Assert.All(a.M, m => Assert.True(m >= d.Threshold));
            for (int j = 0; j < d.Count; j++)
            {
                if (d.Founders[j].Sample != s.Name) continue;
                int i = Array.IndexOf(f.Ids, d.Founders[j].AtomId);
                Assert.Equal(j, a.Ule[i]);
                Assert.Equal(1.0, a.M[i]);
                founders++;
            }
        }
        Assert.Equal(d.Count, founders);
        Assert.Equal(d.TrainingAtoms, d.Counts.Sum());
    }

    [Fact]
    public void SaveLoadRoundTripsExactly()
    {
        var samples = UleSamples.Load(Fixtures.Path("ule", "bruteforce", "cu50zr50", "samples.csv"), requireEnergy: false);
        var d = UleDictionary.Build(samples, CuZr, OptionsFor("cu50zr50", 0));
        string p = Path.Combine(Path.GetTempPath(), $"ule-dict-{Guid.NewGuid():N}.json");
        try
        {
            d.Save(p);
            var e = UleDictionary.Load(p);
            Assert.Equal(DictionaryBytes(d), DictionaryBytes(e));
            var f = samples[0].Read(CuZr);
            Assert.Equal(d.Assign(f, "x").M, e.Assign(f, "x").M);
            // large dictionaries write the vectors as chunks of whole vectors (schema 2; one JSON string is limited to
            // ≈ 166 MB): here a chunk of 3 vectors, so several chunks and a short last one
            d.SaveChunked(p, 3 * d.FeatureCount * 8 + 5);
            using (var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(p)))
            {
                Assert.Equal(2, doc.RootElement.GetProperty("schema").GetInt32());
                Assert.Equal((d.Count + 2) / 3, doc.RootElement.GetProperty("vectors_base64").GetArrayLength());
            }
            var c = UleDictionary.Load(p);
            Assert.Equal(DictionaryBytes(d), DictionaryBytes(c));
            Assert.Equal(d.Assign(f, "x").M, c.Assign(f, "x").M);
        }
        finally { File.Delete(p); }
    }

    // ------------------------------------------------------------------ invariances

    private static Frame Transform(Frame f, Func<Vec3, Vec3> map, Func<Vec3, Vec3> boxMap, bool wrapOrthogonal)
    {
        int n = f.Count;
        var x = new double[n]; var y = new double[n]; var z = new double[n];
        for (int i = 0; i < n; i++)
        {
            var p = map(f.Position(i));
            x[i] = p.X; y[i] = p.Y; z[i] = p.Z;
        }
        var b = f.Box;
        var box = new Box(boxMap(b.Origin), boxMap(b.A) - boxMap(Vec3.Zero), boxMap(b.B) - boxMap(Vec3.Zero), boxMap(b.C) - boxMap(Vec3.Zero));
        if (wrapOrthogonal)
        {
            var lo = box.Origin; var len = box.Lengths;
            for (int i = 0; i < n; i++)
            {
                x[i] = Wrap(x[i], lo.X, len.X); y[i] = Wrap(y[i], lo.Y, len.Y); z[i] = Wrap(z[i], lo.Z, len.Z);
            }
        }
        return new Frame(box, f.Species.Clone(), f.Ids.ToArray(), f.SpeciesIndex.ToArray(), x, y, z);
    }

    private static double Wrap(double v, double lo, double len)
    {
        while (v >= lo + len) v -= len;
        while (v < lo) v += len;
        return v;
    }

    [Fact]
    public void RotationTranslationPermutationAndReplicaLeaveFractionsUnchanged()
    {
        var samples = UleSamples.Load(Fixtures.Path("ule", "bruteforce", "cu64zr36", "samples.csv"), requireEnergy: false);
        var d = UleDictionary.Build(samples, CuZr, OptionsFor("cu64zr36", 0));
        var f = samples[0].Read(CuZr);
        var baseFr = d.Assign(f, "base").Fractions();
        Assert.True(baseFr.Count(v => v > 0) >= 10);

        // rotation about an oblique axis (box vectors rotated too: a general triclinic cell)
        double ang = 0.7; var ax = new Vec3(1, 2, 3); ax = ax * (1 / ax.Length);
        Vec3 Rot(Vec3 v)
        {
            double c = Math.Cos(ang), s = Math.Sin(ang);
            return v * c + Vec3.Cross(ax, v) * s + ax * (Vec3.Dot(ax, v) * (1 - c));
        }
        Assert.Equal(baseFr, d.Assign(Transform(f, Rot, Rot, false), "rot").Fractions());
        // translation (wrapped back into the box)
        var t = new Vec3(1.234, -5.5, 7.25);
        Assert.Equal(baseFr, d.Assign(Transform(f, p => p + t, p => p, true), "trans").Fractions());
        // permutation: atoms in another order with new ids
        var perm = Enumerable.Range(0, f.Count).OrderBy(i => (i * 7919) % f.Count).ToArray();
        var pf = new Frame(f.Box, f.Species.Clone(), perm.Select((_, k) => (long)(f.Count - k) * 3).ToArray(), perm.Select(i => f.SpeciesIndex[i]).ToArray(),
            perm.Select(i => f.X[i]).ToArray(), perm.Select(i => f.Y[i]).ToArray(), perm.Select(i => f.Z[i]).ToArray());
        pf.SortById();
        Assert.Equal(baseFr, d.Assign(pf, "perm").Fractions());
        // 2×2×2 replica
        var rep = f.Replicate(2, 2, 2);
        rep.SortById();
        var ra = d.Assign(rep, "rep");
        Assert.Equal(8 * f.Count, ra.AtomCount);
        Assert.Equal(baseFr, ra.Fractions());
        // and the check can fail: a different glass has different fractions
        var other = samples[1].Read(CuZr);
        Assert.NotEqual(baseFr, d.Assign(other, "other").Fractions());
    }
}
