using System.Globalization;
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

    /// <summary>Minimal LAMMPS data-file parser for tests (atomic style, orthogonal or triclinic). Type k → species names[k-1].</summary>
    public static Frame ReadLammpsData(string[] names, params string[] parts)
    {
        using var r = OpenText(parts);
        double xlo = 0, xhi = 0, ylo = 0, yhi = 0, zlo = 0, zhi = 0, xy = 0, xz = 0, yz = 0;
        int n = 0;
        string? line;
        var ids = new List<long>(); var sp = new List<int>(); var x = new List<double>(); var y = new List<double>(); var z = new List<double>();
        var table = new SpeciesTable(names);
        while ((line = r.ReadLine()) is not null)
        {
            var t = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (t.Length == 0) continue;
            double D(int k) => double.Parse(t[k], CultureInfo.InvariantCulture);
            if (line.Contains(" atoms") && t.Length == 2) n = int.Parse(t[0], CultureInfo.InvariantCulture);
            else if (line.Contains("xlo xhi")) { xlo = D(0); xhi = D(1); }
            else if (line.Contains("ylo yhi")) { ylo = D(0); yhi = D(1); }
            else if (line.Contains("zlo zhi")) { zlo = D(0); zhi = D(1); }
            else if (line.Contains("xy xz yz")) { xy = D(0); xz = D(1); yz = D(2); }
            else if (t[0] == "Atoms")
            {
                while (ids.Count < n && (line = r.ReadLine()) is not null)
                {
                    t = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                    if (t.Length < 5) continue;
                    ids.Add(long.Parse(t[0], CultureInfo.InvariantCulture));
                    sp.Add(int.Parse(t[1], CultureInfo.InvariantCulture) - 1);
                    x.Add(D(2)); y.Add(D(3)); z.Add(D(4));
                }
            }
        }
        var f = new Frame(Box.FromLammps(xlo, xhi, ylo, yhi, zlo, zhi, xy, xz, yz), table, ids.ToArray(), sp.ToArray(), x.ToArray(), y.ToArray(), z.ToArray());
        f.SortById();
        return f;
    }

    /// <summary>The 500-atom Cu50Zr50 LAMMPS glass s1 (orthogonal).</summary>
    public static Frame GlassS1() => ReadLammpsData(["Cu", "Zr"], "glass-s1", "s1_cu50zr50_500.data.gz");
}
