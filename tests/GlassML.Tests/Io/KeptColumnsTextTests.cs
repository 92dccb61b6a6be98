using GlassML.Descriptors;
using GlassML.Io;
using GlassML.Structure;

namespace GlassML.Tests.Io;

/// <summary>
/// Extended XYZ and dump outputs get the kept input columns as the frame's columns beside the features
/// (<see cref="PerAtomOutput.WithKept"/>): the same bytes as the joined table of <see cref="PerAtomOutput.Combine"/> — the kept
/// columns in the order --keep names them (or the input's), a computed column of the same name winning, then the features.
/// </summary>
public class KeptColumnsTextTests
{
    [Theory]
    [InlineData("c_pe,v_x", ".xyz")]
    [InlineData("v_x,c_pe", ".dump")]
    [InlineData("v_x,a1,c_pe", ".xyz")]   // a1 is computed as well: the computed one is written
    [InlineData("all", ".dump")]
    [InlineData("none", ".xyz")]
    public void KeptColumnsBesideTheFeaturesAreTheJoinedTablesBytes(string keepText, string ext)
    {
        using var tmp = new TempDir();
        var rng = new Random(3);
        int n = 300;
        var ids = Enumerable.Range(1, n).Select(i => (long)i).OrderBy(_ => rng.Next()).ToArray();
        var x = Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 10).ToArray();
        var frame = new Frame(Box.Cubic(10), new SpeciesTable(["Cu", "Zr"]), ids, Enumerable.Range(0, n).Select(i => i % 2).ToArray(),
            x, x.Select(v => 10 - v).ToArray(), x.Select(v => v * 0.5).ToArray());
        frame.Columns["v_x"] = Enumerable.Range(0, n).Select(i => i * 0.25).ToArray();
        frame.Columns["c_pe"] = Enumerable.Range(0, n).Select(i => -4 - i * 1e-3).ToArray();
        frame.Columns["a1"] = new double[n];
        var features = new PerAtomFeatures(["a0", "a1"], n, Enumerable.Range(0, 2 * n).Select(k => Math.Sqrt(k)).ToArray());
        var keep = KeepColumns.Parse(keepText);
        string got = tmp.File("got" + ext), expected = tmp.File("expected" + ext);
        PerAtomOutput.Write(got, frame, features, keep);
        IEnumerable<(Frame, PerAtomFeatures?)> joined = [(PerAtomOutput.WithoutColumns(frame), PerAtomOutput.Combine(frame, features, keep))];
        if (ext == ".xyz") ExtendedXyzWriter.Write(expected, joined);
        else LammpsDumpWriter.Write(expected, joined);
        Assert.Equal(File.ReadAllText(expected), File.ReadAllText(got));
    }
}
