using System.Globalization;
using GlassML.Structure;

namespace GlassML.Tests.Voronoi;

/// <summary>Tiny readers for the Voronoi reference fixtures (LAMMPS dumps, LAMMPS local dumps, voro++ .vol files).</summary>
internal static class VoronoiFixtures
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", "voronoi", name);

    public static string[] Lines(string name) => Fixtures.ReadLines("voronoi", name);

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    /// <summary>Atoms dump: frame (types 1 → Cu, 2 → Zr) and per-atom LAMMPS columns (vp volume, vp faces, vr volume, vr faces).</summary>
    public static (Frame Frame, double[][] Lammps) ReadAtoms(string name)
    {
        var lines = Lines(name);
        int n = int.Parse(lines[3], CultureInfo.InvariantCulture);
        bool tri = lines[4].Contains("xy");
        var b = new double[3][];
        for (int k = 0; k < 3; k++) b[k] = lines[5 + k].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(D).ToArray();
        var box = tri
            ? Box.FromLammpsBounding(b[0][0], b[0][1], b[1][0], b[1][1], b[2][0], b[2][1], b[0][2], b[1][2], b[2][2])
            : Box.FromLammps(b[0][0], b[0][1], b[1][0], b[1][1], b[2][0], b[2][1]);
        var ids = new long[n]; var sp = new int[n]; var x = new double[n]; var y = new double[n]; var z = new double[n];
        var lam = new double[4][];
        for (int c = 0; c < 4; c++) lam[c] = new double[n];
        for (int i = 0; i < n; i++)
        {
            var t = lines[9 + i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            ids[i] = long.Parse(t[0], CultureInfo.InvariantCulture); sp[i] = int.Parse(t[1], CultureInfo.InvariantCulture) - 1;
            x[i] = D(t[2]); y[i] = D(t[3]); z[i] = D(t[4]);
            for (int c = 0; c < 4; c++) lam[c][i] = D(t[5 + c]);
        }
        return (new Frame(box, new SpeciesTable(["Cu", "Zr"]), ids, sp, x, y, z), lam);
    }

    /// <summary>LAMMPS local dump of (id i, id j, face area): faces per atom id.</summary>
    public static Dictionary<long, List<(long J, double Area)>> ReadLocal(string name)
    {
        var lines = Lines(name);
        int n = int.Parse(lines[3], CultureInfo.InvariantCulture);
        var d = new Dictionary<long, List<(long, double)>>();
        for (int k = 0; k < n; k++)
        {
            var t = lines[9 + k].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            long i = (long)D(t[0]), j = (long)D(t[1]);
            if (!d.TryGetValue(i, out var l)) d[i] = l = [];
            l.Add((j, D(t[2])));
        }
        return d;
    }

    /// <summary>voro++ "%i %s %A" output: id → (face count, face-order frequency table from 0 edges).</summary>
    public static Dictionary<long, (int Faces, int[] Freq)> ReadVoroVol(string name)
    {
        var d = new Dictionary<long, (int, int[])>();
        foreach (var line in Lines(name))
        {
            var t = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            d[long.Parse(t[0], CultureInfo.InvariantCulture)] = (int.Parse(t[1], CultureInfo.InvariantCulture), t.Skip(2).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray());
        }
        return d;
    }

    /// <summary>One face of a voro++ reference cell: neighbour id, area (Å²), edge count, lattice image (na, nb, nc) of the neighbour, pyramid volume (Å³).</summary>
    public readonly record struct VoroFace(long J, double Area, int Edges, int Na, int Nb, int Nc, double SubVolume);

    /// <summary>One voro++ reference cell: volume (Å³), surface area (Å²), face-order frequency table from 0 edges, faces.</summary>
    public sealed record VoroCell(long Id, double Volume, double Area, int[] Freq, List<VoroFace> Faces);

    /// <summary>Output of tools/voro_reference/driver.cc ("A id type volume area nfaces freq…" then "F j area edges na nb nc subvol" per face): id → cell.</summary>
    public static Dictionary<long, VoroCell> ReadVoroReference(string name)
    {
        var d = new Dictionary<long, VoroCell>();
        VoroCell? cur = null;
        int expected = 0;
        foreach (var line in Lines(name))
        {
            var t = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (t[0] == "A")
            {
                if (cur != null && cur.Faces.Count != expected) throw new InvalidDataException($"{name}: atom {cur.Id} has {cur.Faces.Count} faces, header says {expected}");
                expected = int.Parse(t[5], CultureInfo.InvariantCulture);
                cur = new VoroCell(long.Parse(t[1], CultureInfo.InvariantCulture), D(t[3]), D(t[4]),
                    t.Skip(6).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(), []);
                d.Add(cur.Id, cur);
            }
            else if (t[0] == "F" && cur != null)
            {
                cur.Faces.Add(new VoroFace(long.Parse(t[1], CultureInfo.InvariantCulture), D(t[2]), int.Parse(t[3], CultureInfo.InvariantCulture),
                    int.Parse(t[4], CultureInfo.InvariantCulture), int.Parse(t[5], CultureInfo.InvariantCulture), int.Parse(t[6], CultureInfo.InvariantCulture), D(t[7])));
            }
            else throw new InvalidDataException($"{name}: unexpected line '{line}'");
        }
        if (cur != null && cur.Faces.Count != expected) throw new InvalidDataException($"{name}: atom {cur.Id} has {cur.Faces.Count} faces, header says {expected}");
        return d;
    }

    public static readonly IReadOnlyDictionary<string, double> Radii = new Dictionary<string, double> { ["Cu"] = 1.28, ["Zr"] = 1.60 };
}
