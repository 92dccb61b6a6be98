using System.IO.Compression;
using System.Text;

namespace GlassML.Tests.Io;

/// <summary>Temporary folders and fixture paths for the Io tests.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "glassml-io-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes text (\n line ends) and returns the path.</summary>
    public string Write(string name, string text)
    {
        string p = File(name);
        System.IO.File.WriteAllText(p, text.Replace("\r\n", "\n"));
        return p;
    }

    /// <summary>Writes gzip-compressed text and returns the path.</summary>
    public string WriteGz(string name, string text)
    {
        string p = File(name);
        using var fs = System.IO.File.Create(p);
        using var gz = new GZipStream(fs, CompressionLevel.Fastest);
        var b = Encoding.UTF8.GetBytes(text.Replace("\r\n", "\n"));
        gz.Write(b);
        return p;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, true); } catch (IOException) { }
    }
}

internal static class Fixtures
{
    public static string Io(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", "io", name);

    /// <summary>Lines of a gzip or plain text fixture.</summary>
    public static string[] Lines(string path)
    {
        using var fs = File.OpenRead(path);
        Stream s = fs;
        if (path.EndsWith(".gz", StringComparison.Ordinal)) s = new GZipStream(fs, CompressionMode.Decompress);
        using var r = new StreamReader(s);
        return r.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}

internal static class TestFrames
{
    /// <summary>
    /// A frame of <paramref name="n"/> atoms at the origin with ids <paramref name="id"/>(1..n) in an order shuffled by
    /// <paramref name="seed"/> and species drawn at random from <paramref name="species"/> (for writers' row order and names).
    /// </summary>
    public static GlassML.Structure.Frame Shuffled(int n, int seed, string[] species, Func<int, long> id)
    {
        var rng = new Random(seed);
        var ids = Enumerable.Range(1, n).Select(id).OrderBy(_ => rng.Next()).ToArray();
        var sp = Enumerable.Range(0, n).Select(_ => rng.Next(species.Length)).ToArray();
        var x = new double[n];
        return new GlassML.Structure.Frame(GlassML.Structure.Box.Cubic(10), new GlassML.Structure.SpeciesTable(species), ids, sp, x, (double[])x.Clone(), (double[])x.Clone());
    }
}
