using System.Text.Json;
using GlassML.Learning;

namespace GlassML.Tests.Learning;

/// <summary>GPR hyper-parameters by maximum marginal likelihood against scikit-learn 1.2 (tools/make_gpr_mll_fixture.py).</summary>
public class GaussianProcessOptimizerTests
{
    private static (FeatureTable Train, FeatureTable Test, JsonElement Ref) Data()
    {
        var all = FeatureTableCsv.Read(CrossValidationTests.Fixture("gpr_mll_diabetes.csv.gz"), "y");
        var r = JsonDocument.Parse(File.ReadAllText(CrossValidationTests.Fixture("gpr_mll_sklearn.json"))).RootElement;
        int n = r.GetProperty("train_rows").GetInt32();
        return (all.SelectRows(Enumerable.Range(0, n).ToArray()), all.SelectRows(Enumerable.Range(n, all.Rows - n).ToArray()), r);
    }

    [Theory]
    [InlineData("rbf")]
    [InlineData("dot")]
    public void LikelihoodAndGradientEqualScikitLearn(string kernel)
    {
        var (train, _, r) = Data();
        var x = Kernels.SplitRows(train.Values, train.ColumnCount);
        foreach (var pt in r.GetProperty(kernel).GetProperty("points").EnumerateArray())
        {
            var t = pt.GetProperty("log_theta").EnumerateArray().Select(e => Math.Exp(e.GetDouble())).ToArray();
            var g = new double[3];
            double lml = GaussianProcessOptimizer.LogMarginalLikelihood(new GprKernelSpec(kernel, t[0], t[1], t[2]), x, train.Labels, 1e-10, true, g, threads: 2);
            Assert.Equal(pt.GetProperty("lml").GetDouble(), lml, 1e-8 * Math.Abs(lml));
            var want = pt.GetProperty("gradient").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            for (int j = 0; j < 3; j++) Assert.True(Math.Abs(want[j] - g[j]) <= 1e-7 * (1 + Math.Abs(want[j])), $"gradient {j}: {g[j]} vs {want[j]}");
        }
    }

