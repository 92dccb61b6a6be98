using System.IO.Compression;
using System.Text;
using GlassML.Io;
using static GlassML.Tests.Cli.CliRunner;

namespace GlassML.Tests.Cli;

/// <summary>
/// Trajectories as users have them (issue 18 item 7): one multi-frame file, a list of files or a glob expanded by glassml,
/// ordered by timestep, plain or gzip; every frame-reading verb gives the same result for a trajectory split into files.
/// </summary>
[Collection("Console")]
public sealed class FrameInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("glassml-frames").FullName;
    private readonly string _dump = GlassML.Tests.Dynamics.DynamicsFixtures.Path("compression_ortho.dump.gz"); // 5 frames, timesteps 0..1000
    private readonly string _split;

    public FrameInputTests()
    {
        // one file per frame; names out of timestep order (f0 holds timestep 0, f3 timestep 250, f1 500, f4 750, f2 1000), some gzip
        _split = Path.Combine(_dir, "split");
        Directory.CreateDirectory(_split);
        using var r = new StreamReader(new GZipStream(File.OpenRead(_dump), CompressionMode.Decompress));
        var frames = r.ReadToEnd().Split("ITEM: TIMESTEP", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, frames.Length);
        for (int k = 0; k < frames.Length; k++)
        {
            int name = k * 3 % 5;
            string text = "ITEM: TIMESTEP" + frames[k];
            if (k % 2 == 0) File.WriteAllText(Path.Combine(_split, $"f{name}.dump"), text);
            else
            {
                using var gz = new GZipStream(File.Create(Path.Combine(_split, $"f{name}.dump.gz")), CompressionLevel.Fastest);
                gz.Write(Encoding.ASCII.GetBytes(text));
            }
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private string Out(string name) => Path.Combine(_dir, name);
    private string Glob => Path.Combine(_split, "f*");

    private static void Ok((int Code, string Out, string Err) r) => Assert.True(r.Code == 0, r.Err);

    [Fact]
    public void GlobsExpandInNaturalOrderAndFilesOrderByFirstTimestep()
    {
        var expanded = FrameFiles.Expand([Glob]);
        Assert.Equal(["f0.dump", "f1.dump", "f2.dump", "f3.dump.gz", "f4.dump.gz"], expanded.Select(Path.GetFileName));
        var ordered = FrameFiles.OrderByTimestep(expanded);
        Assert.Equal(["f0.dump", "f3.dump.gz", "f1.dump", "f4.dump.gz", "f2.dump"], ordered.Select(Path.GetFileName));
        Assert.Equal([0L, 250, 500, 750, 1000], FrameFiles.ReadFrames(ordered).Select(f => f.Timestep));
        Assert.Equal(5, FrameFiles.CountFrames(ordered));
        Assert.Equal(750, FrameFiles.ReadFrame(ordered, -2).Timestep);
        // natural order: f2 before f10
        File.WriteAllText(Path.Combine(_dir, "g10.txt"), ""); File.WriteAllText(Path.Combine(_dir, "g2.txt"), "");
        Assert.Equal(["g2.txt", "g10.txt"], FrameFiles.Expand([Path.Combine(_dir, "g*.txt")]).Select(Path.GetFileName));
        string none = Path.Combine(_dir, "nothing*.dump");
        Assert.Equal($"{none}: no file matches this pattern", Assert.Throws<InputFormatException>(() => FrameFiles.Expand([none])).Message);
        Assert.Equal($"{_split}: is a directory, not a structure file (give a pattern such as DIR/*.dump)",
            Assert.Throws<InputFormatException>(() => FrameFiles.Expand([_split])).Message);
    }

    [Fact]
    public void StrainOfSeveralCurrentFramesEqualsStrainOfTheTrajectory()
    {
        string one = Out("one.csv"), many = Out("many.csv"), xyz = Out("many.xyz");
        Ok(Run("strain", _dump, _dump, "--frame", "all", "--cutoff", "4.5", "--keep", "none", "--out", one));
        Ok(Run("strain", _dump, Glob, "--cutoff", "4.5", "--keep", "none", "--out", many)); // several files: every frame by default
        Assert.Equal(File.ReadAllText(one), File.ReadAllText(many));
        Assert.Contains("d2min_t750", File.ReadLines(many).First());
        var files = Directory.GetFiles(_split).Reverse().ToArray(); // a list in any order
        var r = Run(["strain", _dump, .. files, "--cutoff", "4.5", "--keep", "none", "--out", xyz]);
        Ok(r);
        Assert.Equal([0L, 250, 500, 750, 1000], StructureReader.ReadFrames(xyz).Select(f => f.Timestep)); // one multi-frame output
        Ok(Run("strain", _dump, Glob, "--frame", "2", "--cutoff", "4.5", "--keep", "none", "--out", Out("f2.csv")));
        Ok(Run("strain", _dump, _dump, "--frame", "2", "--cutoff", "4.5", "--keep", "none", "--out", Out("f2ref.csv")));
        Assert.Equal(File.ReadAllText(Out("f2ref.csv")), File.ReadAllText(Out("f2.csv")));
    }

    [Fact]
    public void RdfDisplacementsFeaturizeAndInfoReadSplitTrajectoriesLikeOneFile()
    {
        Ok(Run("rdf", _dump, "--rmax", "6", "--bins", "60", "--out", Out("g1.csv")));
        Ok(Run("rdf", Glob, "--rmax", "6", "--bins", "60", "--out", Out("g2.csv")));
        Assert.Equal(File.ReadAllText(Out("g1.csv")), File.ReadAllText(Out("g2.csv")));

        string[] disp = ["--lags", "0.25,0.5", "--temperature", "300", "--keep", "none"];
        Ok(Run(["displacements", _dump, .. disp, "--out", Out("d1.csv")]));
        Ok(Run(["displacements", .. Directory.GetFiles(_split), .. disp, "--out", Out("d2.csv")]));
        Assert.Equal(File.ReadAllText(Out("d1.csv")), File.ReadAllText(Out("d2.csv")));

        string[] feat = ["--features", "steinhardt,distance", "--neighbors", "cutoff", "--cutoff", "3.7", "--frame", "all", "--keep", "none"];
        Ok(Run(["featurize", _dump, .. feat, "--out", Out("x1.csv")]));
        Ok(Run(["featurize", Glob, .. feat, "--out", Out("x2.csv")]));
        Assert.Equal(File.ReadAllText(Out("x1.csv")), File.ReadAllText(Out("x2.csv")));

        var info = Run("info", Glob);
        Ok(info);
        Assert.Contains("+4 more files", info.Out);
    }
}
