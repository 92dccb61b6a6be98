using System.Globalization;
using System.IO.Compression;
using GlassML.Structure;

namespace GlassML.Tests.Descriptors;

/// <summary>
/// Tiny readers for the SRO fixtures (LAMMPS data files "Atoms # atomic" and custom dumps, gzip), local to
/// these tests so they do not depend on the Io readers. Types 1, 2 become species "Cu", "Zr".
/// </summary>
internal static class SroFixtures
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", "sro", name);

    private static string[] Lines(string name)
    {
        using var fs = File.OpenRead(PathOf(name));
        using var gz = new GZipStream(fs, CompressionMode.Decompress);
        using var rd = new StreamReader(gz);
        return rd.ReadToEnd().Split('\n');
    }

    private static double D(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>Reads a LAMMPS data file (atomic style) into a frame (atoms in file order).</summary>
    public static Frame ReadData(string name)
    {
        var lines = Lines(name);
        double xlo = 0, xhi = 0, ylo = 0, yhi = 0, zlo = 0, zhi = 0, xy = 0, xz = 0, yz = 0;
        int atoms = 0, k = 0;
        for (; k < lines.Length; k++)
        {
            var t = lines[k].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (t.Length == 2 && t[1] == "atoms") atoms = int.Parse(t[0], CultureInfo.InvariantCulture);
            else if (t.Length == 4 && t[2] == "xlo") { xlo = D(t[0]); xhi = D(t[1]); }
            else if (t.Length == 4 && t[2] == "ylo") { ylo = D(t[0]); yhi = D(t[1]); }
            else if (t.Length == 4 && t[2] == "zlo") { zlo = D(t[0]); zhi = D(t[1]); }
            else if (t.Length == 6 && t[3] == "xy") { xy = D(t[0]); xz = D(t[1]); yz = D(t[2]); }
            else if (t.Length > 0 && t[0] == "Atoms") { k += 2; break; }
        }
        var ids = new long[atoms]; var sp = new int[atoms]; var x = new double[atoms]; var y = new double[atoms]; var z = new double[atoms];
        for (int a = 0; a < atoms; a++, k++)
        {
            var t = lines[k].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            ids[a] = long.Parse(t[0], CultureInfo.InvariantCulture);
            sp[a] = int.Parse(t[1], CultureInfo.InvariantCulture) - 1;
            x[a] = D(t[2]); y[a] = D(t[3]); z[a] = D(t[4]);
        }
        var box = Box.FromLammps(xlo, xhi, ylo, yhi, zlo, zhi, xy, xz, yz);
        return new Frame(box, new SpeciesTable(["Cu", "Zr"]), ids, sp, x, y, z);
    }

    /// <summary>Reads the per-atom columns of a one-frame dump: id → values of the requested columns.</summary>
    public static Dictionary<long, double[]> ReadDump(string name, params string[] columns)
    {
        var lines = Lines(name);
        int k = Array.FindIndex(lines, l => l.StartsWith("ITEM: ATOMS", StringComparison.Ordinal));
        var head = lines[k].Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(2).ToList();
        var pos = columns.Select(c => head.IndexOf(c)).ToArray();
        int idCol = head.IndexOf("id");
        var result = new Dictionary<long, double[]>();
        for (k++; k < lines.Length; k++)
        {
            var t = lines[k].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (t.Length < head.Count) continue;
            result[long.Parse(t[idCol], CultureInfo.InvariantCulture)] = pos.Select(p => D(t[p])).ToArray();
        }
        return result;
    }
}
