using System.Globalization;
using System.IO.Compression;
using GlassML.Io;
using GlassML.Structure;

namespace GlassML.Tests.Dynamics;

/// <summary>Access to tests/fixtures/dynamics (copied to the test output directory).</summary>
internal static class DynamicsFixtures
{
    public static string Path(params string[] parts) =>
        System.IO.Path.Combine([AppContext.BaseDirectory, "fixtures", "dynamics", .. parts]);

    public static readonly ReadOptions CuZr = new() { TypeNames = new Dictionary<int, string> { [1] = "Cu", [2] = "Zr" } };

    public static List<Frame> ReadDump(string name)
    {
        var frames = StructureReader.ReadFrames(Path(name), CuZr).ToList();
        foreach (var f in frames) f.SortById();
        return frames;
    }

    /// <summary>Rows of a (gzip) CSV with a header: list of name → value dictionaries.</summary>
    public static List<Dictionary<string, double>> ReadCsv(string name)
    {
        var path = Path(name);
        using Stream s = File.OpenRead(path);
        using Stream z = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(s, CompressionMode.Decompress) : s;
        using var r = new StreamReader(z);
        var header = r.ReadLine()!.Split(',');
        var rows = new List<Dictionary<string, double>>();
        string? line;
        while ((line = r.ReadLine()) is not null)
        {
            if (line.Length == 0) continue;
            var p = line.Split(',');
            var d = new Dictionary<string, double>(header.Length);
            for (int k = 0; k < header.Length; k++) d[header[k]] = double.Parse(p[k], CultureInfo.InvariantCulture);
            rows.Add(d);
        }
        return rows;
    }

    /// <summary>|a − b| ≤ abs + rel·|b|.</summary>
    public static void Close(double expected, double actual, double abs, double rel, string what)
    {
        if (double.IsNaN(expected) && double.IsNaN(actual)) return;
        double tol = abs + rel * Math.Abs(expected);
        Assert.True(Math.Abs(expected - actual) <= tol, $"{what}: expected {expected:R}, got {actual:R} (|diff| {Math.Abs(expected - actual):E3} > {tol:E3})");
    }
}
