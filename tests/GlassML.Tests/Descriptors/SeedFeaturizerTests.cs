using System.Globalization;
using GlassML.Cli;
using GlassML.Descriptors;
using GlassML.Neighbors;
using GlassML.Structure;
using GlassML.Voronoi;

namespace GlassML.Tests.Descriptors;

/// <summary>The "seed" family (746 quench-in-softness columns) and the columns added for it, against direct recomputation.</summary>
public class SeedFeaturizerTests
{
    private static void Near(double expected, double actual, double tol = 1e-10) =>
        Assert.True(Math.Abs(expected - actual) <= tol * (1 + Math.Abs(expected)), $"expected {expected:R}, got {actual:R}");

    private static readonly Lazy<(Frame Frame, VoronoiResult Voro, PerAtomFeatures Seed)> Glass = new(() =>
    {
        var f = Fixtures.GlassS1();
        var seed = new Featurizer(new FeaturizeOptions { Families = ["seed-amlearn"] }).Compute(f);
        // the seed set drops amlearn's small faces from the shell (default SeedSmallFaceThreshold 0.05)
        return (f, AmlearnNeighbors.SmallFaceFilteredTessellation(f, new VoronoiTessellation().Compute(f)), seed);
    });

    [Fact]
    public void Seed_HasTheCatalogueColumnsInOrder_NoneAllNaN()
    {
        var (f, _, t) = Glass.Value;
        Assert.Equal(746, t.FeatureCount);
        Assert.Equal(AmlearnSeedFeatureSets.AllNames, t.Names);
        Assert.Equal(f.Count, t.AtomCount);
        for (int k = 0; k < t.FeatureCount; k++)
        {
            bool any = false;
            for (int i = 0; i < t.AtomCount && !any; i++) any = !double.IsNaN(t[i, k]);
            Assert.True(any, $"column {t.Names[k]} is all NaN");
        }
    }

    [Fact]
    public void Seed_NewColumns_EqualDirectRecomputation()
    {
        var (f, v, t) = Glass.Value;
        var radii = Featurizer.DefaultRadii;
        for (int i = 0; i < f.Count; i++)
        {
            var subByEdge = new double[8];
            var n = new int[9];
            double dsum = 0, isum = 0, rsum = 0;
            int cn = 0;
            double ri = radii[f.Species[f.SpeciesIndex[i]].Name];
            for (int p = v.FaceOffsets[i]; p < v.FaceOffsets[i + 1]; p++)
            {
                int j = v.FaceNeighbor[p];
                if (j < 0) continue;
                int e = Math.Min(v.FaceEdges[p], 8);
                n[e]++;
                if (e <= 7) subByEdge[e] += v.FaceSubVolume[p];
                dsum += v.FaceDistance[p];
                double rj = radii[f.Species[f.SpeciesIndex[j]].Name];
                isum += v.FaceDistance[p] / (ri + rj) - 1;
                rsum += rj; cn++;
            }
            double s37 = 0;
            for (int e = 3; e <= 7; e++) s37 += subByEdge[e];
            for (int e = 3; e <= 7; e++) Near(subByEdge[e] / s37, t[i, t.IndexOf($"voro_ifold_vol_{e}")]);
            bool ico = n[3] == 0 && n[4] == 0 && n[5] == 12 && n[7] == 0 && n[8] == 0 && (n[6] == 0 || n[6] == 4);
            Assert.Equal(ico ? 1.0 : 0.0, t[i, t.IndexOf("motif_ico_or_z16")]);
            Assert.Equal(Math.Max(t[i, t.IndexOf("motif_ico")], t[i, t.IndexOf("motif_z16")]), t[i, t.IndexOf("motif_ico_or_z16")]);
            Near(dsum, t[i, t.IndexOf("dist_voro_sum")]);
            Near(t[i, t.IndexOf("dist_voro_mean")] * t[i, t.IndexOf("voro_cn")], t[i, t.IndexOf("dist_voro_sum")]);
            Near(isum, t[i, t.IndexOf("interstice_dist_voro_sum")], 1e-9);
            Near(ri / (rsum / cn) - IntersticeDistribution.IdealRadiusRatio(cn), t[i, t.IndexOf("ape_voro")], 1e-9);
        }
        // sums of the hull interstices = mean × number of hull triangles (the same for area and volume)
        var ia = t.Column("interstice_area_voro_sum");
        for (int i = 0; i < f.Count; i++)
        {
            double triangles = t[i, t.IndexOf("interstice_area_voro_sum")] / t[i, t.IndexOf("interstice_area_voro_mean")];
            double tv = t[i, t.IndexOf("interstice_vol_voro_sum")] / t[i, t.IndexOf("interstice_vol_voro_mean")];
            Assert.Equal(Math.Round(triangles), triangles, 1e-6);
            Assert.Equal(triangles, tv, 1e-6);
            Assert.True(Math.Round(triangles) >= 4);
        }
        Assert.Equal(f.Count, ia.Length);
    }

