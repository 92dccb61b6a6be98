using System.Globalization;
using System.Text.Json;
using GlassML.Cli;
using GlassML.Learning;
using GlassML.Tests.Learning;

namespace GlassML.Tests.Cli;

/// <summary><c>glassml learn</c>: pooled cross-validation, task checks, species options.</summary>
[Collection("Console")]
public class LearnCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var so = Console.Out; var se = Console.Error;
        var o = new StringWriter(); var e = new StringWriter();
        Console.SetOut(o); Console.SetError(e);
        try { return (Program.Main(["learn", .. args]), o.ToString(), e.ToString()); }
        finally { Console.SetOut(so); Console.SetError(se); }
    }

    private static string Temp(string name) => Path.Combine(Path.GetTempPath(), $"glassml-learn-{Guid.NewGuid():N}-{name}");

    [Fact]
    public void CrossValidationReportsPooledMetricsAndSaysFoldsAreGrouped()
    {
        string model = Temp("m.json");
        var (code, o, e) = Run("knn", "--train", CrossValidationTests.Fixture("cv_grouped.csv.gz"), "--target", "y", "--params", "k=5", "--cv", "4", "--model", model);
        Assert.True(code == 0, e);
        Assert.Contains("folds grouped by column 'group' (4 groups)", o);
        Assert.Contains("pooled over all 120 out-of-fold predictions", o);
        Assert.Contains("per-fold metrics", o);
        using var doc = JsonDocument.Parse(File.ReadAllText(CrossValidationTests.Fixture("cv_grouped_sklearn.json")));
        double want = doc.RootElement.GetProperty("pooled").GetProperty("r2").GetDouble();
        var m = TabularModel.Load(model);
        File.Delete(model);
        Assert.Equal(want, m.Metrics["cv_r2"], 1e-10); // the pooled value, not the very negative mean over folds
        Assert.Contains(want.ToString("G6", CultureInfo.InvariantCulture), o);
        Assert.False(m.IsClassifier); // knn's rule followed the continuous target
    }

    [Theory]
    [InlineData("svc", "")]
    [InlineData("knn", "rule=vote")]
    [InlineData("gbdt", "objective=binary")]
    public void ClassifierOnAContinuousTargetIsOneLineAndExitCode2(string learner, string parameters)
    {
        string[] args = ["learner", "--train", CrossValidationTests.Fixture("cv_grouped.csv.gz"), "--target", "y"];
        args[0] = learner;
        var (code, _, e) = parameters.Length > 0 ? Run([.. args, "--params", parameters]) : Run(args);
        Assert.Equal(2, code);
        Assert.StartsWith("glassml: error: ", e);
        Assert.Contains("classifier but the target is continuous", e);
        Assert.Single(e.Trim().Split('\n'));
    }

    [Fact]
    public void GbdtRegressesAContinuousTargetByDefault()
    {
        string train = Temp("train.csv"), test = Temp("test.csv");
        FeatureTableCsv.Write(SpeciesModelTests.WithSpecies("pe", 0, 1000), train, "pe");
        FeatureTableCsv.Write(SpeciesModelTests.WithSpecies("pe", 1000, 1400), test, "pe");
        var (code, o, e) = Run("gbdt", "--train", train, "--test", test, "--target", "pe");
        Assert.True(code == 0, e);
        Assert.Contains("test r2", o);
        Assert.DoesNotContain("auc", o);
        File.Delete(train); File.Delete(test);
    }

    [Fact]
    public void BySpeciesAndOneHotRunThroughTheVerbAndReload()
    {
        string train = Temp("train.csv"), test = Temp("test.csv"), model = Temp("m.json"), pred = Temp("p.csv");
        var testTable = SpeciesModelTests.WithSpecies("pe", 600, 800);
        FeatureTableCsv.Write(SpeciesModelTests.WithSpecies("pe", 0, 600), train, "pe");
        FeatureTableCsv.Write(testTable, test, "pe");

        var (code, o, e) = Run("svr", "--train", train, "--test", test, "--target", "pe", "--by-species", "--model", model, "--out", pred);
        Assert.True(code == 0, e);
        Assert.Contains("svr per species: Cu ", o);
        var m = TabularModel.Load(model);
        Assert.Equal("by_species", m.LearnerName);
        var written = File.ReadAllLines(pred).Skip(1).Select(l => double.Parse(l.Split(',')[0], CultureInfo.InvariantCulture)).ToArray();
        var direct = m.Predict(FeatureTableCsv.Read(test, "pe")).Prediction;
        Assert.Equal(direct.Length, written.Length);
        for (int i = 0; i < direct.Length; i++) Assert.Equal(direct[i], written[i], 1e-12 * Math.Abs(direct[i]));

        (code, o, e) = Run("svr", "--train", train, "--test", test, "--target", "pe", "--species-onehot", "--model", model);
        Assert.True(code == 0, e);
        Assert.Contains("2 one-hot species columns", o);
        Assert.Equal(["species_Cu", "species_Zr"], TabularModel.Load(model).FeatureNames.TakeLast(2));

        // a table without a species column: one line, exit 2
        string plain = Temp("plain.csv");
        FeatureTableCsv.Write(testTable.WithSpecies(null), plain, "pe");
        (code, _, e) = Run("svr", "--train", plain, "--target", "pe", "--by-species");
        Assert.Equal(2, code);
        Assert.Contains("needs a 'species' column", e);
        foreach (var f in new[] { train, test, model, pred, plain }) File.Delete(f);
    }
}
