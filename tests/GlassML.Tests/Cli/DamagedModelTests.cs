using System.Text.Json.Nodes;
using GlassML.Workflows.Demo;

namespace GlassML.Tests.Cli;

/// <summary>
/// A damaged method model file (the shipped bonds and ULE models with one field changed) is refused with one line
/// <c>glassml: error: MODEL: … FIELD: problem</c> and exit code 2: the model file is named, and so is the field that is wrong.
/// </summary>
[Collection("Console")]
public class DamagedModelTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"glassml-damaged-{Guid.NewGuid():N}");
    private readonly string _glass;

    public DamagedModelTests()
    {
        Directory.CreateDirectory(_dir);
        _glass = Path.Combine(_dir, "g.data.gz");
        File.Copy(Fixtures.Path("glass-s1", "s1_cu50zr50_500.data.gz"), _glass);
    }

    public void Dispose() => Directory.Delete(_dir, true);

    private string Damaged(string method, Action<JsonNode> damage)
    {
        var json = JsonNode.Parse(DemoJob.ShippedModel(method)!)!;
        damage(json);
        string path = Path.Combine(_dir, $"{method}-damaged.json");
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    private static void AssertNamed(string model, string field, (int Code, string Out, string Err) r)
    {
        Assert.Equal(2, r.Code);
        Assert.Equal("", r.Out);
        Assert.Single(r.Err.TrimEnd('\n').Split('\n'));
        Assert.StartsWith($"glassml: error: {model}: ", r.Err);
        Assert.Contains($" {field}", r.Err);
        Assert.DoesNotContain("(Parameter '", r.Err);
    }

    [Theory]
    [InlineData("recipe.soap", "nmax=0,lmax=2")]
    [InlineData("recipe.soap", "nmax=3,lmax=50")]
    [InlineData("recipe.soap", "nmax=3,lmax=2,sigma=-1")]
    [InlineData("recipe.bond_cutoffs", "Cu-Cu:abc")]
    [InlineData("recipe.params", "theta=-1")]
    public void BondsRecipeDamageNamesTheModelAndTheField(string field, string value)
    {
        string model = Damaged("bonds", j => j["recipe"]![field.Split('.')[1]] = value);
        AssertNamed(model, field, CliRunner.Run("bonds", "apply", _glass, "--model", model, "--types", "1:Cu,2:Zr", "--out", Path.Combine(_dir, "b.csv")));
        Assert.False(File.Exists(Path.Combine(_dir, "b.csv")));
    }

    [Theory]
    [InlineData("model.types[0].q", "null")]
    [InlineData("model.types[1].alpha", "\"x\"")]
    [InlineData("model.types[0].dim", "\"63\"")]
    [InlineData("model.types[2].noise", "\"abc\"")]
    [InlineData("model.types[0]", "62", "dim")]
    public void BondsPairTypeDamageNamesTheModelAndTheField(string field, string value, string? key = null)
    {
        int t = field[12] - '0';
        key ??= field[(field.LastIndexOf('.') + 1)..];
        string model = Damaged("bonds", j => j["model"]!["types"]![t]![key] = JsonNode.Parse(value));
        AssertNamed(model, field, CliRunner.Run("bonds", "apply", _glass, "--model", model, "--types", "1:Cu,2:Zr", "--out", Path.Combine(_dir, "b.csv")));
    }
}
