using System.Globalization;
using GlassML.Cli;

namespace GlassML.Tests.Cli;

/// <summary>
/// Issue 11, item 6: <c>featurize --frame all</c> writes one file (CSV with a leading <c>frame</c> column, NPY with the frame
/// index as column 0, one multi-frame extended XYZ) and prints the file it wrote; each frame's rows equal those of a
/// single-frame run (<c>--frame k</c>).
/// </summary>
[Collection("Console")]
public class FeaturizeFramesTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => GlassML.Tests.Cli.CliRunner.Run(args);

    private static readonly string Input = Fixtures.Path("io", "nvt.dump.gz"); // 4 frames of 500 atoms

    private static string[] Featurize(string dir, string output, string frame)
    {
        string outp = Path.Combine(dir, output);
        var (code, stdout, err) = Run("featurize", Input, "--types", "1:Cu,2:Zr", "--features", "distance", "--neighbors", "cutoff", "--frame", frame, "--keep", "none", "--out", outp);
        Assert.True(code == 0, err);
        Assert.Contains($"written to {outp}", stdout);
        Assert.True(File.Exists(outp), $"{outp} was announced but not written");
        return File.ReadAllLines(outp);
    }

    [Fact]
    public void AllFramesGoToOneCsvWithAFrameColumnEqualToTheSingleFrameRuns()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"glassml-frames-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var all = Featurize(dir, "all.csv", "all");
        Assert.Equal(["all.csv"], Directory.GetFiles(dir).Select(Path.GetFileName));
        Assert.StartsWith("frame,id,type,species,cn_cut,", all[0]);
        Assert.Equal(1 + 4 * 500, all.Length);
        for (int k = 0; k < 4; k++)
        {
            var single = Featurize(dir, $"f{k}.csv", k.ToString(CultureInfo.InvariantCulture));
            Assert.Equal(all[0]["frame,".Length..], single[0]);
            var rows = all.Skip(1).Where(l => l.StartsWith($"{k},", StringComparison.Ordinal)).Select(l => l[(l.IndexOf(',') + 1)..]).ToArray();
            Assert.Equal(single.Skip(1), rows);
        }
        Directory.Delete(dir, true);
    }

    [Fact]
    public void AllFramesGoToOneNpyWithTheFrameIndexFirstAndOneExtendedXyz()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"glassml-frames-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        Featurize(dir, "all.npy", "all");
        var bytes = File.ReadAllBytes(Path.Combine(dir, "all.npy"));
        int hlen = BitConverter.ToUInt16(bytes, 8);
        string header = System.Text.Encoding.ASCII.GetString(bytes, 10, hlen);
        Assert.Contains("'shape': (2000, 6)", header); // frame + cn, mean, std, min, max
        int start = 10 + hlen;
        for (int r = 0; r < 2000; r++) Assert.Equal(r / 500, BitConverter.ToDouble(bytes, start + r * 6 * 8));

        Featurize(dir, "all.extxyz", "all");
        Assert.Equal(["all.extxyz", "all.npy"], Directory.GetFiles(dir).Select(Path.GetFileName).Order());
        Assert.Equal(4, GlassML.Io.StructureReader.CountFrames(Path.Combine(dir, "all.extxyz")));
        Directory.Delete(dir, true);
    }
}
