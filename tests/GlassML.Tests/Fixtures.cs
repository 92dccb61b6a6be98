using System.IO.Compression;
using GlassML.Structure;

namespace GlassML.Tests;

/// <summary>Access to committed test fixtures (copied next to the test assembly).</summary>
internal static class Fixtures
{
    /// <summary>Absolute path of a fixture file.</summary>
    public static string Path(params string[] parts) =>
        System.IO.Path.Combine([AppContext.BaseDirectory, "fixtures", .. parts]);

    /// <summary>Opens a fixture as text, transparently un-gzipping *.gz.</summary>
    public static TextReader OpenText(params string[] parts)
    {
        string p = Path(parts);
        Stream s = File.OpenRead(p);
        if (p.EndsWith(".gz", StringComparison.Ordinal)) s = new GZipStream(s, CompressionMode.Decompress);
        return new StreamReader(s);
    }

    /// <summary>All non-empty lines of a (possibly gzipped) fixture.</summary>
    public static string[] ReadLines(params string[] parts)
    {
        using var r = OpenText(parts);
        return r.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>A LAMMPS data-file fixture read with the library reader (checked against ASE in Io tests); type k → species names[k-1]; sorted by id.</summary>
    public static Frame ReadLammpsData(string[] names, params string[] parts)
    {
        var map = new Dictionary<int, string>();
        for (int k = 0; k < names.Length; k++) map[k + 1] = names[k];
        var f = GlassML.Io.LammpsDataReader.Read(Path(parts), new GlassML.Io.ReadOptions { TypeNames = map });
        f.SortById();
        return f;
    }

    /// <summary>The 500-atom Cu50Zr50 LAMMPS glass s1 (orthogonal).</summary>
    public static Frame GlassS1() => ReadLammpsData(["Cu", "Zr"], "glass-s1", "s1_cu50zr50_500.data.gz");
}
