using GlassML.Io;
using GlassML.Learning;

namespace GlassML.Tests.Learning;

/// <summary>CSV table reading/writing: column roles, missing values, round trip, user errors with file and line.</summary>
public class FeatureTableCsvTests
{
    private static FeatureTable Parse(string text, string? target = "y") => FeatureTableCsv.Read(new StringReader(text), "t.csv", target);

    [Fact]
    public void RolesAndMissingValues()
    {
        var t = Parse("id,type,x1,group,species,x2,y\n5,1,1.5,0,Cu,nan,1\n6,2,-2e-3,1,Zr,,0\n");
        Assert.Equal(["x1", "x2"], t.Columns);
        Assert.Equal([5L, 6L], t.Ids!);
        Assert.Equal([0, 1], t.Groups!);
        Assert.Equal([1.0, 0.0], t.Labels!);
        Assert.Equal(1.5, t[0, 0]); Assert.Equal(-2e-3, t[1, 0]);
        Assert.True(double.IsNaN(t[0, 1])); Assert.True(double.IsNaN(t[1, 1]));
        var noTarget = Parse("x1,y\n1,2\n", null);
        Assert.Equal(["x1", "y"], noTarget.Columns);
        Assert.Null(noTarget.Labels);
    }

    [Fact]
    public void BadInputNamesFileAndLine()
    {
        var e = Assert.Throws<InputFormatException>(() => Parse("x1,y\n1,2\n3,abc\n"));
        Assert.Equal(3, e.Line);
        Assert.Contains("'y'", e.Message);
        Assert.StartsWith("t.csv:3:", e.Message);
        Assert.Equal(2, Assert.Throws<InputFormatException>(() => Parse("x1,y\n1,2,3\n")).Line);
        Assert.Equal(2, Assert.Throws<InputFormatException>(() => Parse("x1,y\n1\n")).Line);
        Assert.Contains("target column 'z'", Assert.Throws<InputFormatException>(() => Parse("x1,y\n1,2\n", "z")).Message);
        Assert.Contains("target is missing", Assert.Throws<InputFormatException>(() => Parse("x1,y\n1,nan\n")).Message);
        Assert.Contains("duplicate", Assert.Throws<InputFormatException>(() => Parse("x1,x1\n1,2\n")).Message);
        Assert.Throws<InputFormatException>(() => FeatureTableCsv.Read("/nonexistent/dir/t.csv"));
    }

    [Fact]
    public void RoundTripIsExact()
    {
        var values = new[] { 0.1, double.NaN, 1e-300, -123456.789, Math.PI, double.MaxValue };
        var t = new FeatureTable(["a", "b"], 3, values, [1, 0, 1], [4, 5, 6], [10, 11, 12]);
        string path = Path.Combine(Path.GetTempPath(), $"glassml-csv-{Guid.NewGuid():N}.csv.gz");
        try
        {
            FeatureTableCsv.Write(t, path, "label");
            var back = FeatureTableCsv.Read(path, "label");
            Assert.Equal(t.Columns, back.Columns);
            Assert.Equal(t.Values, back.Values);
            Assert.Equal(t.Labels, back.Labels);
            Assert.Equal(t.Groups, back.Groups);
            Assert.Equal(t.Ids, back.Ids);
        }
        finally { File.Delete(path); }
    }
}
