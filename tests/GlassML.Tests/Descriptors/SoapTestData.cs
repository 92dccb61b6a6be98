using System.Globalization;
using System.IO.Compression;
using GlassML.Structure;

namespace GlassML.Tests.Descriptors;

/// <summary>Fixture access for the SOAP/RSF/ASF tests: a tiny local LAMMPS dump parser and the DScribe reference rows.</summary>
internal static class SoapTestData
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "fixtures", "soap", name);

    public static IEnumerable<string> Lines(string name)
    {
        using var fs = File.OpenRead(Path(name));
        using Stream st = name.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(fs, CompressionMode.Decompress) : fs;
        using var r = new StreamReader(st);
        string? line;
        while ((line = r.ReadLine()) is not null) yield return line;
    }

    private static readonly Lazy<Frame> GlassLazy = new(() => ReadDump("s1_cu50zr50_500.dump.gz"));

    /// <summary>The 500-atom Cu50Zr50 glass (type 1 = Cu, 2 = Zr), wrapped positions x y z, sorted by id. Do not modify.</summary>
    public static Frame Glass => GlassLazy.Value;

    /// <summary>A fresh copy of the glass (safe to modify).</summary>
    public static Frame GlassCopy() => ReadDump("s1_cu50zr50_500.dump.gz");

    /// <summary>Minimal orthogonal LAMMPS dump reader (columns id type x y z …; one frame).</summary>
    public static Frame ReadDump(string name)
    {
        var lines = Lines(name).ToList();
        int n = int.Parse(lines[lines.IndexOf("ITEM: NUMBER OF ATOMS") + 1], CultureInfo.InvariantCulture);
        int b = lines.FindIndex(l => l.StartsWith("ITEM: BOX BOUNDS", StringComparison.Ordinal));
        double[] Bounds(string l) => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(t => double.Parse(t, CultureInfo.InvariantCulture)).ToArray();
        var bx = Bounds(lines[b + 1]); var by = Bounds(lines[b + 2]); var bz = Bounds(lines[b + 3]);
        int a = lines.FindIndex(l => l.StartsWith("ITEM: ATOMS", StringComparison.Ordinal));
        var cols = lines[a].Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(2).ToList();
        int ci = cols.IndexOf("id"), ct = cols.IndexOf("type"), cx = cols.IndexOf("x"), cy = cols.IndexOf("y"), cz = cols.IndexOf("z");
        var ids = new long[n]; var sp = new int[n]; var x = new double[n]; var y = new double[n]; var z = new double[n];
        for (int i = 0; i < n; i++)
        {
            var t = lines[a + 1 + i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            ids[i] = long.Parse(t[ci], CultureInfo.InvariantCulture);
            sp[i] = int.Parse(t[ct], CultureInfo.InvariantCulture) - 1;
            x[i] = double.Parse(t[cx], CultureInfo.InvariantCulture);
            y[i] = double.Parse(t[cy], CultureInfo.InvariantCulture);
            z[i] = double.Parse(t[cz], CultureInfo.InvariantCulture);
        }
        var box = Box.Orthogonal(new Vec3(bx[0], by[0], bz[0]), new Vec3(bx[1], by[1], bz[1]));
        var f = new Frame(box, new SpeciesTable(["Cu", "Zr"]), ids, sp, x, y, z);
        f.SortById();
        return f;
    }

    /// <summary>Reference rows "id,v0,v1,…" of a DScribe subset file: id → vector.</summary>
    public static Dictionary<long, double[]> Reference(string name)
    {
        var d = new Dictionary<long, double[]>();
        foreach (var line in Lines(name))
        {
            var t = line.Split(',');
            d[long.Parse(t[0], CultureInfo.InvariantCulture)] = t.Skip(1).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        }
        return d;
    }

    /// <summary>Largest |a − b| over a row divided by the largest |b| of that row.</summary>
    public static double RowRelativeError(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double num = 0, den = 0;
        for (int k = 0; k < b.Length; k++) { num = Math.Max(num, Math.Abs(a[k] - b[k])); den = Math.Max(den, Math.Abs(b[k])); }
        return num / den;
    }
}

/// <summary>Brute-force neighbours over explicit periodic images (independent of the cell list).</summary>
internal static class SoapBruteForce
{
    /// <summary>All (j, dx, dy, dz, r) with 0 &lt; r ≤ cutoff around atom i, every image.</summary>
    public static List<(int j, double dx, double dy, double dz, double r)> Neighbours(Frame f, int i, double cutoff)
    {
        var box = f.Box;
        var pd = box.PlaneDistances;
        int na = box.Periodic[0] ? (int)Math.Ceiling(cutoff / pd.X) + 1 : 0;
        int nb = box.Periodic[1] ? (int)Math.Ceiling(cutoff / pd.Y) + 1 : 0;
        int nc = box.Periodic[2] ? (int)Math.Ceiling(cutoff / pd.Z) + 1 : 0;
        var res = new List<(int, double, double, double, double)>();
        for (int j = 0; j < f.Count; j++)
        for (int a = -na; a <= na; a++)
        for (int b = -nb; b <= nb; b++)
        for (int c = -nc; c <= nc; c++)
        {
            var s = box.ShiftVector(a, b, c);
            double dx = f.X[j] + s.X - f.X[i], dy = f.Y[j] + s.Y - f.Y[i], dz = f.Z[j] + s.Z - f.Z[i];
            double r = Math.Sqrt(dx * dx + dy * dy + dz * dz);
            if (r > 0 && r <= cutoff) res.Add((j, dx, dy, dz, r));
        }
        return res;
    }
}
