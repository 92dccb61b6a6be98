using System.Text;
using System.Text.Json;
using GlassML.Learning;

namespace GlassML.Tests.Learning;

/// <summary>The one learner contract: every registered learner fits, predicts, and round-trips through embedded JSON state.</summary>
public class LearnerRegistryTests
{
    private static readonly string[] Features = ["zr", "cn_3.6", "n_cu_0.0_2.8", "n_zr_2.8_3.2", "dmin", "dstd", "n2_cu", "n2_zr", "g2_cu_2.50", "g2_zr_3.00"];

    internal static FeatureTable Slice(string target, int from, int to, params string[] features)
    {
        var all = GradientBoostedTreesTests.GlassTable(target);
        var names = features.Length > 0 ? features : Features;
        var cols = names.Select(f => all.Columns.ToList().IndexOf(f)).ToArray();
        return all.SelectColumns(cols).SelectRows(Enumerable.Range(from, to - from).ToArray());
    }

    public static TheoryData<string, string, string> Cases => new()
    {
        { "gbdt", "pe", "objective=regression,n_estimators=30,max_depth=4,learning_rate=0.3,base_score=-6" },
        { "gbdt", "high_pe", "objective=binary,n_estimators=30,max_depth=4" },
        { "svr", "pe", "C=1,epsilon=0.01" },
        { "svc", "high_pe", "C=0.5" },
        { "gpr", "pe", "kernel=rbf,length_scale=3,alpha=0.01,normalize_y=true,optimizer=none" },
        { "gpr", "pe", "kernel=dot,sigma0=1,alpha=0.1,normalize_y=true,optimizer=none" },
        { "gpr", "pe", "kernel=poly,sigma0=1,degree=2,alpha=0.1,normalize_y=true,optimizer=none" },
        { "knn", "high_pe", "k=15,rule=vote" },
        { "knn", "pe", "k=15,rule=mean" },
        { "isotonic", "pe", "increasing=false" },
    };

    private static (FeatureTable Train, FeatureTable Test) Data(string learner, string target) =>
        learner == "isotonic"
            ? (Slice(target, 0, 600, "cn_3.6"), Slice(target, 600, 800, "cn_3.6"))
            : (Slice(target, 0, 600), Slice(target, 600, 800));

    /// <summary>A model embedded in a larger JSON document (as a method's model file does) reads back to bit-identical predictions.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void EmbeddedStateReadsBackToBitIdenticalPredictions(string learner, string target, string parameters)
    {
        var (train, test) = Data(learner, target);
        var m = LearnerRegistry.Fit(learner, train, GlassML.Descriptors.DescriptorParameters.Split(parameters), threads: 2);
        Assert.Equal(learner, m.LearnerName);
        m.Metrics["cv_r2"] = 0.25;
        m.Metrics["odd"] = double.NaN;
        var pred = m.Predict(test);

        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteString("method", "example");
            LearnerRegistry.Write(w, m, "learner_state");
            w.WriteStartArray("after"); w.WriteNumberValue(1); w.WriteEndArray();
            w.WriteEndObject();
        }
        using var doc = JsonDocument.Parse(ms.ToArray());
        Assert.Equal(1, doc.RootElement.GetProperty("after")[0].GetInt32()); // the writer left the outer object intact
        var back = LearnerRegistry.Read(doc.RootElement.GetProperty("learner_state"));

        var again = back.Predict(test, threads: 1);
        Assert.Equal(pred.Prediction, again.Prediction);
        Assert.Equal(pred.Probability, again.Probability);
        Assert.Equal(pred.Std, again.Std);
        Assert.Equal(m.FeatureNames, back.FeatureNames);
        Assert.Equal(m.IsClassifier, back.IsClassifier);
        Assert.Equal(0.25, back.Metrics["cv_r2"]);
        Assert.True(double.IsNaN(back.Metrics["odd"]));
        // predictions are not trivial (a constant model would pass a round trip too)
        Assert.True(pred.Prediction.Distinct().Count() > 1, "predictions are constant");