    [Fact]
    public void FittedRbfHyperparametersEqualScikitLearn()
    {
        var (train, test, r) = Data();
        var rr = r.GetProperty("rbf");
        var m = LearnerRegistry.Fit("gpr", train, new Dictionary<string, string> { ["kernel"] = "rbf" }, threads: 2);
        double lml = double.Parse(m.Parameters["log_marginal_likelihood"], System.Globalization.CultureInfo.InvariantCulture);
        // our maximum is at least as high as scikit-learn's (both are local searches; 1e-6 relative slack)
        Assert.True(lml >= rr.GetProperty("lml").GetDouble() - 1e-6 * Math.Abs(lml), $"lml {lml} vs sklearn {rr.GetProperty("lml").GetDouble()}");
        Assert.Equal(rr.GetProperty("lml").GetDouble(), lml, 1e-4 * Math.Abs(lml));
        double P(string k) => double.Parse(m.Parameters[k], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(rr.GetProperty("constant").GetDouble(), P("fitted_constant"), 2e-3 * rr.GetProperty("constant").GetDouble());
        Assert.Equal(rr.GetProperty("scale").GetDouble(), P("fitted_length_scale"), 2e-3 * rr.GetProperty("scale").GetDouble());
        Assert.Equal(rr.GetProperty("noise_level").GetDouble(), P("fitted_noise_level"), 2e-3 * rr.GetProperty("noise_level").GetDouble());
        double r2 = Metrics.R2(test.Labels, m.Predict(test).Prediction);
        Assert.Equal(rr.GetProperty("test_r2").GetDouble(), r2, 2e-3);
        Assert.True(r2 > 0.4, $"test R² {r2}");

        // fixed hyper-parameters stay an option, and differ (the old default length 1 without noise is far worse here)
        var fixedModel = LearnerRegistry.Fit("gpr", train, new Dictionary<string, string> { ["optimizer"] = "none", ["alpha"] = "0.1" });
        Assert.False(fixedModel.Parameters.ContainsKey("fitted_constant"));
        Assert.True(Metrics.R2(test.Labels, fixedModel.Predict(test).Prediction) < r2);
    }

    [Fact]
    public void FittedDotKernelReachesScikitLearnsLikelihood()
    {
        var (train, test, r) = Data();
        var rr = r.GetProperty("dot");
        var m = LearnerRegistry.Fit("gpr", train, new Dictionary<string, string> { ["kernel"] = "dot", ["restarts"] = "0" }, threads: 2);
        double lml = double.Parse(m.Parameters["log_marginal_likelihood"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(rr.GetProperty("lml").GetDouble(), lml, 1e-4 * Math.Abs(lml));
        Assert.Equal(rr.GetProperty("test_r2").GetDouble(), Metrics.R2(test.Labels, m.Predict(test).Prediction), 5e-3);
    }

    [Theory]
    [InlineData("rbf")]
    [InlineData("dot")]
    [InlineData("poly")]
    public void OptimisedModelIsThreadIndependentAndReloadsBitIdentically(string kernel)
    {
        var (train, test, _) = Data();
        var small = train.SelectRows(Enumerable.Range(0, 120).ToArray());
        var p = new Dictionary<string, string> { ["kernel"] = kernel, ["restarts"] = "2", ["seed"] = "5" };
        var a = LearnerRegistry.Fit("gpr", small, p, threads: 1);
        var b = LearnerRegistry.Fit("gpr", small, p, threads: 2);
        string scale = kernel == "rbf" ? "fitted_length_scale" : "fitted_sigma0";
        Assert.Equal(a.Parameters[scale], b.Parameters[scale]);
        Assert.Equal(a.Parameters["log_marginal_likelihood"], b.Parameters["log_marginal_likelihood"]);
        // the optimum is no worse than the start (c = ℓ = w = 1)
        var x = Kernels.SplitRows(small.Values, small.ColumnCount);
        double start = GaussianProcessOptimizer.LogMarginalLikelihood(new GprKernelSpec(kernel, 1, 1, 1), x, small.Labels);
        Assert.True(double.Parse(a.Parameters["log_marginal_likelihood"], System.Globalization.CultureInfo.InvariantCulture) >= start);
        var pa = a.Predict(test);
        Assert.Equal(pa.Prediction, b.Predict(test).Prediction);
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms)) LearnerRegistry.Write(w, a);
        var back = LearnerRegistry.Read(JsonDocument.Parse(ms.ToArray()).RootElement);
        Assert.Equal(pa.Prediction, back.Predict(test).Prediction);
        Assert.Equal(pa.Std, back.Predict(test).Std);
    }
}

/// <summary>The bond kernel of seed method 1 through the table learner (gpr kernel=bond) equals scikit-learn with the same kernel.</summary>
public class GprBondTableTests
{
    [Fact]
    public void TableBondKernelEqualsScikitLearn()
    {
        var (bonds, y) = GaussianProcessTests.LoadBonds();
        int m = bonds[0].SoapI.Length, ntr = 2 * bonds.Length / 3;
        var names = new[] { "distance" }.Concat(Enumerable.Range(0, m).Select(t => $"i_{t}")).Concat(Enumerable.Range(0, m).Select(t => $"j_{t}")).ToArray();
        FeatureTable Table(int from, int to)
        {
            var v = new List<double>();
            for (int b = from; b < to; b++) { v.Add(bonds[b].Distance); v.AddRange(bonds[b].SoapI); v.AddRange(bonds[b].SoapJ); }
            return new FeatureTable(names, to - from, [.. v], y[from..to]);
        }
        var train = Table(0, ntr); var test = Table(ntr, bonds.Length);
        var lines = Fixtures.ReadLines("learning", "gpr_bond.txt.gz");
        int li = Array.FindIndex(lines, l => l.StartsWith("case ", StringComparison.Ordinal)), cases = 0;
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        while (li < lines.Length)
        {
            var h = lines[li++].Split(' ');
            var p = new Dictionary<string, string> { ["kernel"] = "bond", ["theta"] = h[1], ["zeta"] = h[2], ["noise_fraction"] = h[4], ["normalize_y"] = h[5] == "1" ? "true" : "false" };
            var model = LearnerRegistry.Fit("gpr", train, p);
            var pred = model.Predict(test);
            for (int r = 0; r < test.Rows; r++)
            {
                var t = lines[li++].Split(' ');
                double mean = double.Parse(t[0], inv), std = double.Parse(t[1], inv);
                Assert.True(Math.Abs(mean - pred.Prediction[r]) <= 1e-8 * Math.Abs(mean) + 1e-10, $"mean {r}");
                Assert.True(Math.Abs(std - pred.Std![r]) <= 1e-8 * Math.Abs(std) + 1e-10, $"std {r}");
            }
            // the model's state reads back to the same predictions
            using var ms = new MemoryStream();
            using (var w = new Utf8JsonWriter(ms)) LearnerRegistry.Write(w, model);
            Assert.Equal(pred.Std, LearnerRegistry.Read(JsonDocument.Parse(ms.ToArray()).RootElement).Predict(test).Std);
            cases++;
        }
        Assert.Equal(2, cases);
        Assert.Contains("optimizer=none", Assert.Throws<ArgumentException>(() => LearnerRegistry.Fit("gpr", train, new Dictionary<string, string> { ["kernel"] = "bond", ["optimizer"] = "lbfgs" })).Message);
        Assert.Contains("1 + 2m", Assert.Throws<ArgumentException>(() => LearnerRegistry.Fit("gpr", train.SelectColumns(Enumerable.Range(0, 4).ToArray()), new Dictionary<string, string> { ["kernel"] = "bond" })).Message);
    }
}
