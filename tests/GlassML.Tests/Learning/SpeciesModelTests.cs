using System.Text.Json;
using GlassML.Learning;

namespace GlassML.Tests.Learning;

/// <summary>Species as an input: one model per centre species, and one-hot species columns.</summary>
public class SpeciesModelTests
{
    /// <summary>Rows of the MD glass table with the species of each centre atom (from the zr column).</summary>
    internal static FeatureTable WithSpecies(string target, int from, int to)
    {
        var t = LearnerRegistryTests.Slice(target, from, to);
        int zr = t.Columns.ToList().IndexOf("zr");
        return t.WithSpecies(Enumerable.Range(0, t.Rows).Select(r => t[r, zr] == 1 ? "Zr" : "Cu").ToArray());
    }

    [Theory]
    [InlineData("gbdt", "n_estimators=20,max_depth=3")]
    [InlineData("gpr", "kernel=rbf,length_scale=3,alpha=0.01,normalize_y=true,optimizer=none")]
    public void BySpeciesEqualsFittingEachSubsetSeparately(string learner, string parameters)
    {
        var train = WithSpecies("pe", 0, 500);
        var test = WithSpecies("pe", 500, 700);
        var p = GlassML.Descriptors.DescriptorParameters.Split(parameters);
        var wrapped = new BySpeciesLearner(LearnerRegistry.Get(learner)).Fit(train, p);
        var pred = wrapped.Predict(test);

        var expect = new double[test.Rows];
        foreach (var s in new[] { "Cu", "Zr" })
        {
            var trRows = Enumerable.Range(0, train.Rows).Where(r => train.Species![r] == s).ToArray();
            var teRows = Enumerable.Range(0, test.Rows).Where(r => test.Species![r] == s).ToArray();
            Assert.NotEmpty(trRows); Assert.NotEmpty(teRows);
            var alone = LearnerRegistry.Fit(learner, train.SelectRows(trRows), p).Predict(test.SelectRows(teRows)).Prediction;
            for (int j = 0; j < teRows.Length; j++) expect[teRows[j]] = alone[j];
        }
        Assert.Equal(expect, pred.Prediction);
        // and differs from one model over all species (the wrapper does something)
        Assert.NotEqual(LearnerRegistry.Fit(learner, train, p).Predict(test).Prediction, pred.Prediction);

        // the wrapper is itself a registry learner: embedded state reads back to identical predictions
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms)) LearnerRegistry.Write(w, wrapped);
        var back = LearnerRegistry.Read(JsonDocument.Parse(ms.ToArray()).RootElement);
        Assert.Equal(pred.Prediction, back.Predict(test).Prediction);
        Assert.Equal(learner, back.Parameters["learner"]);
        // through the registry by name, with the inner learner as a parameter
        var byName = LearnerRegistry.Fit("by_species", train, new Dictionary<string, string>(p) { ["learner"] = learner });
        Assert.Equal(pred.Prediction, byName.Predict(test).Prediction);
    }

    [Fact]
    public void BySpeciesRefusesMissingOrUnknownSpecies()
    {
        var train = WithSpecies("pe", 0, 200);
        var m = new BySpeciesLearner(LearnerRegistry.Get("svr")).Fit(train, new Dictionary<string, string>());
        Assert.Contains("species", Assert.Throws<ArgumentException>(() => m.Predict(train.WithSpecies(null))).Message);
        var foreign = train.WithSpecies(Enumerable.Repeat("Al", train.Rows).ToArray());
        Assert.Contains("'Al' has no model", Assert.Throws<ArgumentException>(() => m.Predict(foreign)).Message);
        Assert.Contains("species column", Assert.Throws<ArgumentException>(() => new BySpeciesLearner(LearnerRegistry.Get("svr")).Fit(train.WithSpecies(null), new Dictionary<string, string>())).Message);
    }

    [Fact]
    public void OneHotAddsOneColumnPerSpecies()
    {
        var t = WithSpecies("pe", 0, 300);
        var e = SpeciesEncoding.OneHot(t);
        Assert.Equal(t.Columns.Concat(["species_Cu", "species_Zr"]), e.Columns);
        int zr = t.Columns.ToList().IndexOf("zr");
        for (int r = 0; r < t.Rows; r++)
        {
            Assert.Equal(t.Row(r).ToArray(), e.Row(r)[..t.ColumnCount].ToArray());
            Assert.Equal(t[r, zr] == 1 ? 0.0 : 1.0, e[r, t.ColumnCount]);
            Assert.Equal(t[r, zr], e[r, t.ColumnCount + 1]);
        }
        Assert.Equal(["Cu", "Zr"], SpeciesEncoding.SpeciesOf(e.Columns));
        // a table with only one species gets the model's columns, in the model's order
        var onlyZr = t.SelectRows(Enumerable.Range(0, t.Rows).Where(r => t.Species![r] == "Zr").ToArray());
        var enc = SpeciesEncoding.OneHot(onlyZr, ["Cu", "Zr"]);
        Assert.All(Enumerable.Range(0, enc.Rows), r => Assert.Equal(1.0, enc[r, enc.ColumnCount - 1]));
        Assert.Throws<ArgumentException>(() => SpeciesEncoding.OneHot(t, ["Zr"]));
        // a model trained with the columns predicts the encoded test table
        var m = LearnerRegistry.Fit("svr", e, new Dictionary<string, string>());
        Assert.Equal(t.Rows, m.Predict(SpeciesEncoding.OneHot(t, SpeciesEncoding.SpeciesOf(m.FeatureNames))).Prediction.Length);
    }
}