    [Fact]
    public void Seed_MroOfNewColumns_IsNeighbourStatistics()
    {
        var (f, v, t) = Glass.Value;
        var nl = v.Neighbors;
        foreach (var col in new[] { "voro_ifold_vol_5", "cpe_voro", "ape_voro", "interstice_vol_voro_sum" })
        {
            int c = t.IndexOf(col), cs = t.IndexOf(NeighborCoarseGraining.Name(col, MroStat.Sum)), cm = t.IndexOf(NeighborCoarseGraining.Name(col, MroStat.Max));
            for (int i = 0; i < f.Count; i += 7)
            {
                double s = 0, mx = double.NegativeInfinity;
                foreach (int j in nl.IndicesOf(i).ToArray()) { s += t[j, c]; mx = Math.Max(mx, t[j, c]); }
                Near(s, t[i, cs], 1e-9);
                Near(mx, t[i, cm]);
            }
        }
    }

    [Fact]
    public void PackingEfficiencies_Fcc_TouchingSpheres_Analytic()
    {
        double a = 3.6, r = a / (2 * Math.Sqrt(2));
        var f = Lattices.Fcc(2, a);
        var t = new IntersticeDistribution(new Dictionary<string, double> { ["A"] = r }).Compute(f, new VoronoiTessellation().Compute(f));
        // cuboctahedral hull of edge 2r: volume (5√2/3)(2r)³; vertex solid angles from Gram's relation
        // Σ_v Ω_v/4π − Σ_e δ_e/2π + F/2 − 1 = 0 with 24 edges of dihedral arccos(−1/√3), 14 faces, 12 vertices
        double dihedral = Math.Acos(-1 / Math.Sqrt(3));
        double vertexFraction = (24 * dihedral / (2 * Math.PI) - 7 + 1) / 12;
        double packed = 4.0 / 3 * Math.PI * r * r * r * (1 + 12 * vertexFraction);
        double hull = 5 * Math.Sqrt(2) / 3 * Math.Pow(2 * r, 3);
        double cpe = packed / hull;
        Near((12 * dihedral - 5 * Math.PI) / (10 * Math.Sqrt(2)), cpe, 1e-12);
        for (int i = 0; i < f.Count; i++)
        {
            Near(cpe, t[i, t.IndexOf("cpe_voro")], 1e-9);
            // equal spheres, 12 neighbours: 1 − R*(12), R*(12) = 2 sin(2π/5) − 1 (icosahedral shell; table rounded to 1e-6)
            Near(2 - 2 * Math.Sin(2 * Math.PI / 5), t[i, t.IndexOf("ape_voro")], 1e-6);
        }
    }

    [Fact]
    public void IdealRadiusRatios_MatchTheirGeometry()
    {
        // R* = R_centre/R_shell at which N shell spheres of radius 1 touch the centre and each other:
        // triangle (circumradius 2/√3), tetrahedron (√(3/2)), octahedron (√2), icosahedron (2 sin(2π/5)), each minus 1
        Near(2 / Math.Sqrt(3) - 1, IntersticeDistribution.IdealRadiusRatio(3), 1e-6);
        Near(Math.Sqrt(1.5) - 1, IntersticeDistribution.IdealRadiusRatio(4), 1e-6);
        Near(Math.Sqrt(2) - 1, IntersticeDistribution.IdealRadiusRatio(6), 1e-6);
        Near(2 * Math.Sin(2 * Math.PI / 5) - 1, IntersticeDistribution.IdealRadiusRatio(12), 1e-6);
        Assert.True(double.IsNaN(IntersticeDistribution.IdealRadiusRatio(2)));
        Assert.True(double.IsNaN(IntersticeDistribution.IdealRadiusRatio(25)));
        for (int n = 4; n <= 24; n++) Assert.True(IntersticeDistribution.IdealRadiusRatio(n) > IntersticeDistribution.IdealRadiusRatio(n - 1));
    }

    [Fact]
    public void Seed_DefaultRadii_AreMiracles()
    {
        Assert.Same(Featurizer.MiracleRadii, Featurizer.DefaultRadii);
        Assert.Equal(1.26, Featurizer.DefaultRadii["Cu"]);
        Assert.Equal(1.58, Featurizer.DefaultRadii["Zr"]);
        // the seed set's interstice columns use them when no radii are given
        var (f, v, t) = Glass.Value;
        var direct = new IntersticeDistribution(Featurizer.MiracleRadii).Compute(f, v);
        foreach (var col in new[] { "interstice_dist_voro_mean", "cpe_voro", "ape_voro" })
            for (int i = 0; i < f.Count; i += 13) Near(direct[i, direct.IndexOf(col)], t[i, t.IndexOf(col)], 1e-12);
    }

