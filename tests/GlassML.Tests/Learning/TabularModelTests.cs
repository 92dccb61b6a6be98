using System.Globalization;
using GlassML.Cli;
using GlassML.Learning;

namespace GlassML.Tests.Learning;

/// <summary>The uniform learner wrapper behind <c>glassml learn</c>: same numbers as the learners, exact reload, column checks.</summary>
[Collection("Console")]
public class TabularModelTests
{
    private static readonly string[] Features = ["zr", "cn_3.6", "n_cu_0.0_2.8", "n_zr_2.8_3.2", "dmin", "dstd", "n2_cu", "n2_zr", "g2_cu_2.50", "g2_zr_3.00"];

    /// <summary>Rows [from, to) of the MD glass table with the chosen features and target (pe in eV, or high_pe 0/1).</summary>
    private static FeatureTable Slice(string target, int from, int to)
    {
        var all = GradientBoostedTreesTests.GlassTable(target);
        var cols = Features.Select(f => all.Columns.ToList().IndexOf(f)).ToArray();
        var rows = Enumerable.Range(from, to - from).ToArray();
        return all.SelectColumns(cols).SelectRows(rows);
    }

    public static TheoryData<string, string, string> Cases => new()
    {
        { "gbdt", "pe", "objective=regression,n_estimators=30,max_depth=4,learning_rate=0.3,base_score=-6" },
        { "gbdt", "high_pe", "objective=binary,n_estimators=30,max_depth=4" },
        { "svr", "pe", "C=1,epsilon=0.01" },
        { "svc", "high_pe", "C=0.5" },
        { "gpr", "pe", "kernel=rbf,length_scale=3,alpha=0.01,normalize_y=true,optimizer=none" },
        { "knn", "high_pe", "k=15,rule=vote" },
        { "knn", "pe", "k=15,rule=mean" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void SavedModelReloadsToBitIdenticalPredictions(string learner, string target, string parameters)
    {
        var train = Slice(target, 0, 600);
        var test = Slice(target, 600, 800);
        var p = GlassML.Descriptors.DescriptorParameters.Split(parameters);
        var m = TabularModel.Train(TabularModel.ParseKind(learner), train, p);
        var pred = m.Predict(test);
        string path = Path.Combine(Path.GetTempPath(), $"glassml-model-{Guid.NewGuid():N}.json");
        m.Metrics["cv_check"] = 0.5;
        m.Save(path);
        var back = TabularModel.Load(path);
        File.Delete(path);
        var again = back.Predict(test);
        Assert.Equal(pred.Prediction, again.Prediction);
        Assert.Equal(pred.Probability, again.Probability);
        Assert.Equal(pred.Std, again.Std);
        Assert.Equal(m.FeatureNames, back.FeatureNames);
        Assert.Equal(0.5, back.Metrics["cv_check"]);

        // columns are matched by name: a reordered table predicts the same; a missing column is refused by name
        var reordered = test.SelectColumns(Enumerable.Range(0, test.ColumnCount).Reverse().ToArray());
        Assert.Equal(pred.Prediction, m.Predict(reordered).Prediction);
        var missing = test.SelectColumns(Enumerable.Range(1, test.ColumnCount - 1).ToArray());
        Assert.Contains("missing zr", Assert.Throws<ArgumentException>(() => back.Predict(missing)).Message);
    }

    [Fact]
    public void WrapperGivesTheLearnersOwnNumbers()
    {
        var train = Slice("pe", 0, 500);
        var test = Slice("pe", 500, 600);
        var svr = TabularModel.Train(LearnerKind.Svr, train, new Dictionary<string, string> { ["C"] = "2", ["epsilon"] = "0.05" });
        var direct = LinearSvr.Fit(new LinearSvmOptions(C: 2, Epsilon: 0.05), train).Predict(test.Values);
        Assert.Equal(direct, svr.Predict(test).Prediction);

        var knn = TabularModel.Train(LearnerKind.Knn, train, new Dictionary<string, string> { ["k"] = "7", ["rule"] = "mean" });
        var knnDirect = NearestNeighbors.Fit(new NearestNeighborsOptions(K: 7), train).PredictMean(test.Values);
        Assert.Equal(knnDirect, knn.Predict(test).Prediction);
    }

    [Fact]
    public void UnknownParametersAndLearnersAreRejected()
    {
        var train = Slice("pe", 0, 100);
        Assert.Contains("gamma_x", Assert.Throws<ArgumentException>(() => TabularModel.Train(LearnerKind.Svr, train, new Dictionary<string, string> { ["gamma_x"] = "1" })).Message);
        Assert.Throws<ArgumentException>(() => TabularModel.ParseKind("forest"));
        Assert.Throws<ArgumentException>(() => TabularModel.Train(LearnerKind.Gpr, train, new Dictionary<string, string> { ["kernel"] = "matern" }));
        // duplicated rows with no noise: the Gram matrix is singular, reported as a bad parameter (alpha)
        var twice = train.SelectRows(Enumerable.Range(0, 50).Concat(Enumerable.Range(0, 50)).ToArray());
        Assert.Contains("alpha", Assert.Throws<ArgumentException>(() => TabularModel.Train(LearnerKind.Gpr, twice, new Dictionary<string, string> { ["kernel"] = "dot", ["alpha"] = "0", ["optimizer"] = "none" })).Message);
    }

    [Fact]
    public void LearnVerbTrainsScoresAndWritesPredictionsAndModel()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"glassml-learn-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        string trainCsv = Path.Combine(dir, "train.csv"), testCsv = Path.Combine(dir, "test.csv"), pred = Path.Combine(dir, "pred.csv"), model = Path.Combine(dir, "m.json");
        FeatureTableCsv.Write(Slice("high_pe", 0, 1500), trainCsv, "high_pe");
        FeatureTableCsv.Write(Slice("high_pe", 1500, 2000), testCsv, "high_pe");
        var so = Console.Out; var se = Console.Error; var o = new StringWriter(); var e = new StringWriter();
        Console.SetOut(o); Console.SetError(e);
        int code;
        try { code = Program.Main(["learn", "gbdt", "--train", trainCsv, "--test", testCsv, "--target", "high_pe", "--params", "objective=binary,n_estimators=40,max_depth=4", "--cv", "3", "--out", pred, "--model", model]); }
        finally { Console.SetOut(so); Console.SetError(se); }
        Assert.True(code == 0, e.ToString());
        var lines = File.ReadAllLines(pred);
        Assert.Equal("prediction,probability", lines[0]);
        Assert.Equal(501, lines.Length);
        var probs = lines.Skip(1).Select(l => double.Parse(l.Split(',')[1], CultureInfo.InvariantCulture)).ToArray();
        Assert.All(probs, p => Assert.InRange(p, 0, 1));
        var m = TabularModel.Load(model);
        Assert.True(m.Metrics["cv_auc"] > 0.8, $"cross-validated AUC {m.Metrics["cv_auc"]}");
        Assert.True(m.Metrics["test_auc"] > 0.8, $"test AUC {m.Metrics["test_auc"]}");
        Assert.Equal(Metrics.RocAuc(Slice("high_pe", 1500, 2000).Labels, probs), m.Metrics["test_auc"], 12);
        Directory.Delete(dir, true);
    }
}