        // the stand-alone file of glassml learn (TabularModel) round-trips the same way
        string path = Path.Combine(Path.GetTempPath(), $"glassml-reg-{Guid.NewGuid():N}.json");
        TabularModel.From(m).Save(path);
        var file = TabularModel.Load(path);
        File.Delete(path);
        Assert.Equal(pred.Prediction, file.Predict(test).Prediction);
        Assert.Equal(learner, file.LearnerName);
    }

    [Fact]
    public void RegistryFindsEveryLearnerByName()
    {
        Assert.Equal(["gbdt", "svr", "svc", "gpr", "knn", "isotonic", "by_species"], LearnerRegistry.Names);
        Assert.Equal("knn", LearnerRegistry.Get("KNN").Name);
        Assert.Contains("known: gbdt", Assert.Throws<ArgumentException>(() => LearnerRegistry.Get("forest")).Message);
        Assert.Throws<FormatException>(() => LearnerRegistry.Read(JsonDocument.Parse("{\"learner\":\"forest\"}").RootElement));
        Assert.Throws<FormatException>(() => LearnerRegistry.Read(JsonDocument.Parse("{\"x\":1}").RootElement));
        foreach (var l in LearnerRegistry.Learners) Assert.False(string.IsNullOrWhiteSpace(l.Description));
    }

    [Fact]
    public void LearnersGiveTheUnderlyingAlgorithmsNumbers()
    {
        var train = Slice("pe", 0, 400, "cn_3.6");
        var iso = LearnerRegistry.Fit("isotonic", train, new Dictionary<string, string>());
        var direct = IsotonicRegression.Fit(train.Values, train.Labels);
        Assert.Equal(direct.Predict(train.Values), iso.Predict(train).Prediction);
        Assert.Contains("exactly one feature", Assert.Throws<ArgumentException>(() => LearnerRegistry.Fit("isotonic", Slice("pe", 0, 50), new Dictionary<string, string>())).Message);

        var t10 = Slice("pe", 0, 300);
        var gpr = LearnerRegistry.Fit("gpr", t10, new Dictionary<string, string> { ["kernel"] = "rbf", ["length_scale"] = "2", ["alpha"] = "0.01", ["optimizer"] = "none", ["normalize_y"] = "false" });
        var gDirect = GaussianProcessRegression<double[]>.Fit(new RbfKernel(2), Kernels.SplitRows(t10.Values, t10.ColumnCount), t10.Labels, new GaussianProcessOptions(Alpha: 0.01));
        Assert.Equal(gDirect.Predict(Kernels.SplitRows(t10.Values, t10.ColumnCount)).Mean, gpr.Predict(t10).Prediction);
    }

    [Fact]
    public void TruncatedOrForeignStateIsAFormatError()
    {
        var m = LearnerRegistry.Fit("svr", Slice("pe", 0, 100), new Dictionary<string, string>());
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms)) LearnerRegistry.Write(w, m);
        var json = Encoding.UTF8.GetString(ms.ToArray());
        var noWeights = json.Replace("\"weights\"", "\"w\"");
        Assert.Throws<KeyNotFoundException>(() => LearnerRegistry.Read(JsonDocument.Parse(noWeights).RootElement));
        var asSvc = json.Replace("\"learner\":\"svr\"", "\"learner\":\"svc\"");
        Assert.ThrowsAny<Exception>(() => LearnerRegistry.Read(JsonDocument.Parse(asSvc).RootElement));
    }
}

/// <summary>Model files written before the learner contract (GPR and kNN without the now-recorded defaults) keep their meaning.</summary>
public class LegacyModelFileTests
{
    private static string Legacy(string model, string parameters, FeatureTable t)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        string Arr(IEnumerable<double> v) => "[" + string.Join(",", v.Select(x => x.ToString("R", inv))) + "]";
        string path = Path.Combine(Path.GetTempPath(), $"glassml-legacy-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, $$"""
            {"format":"glassml-model","schema_version":1,"model":"{{model}}","glassml_version":"0.1.0.0",
             "feature_names":[{{string.Join(",", t.Columns.Select(c => $"\"{c}\""))}}],"parameters":{{{parameters}}},"metrics":{"cv_r2":0.5},
             "rows":{{t.Rows}},"x":{{Arr(t.Values)}},"y":{{Arr(t.Labels!)}}}
            """);
        return path;
    }

    [Fact]
    public void OldGprAndKnnFilesPredictAsBefore()
    {
        var train = LearnerRegistryTests.Slice("pe", 0, 200);
        var test = LearnerRegistryTests.Slice("pe", 200, 260);
        // old GPR: fixed kernel, normalize_y false, no white noise
        string gp = Legacy("gpr", "\"kernel\":\"rbf\",\"length_scale\":\"2\",\"alpha\":\"0.01\"", train);
        var m = TabularModel.Load(gp);
        File.Delete(gp);
        var direct = GaussianProcessRegression<double[]>.Fit(new RbfKernel(2), Kernels.SplitRows(train.Values, train.ColumnCount), train.Labels,
            new GaussianProcessOptions(Alpha: 0.01)).Predict(Kernels.SplitRows(test.Values, test.ColumnCount));
        Assert.Equal(direct.Mean, m.Predict(test).Prediction);
        Assert.Equal(0.5, m.Metrics["cv_r2"]);
        // old kNN without a rule: the old default vote
        var cls = LearnerRegistryTests.Slice("high_pe", 0, 200);
        string kn = Legacy("knn", "\"k\":\"7\"", cls);
        var k = TabularModel.Load(kn);
        File.Delete(kn);
        Assert.True(k.IsClassifier);
        Assert.Equal(NearestNeighbors.Fit(new NearestNeighborsOptions(K: 7), cls).PredictVote(test.Values), k.Predict(test).Prediction);
    }
}