    [Fact]
    public void Seed_Radical_WithGivenRadii_Has746ColumnsAndUsesThem()
    {
        var f = Fixtures.GlassS1();
        var radii = new Dictionary<string, double> { ["Cu"] = 1.1, ["Zr"] = 1.7 };
        var t = new Featurizer(new FeaturizeOptions { Families = ["seed-amlearn"], Radii = radii }).Compute(f);
        Assert.Equal(AmlearnSeedFeatureSets.AllNames, t.Names);
        var v = AmlearnNeighbors.SmallFaceFilteredTessellation(f, new VoronoiTessellation(new VoronoiOptions { Radii = radii }).Compute(f));
        for (int i = 0; i < f.Count; i += 11)
        {
            Near(v.Volume[i], t[i, t.IndexOf("voro_volume")]);
            Near(v.Neighbors.CountOf(i), t[i, t.IndexOf("voro_cn")]);
        }
    }

    [Theory]
    [InlineData("seed-amlearn", "voronoi")]
    [InlineData("seed-amlearn", "all")]
    [InlineData("seed", "voronoi")]
    [InlineData("seed", "seed-amlearn")]
    public void Seed_CannotBeCombined(string a, string b) =>
        Assert.Throws<ArgumentException>(() => new Featurizer(new FeaturizeOptions { Families = [a, b] }));

    [Fact]
    public void Seed_MissingRadius_NamesTheSpecies()
    {
        var f = Lattices.Fcc(2, 3.6, "Xx");
        var ex = Assert.Throws<ArgumentException>(() => new Featurizer(new FeaturizeOptions { Families = ["seed-amlearn"] }).Compute(f));
        Assert.Contains("'Xx'", ex.Message);
    }
}

/// <summary>The featurize verb with the seed set.</summary>
[Collection("Console")]
public class SeedFeaturizeCliTests
{
    [Fact]
    public void FeaturizeSeed_Writes3Plus746Columns()
    {
        string outp = Path.Combine(Path.GetTempPath(), $"glassml-seed-{Guid.NewGuid():N}.csv");
        var so = Console.Out; var se = Console.Error;
        var o = new StringWriter(); var e = new StringWriter();
        Console.SetOut(o); Console.SetError(e);
        int code;
        try { code = Program.Main(["featurize", Fixtures.Path("glass-s1", "s1_cu50zr50_500.data.gz"), "--types", "1:Cu,2:Zr", "--features", "seed-amlearn", "--keep", "none", "--out", outp]); }
        finally { Console.SetOut(so); Console.SetError(se); }
        Assert.True(code == 0, e.ToString());
        var lines = File.ReadAllLines(outp);
        var header = lines[0].Split(',');
        Assert.Equal(3 + 746, header.Length);
        Assert.Equal(AmlearnSeedFeatureSets.AllNames, header.Skip(3));
        Assert.Equal(501, lines.Length);
        Assert.All(lines.Skip(1), l => Assert.Equal(749, l.Split(',').Length));
        _ = double.Parse(lines[1].Split(',')[3], CultureInfo.InvariantCulture);
        File.Delete(outp);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("0.05")]
    public void SeedSmallFaces_SetsTheVoronoiShell(string threshold)
    {
        // voro_cn per atom (rows sorted by id) against the tessellation with or without amlearn's small-face rule
        string path = Fixtures.Path("glass-s1", "s1_cu50zr50_500.data.gz");
        string outp = Path.Combine(Path.GetTempPath(), $"glassml-seed-{Guid.NewGuid():N}.csv");
        var so = Console.Out; var se = Console.Error;
        var e = new StringWriter();
        Console.SetOut(new StringWriter()); Console.SetError(e);
        int code;
        try { code = Program.Main(["featurize", path, "--types", "1:Cu,2:Zr", "--features", "seed-amlearn", "--seed-small-faces", threshold, "--out", outp]); }
        finally { Console.SetOut(so); Console.SetError(se); }
        Assert.True(code == 0, e.ToString());
        var lines = File.ReadAllLines(outp);
        File.Delete(outp);
        int cn = Array.IndexOf(lines[0].Split(','), "voro_cn");
        var f = Fixtures.GlassS1();
        var v = new VoronoiTessellation().Compute(f);
        var mask = AmlearnNeighbors.SmallFaceMask(f, v, double.Parse(threshold, CultureInfo.InvariantCulture));
        var byId = new Dictionary<long, int>();
        for (int i = 0; i < f.Count; i++)
        {
            int k = 0;
            for (int p = v.FaceOffsets[i]; p < v.FaceOffsets[i + 1]; p++) if (mask[p]) k++;
            byId[f.Ids[i]] = k;
        }
        foreach (var l in lines.Skip(1))
        {
            var t = l.Split(',');
            Assert.Equal(byId[long.Parse(t[0], CultureInfo.InvariantCulture)], (int)double.Parse(t[cn], CultureInfo.InvariantCulture));
        }
        if (threshold == "0") Assert.Equal(v.FaceCount, byId.Values.Sum());
        else Assert.True(byId.Values.Sum() < v.FaceCount);
    }
}
