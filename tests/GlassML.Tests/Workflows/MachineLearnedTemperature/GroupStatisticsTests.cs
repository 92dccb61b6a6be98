using System.Globalization;
using GlassML.Descriptors;
using GlassML.Voronoi;
using GlassML.Workflows.MachineLearnedTemperature;

namespace GlassML.Tests.Workflows.MachineLearnedTemperature;

/// <summary>
/// <see cref="GroupStatistics"/> on glass s1: identities that hold for the whole sample (Δf = 0, Σ_B c_B α_A(B) = 0,
/// η = ChemicalOrder.SampleEta), group bookkeeping against direct counts, and the ideal q6/ŵ6 points against a direct
/// evaluation in Python (tools/tml_reference.py: scipy sph_harm and Wigner 3j by Racah's formula).
/// </summary>
public class GroupStatisticsTests
{
    private static readonly Lazy<(GlassML.Structure.Frame Frame, GroupStatistics Stats)> S1 = new(() =>
    {
        var f = Fixtures.GlassS1();
        return (f, new GroupStatistics(f, new GroupStatisticsOptions { Threads = 2 }));
    });

    [Fact]
    public void WholeSampleIdentities()
    {
        var (f, gs) = S1.Value;
        var all = gs.Of(Enumerable.Repeat(true, f.Count).ToArray());
        Assert.Equal(f.Count, all.Count);
        Assert.All(all.Propensity.Values, d => Assert.Equal(0.0, d));
        int ns = f.Species.Count;
        var c = f.SpeciesCounts().Select(x => x / (double)f.Count).ToArray();
        for (int a = 0; a < ns; a++)
        {
            double s = 0;
            for (int b = 0; b < ns; b++) s += c[b] * all.Alpha[a * ns + b];
            Assert.True(Math.Abs(s) < 1e-12, $"Σ_B c_B α_A(B) = {s} for A = {f.Species[a].Name}");
        }
        var eta = gs.Sample;
        for (int k = 0; k < ns * ns; k++) Assert.Equal(eta.Eta[k], all.Eta[k], 12);
        // same neighbours as a direct Voronoi tessellation: η equals SampleEta computed independently of GroupStatistics
        var direct = ChemicalOrder.SampleEta(f, new VoronoiTessellation().Compute(f).Neighbors);
        for (int k = 0; k < ns * ns; k++) Assert.Equal(direct.Eta[k], all.Eta[k], 12);
        Assert.Equal("voronoi", all.Shell);
    }

    [Fact]
    public void GroupCountsMatchDirectCounts()
    {
        var (f, gs) = S1.Value;
        var vor = new VoronoiTessellation().Compute(f);
        var g = Enumerable.Range(0, f.Count).Select(i => f.SpeciesIndex[i] == 1 && i % 3 != 0).ToArray();
        var r = gs.Of(g);
        Assert.Equal(g.Count(x => x), r.Count);
        Assert.Equal(0, r.SpeciesCount[0]);
        Assert.Equal(r.Count, r.SpeciesCount[1]);
        // the most frequent polyhedron of the group, counted directly
        var idx = Enumerable.Range(0, f.Count).Where(i => g[i]).Select(i => "<" + string.Join(",", vor.Index(i, 6)) + ">").ToArray();
        var top = idx.GroupBy(s => s).OrderByDescending(x => x.Count()).ThenBy(x => x.Key, StringComparer.Ordinal).First();
        Assert.Equal(top.Count(), r.PolyhedronCount[top.Key]);
        double fAll = Enumerable.Range(0, f.Count).Count(i => "<" + string.Join(",", vor.Index(i, 6)) + ">" == top.Key) / (double)f.Count;
        Assert.Equal((top.Count() / (double)r.Count - fAll) / fAll * 100, r.Propensity[top.Key], 10);
        // Warren–Cowley of a Zr-only group: Z_AB counted directly
        var nl = vor.Neighbors;
        double zZrCu = Enumerable.Range(0, f.Count).Where(i => g[i]).Average(i => nl.IndicesOf(i).ToArray().Count(j => f.SpeciesIndex[j] == 0));
        Assert.Equal(zZrCu, r.Zab[1 * 2 + 0], 12);
        double cCu = f.SpeciesCounts()[0] / (double)f.Count;
        Assert.Equal(1 - zZrCu / (cCu * r.Za[1]), r.Alpha[2], 12);
        Assert.All(r.BondS, s => Assert.InRange(s, -1 - 1e-12, 1 + 1e-12));
    }

    [Fact]
    public void IdealPointsEqualDirectEvaluation()
    {
        var reference = Fixtures.ReadLines("tml", "reference", "ideal_points.csv").Skip(1).Select(l => l.Split(','))
            .ToDictionary(p => p[0], p => (Q6: double.Parse(p[1], CultureInfo.InvariantCulture), W6: double.Parse(p[2], CultureInfo.InvariantCulture)));
        var ours = GroupStatistics.IdealPoints();
        Assert.Equal(reference.Count, ours.Count);
        foreach (var (label, q6, w6) in ours)
        {
            Assert.True(Math.Abs(reference[label].Q6 - q6) < 1e-6, $"{label} q6 {q6} vs {reference[label].Q6}");
            Assert.True(Math.Abs(reference[label].W6 - w6) < 1e-6, $"{label} w6 {w6} vs {reference[label].W6}");
        }
    }

    [Fact]
    public void TopGroupsHoldExactlyRoundFNAtomsWithTiesById()
    {
        var (f, _) = S1.Value;
        var tml = Enumerable.Range(0, f.Count).Select(i => (double)(i % 7 == 0 ? 1000 : 300)).ToArray();   // many ties
        var groups = TmlAnalysis.Groups(f, tml, 700, 0.1).ToDictionary(g => g.Name, g => g.Members);
        int k = (int)Math.Round(0.1 * f.Count);
        Assert.Equal(k, groups["most_LA"].Count(b => b));
        Assert.Equal(k, groups["most_SA"].Count(b => b));
        Assert.Equal(tml.Count(t => t > 700), groups["LA"].Count(b => b));
        // 72 atoms are at 1000 K, more than k = 50: most_LA takes the 50 of them with the lowest ids
        var hot = Enumerable.Range(0, f.Count).Where(i => tml[i] == 1000).OrderBy(i => f.Ids[i]).Take(k).ToHashSet();
        Assert.All(Enumerable.Range(0, f.Count), i => Assert.Equal(hot.Contains(i), groups["most_LA"][i]));
        var cold = Enumerable.Range(0, f.Count).Where(i => tml[i] == 300).OrderBy(i => f.Ids[i]).Take(k).ToHashSet();
        Assert.All(Enumerable.Range(0, f.Count), i => Assert.Equal(cold.Contains(i), groups["most_SA"][i]));
    }
}
