using GlassML.Io;
using GlassML.Learning;
using GlassML.Structure;

namespace GlassML.Tests.Workflows.Softness;

/// <summary>Synthetic compression trajectories for the softness tests: affine uniaxial compression plus planted displacements.</summary>
internal static class SoftnessTestData
{
    /// <summary>Types map of the fixtures.</summary>
    public static readonly ReadOptions CuZr = new() { TypeNames = new Dictionary<int, string> { [1] = "Cu", [2] = "Zr" } };

    /// <summary>Frame 0 of a committed MD fixture trajectory (g1, g2, g3).</summary>
    public static Frame Glass(string name)
    {
        var f = StructureReader.ReadFrame(Fixtures.Path("softness", name + ".dump.gz"), 0, CuZr);
        f.SortById();
        return f;
    }

    /// <summary>
    /// The glass as a slab with free surfaces along z: the same positions in a box that is not periodic along z and extends
    /// <paramref name="margin"/> Å beyond the periodic box on both z faces.
    /// </summary>
    public static Frame Slab(Frame glass, double margin)
    {
        var b = glass.Box;
        if (!b.IsOrthogonal) throw new ArgumentException("orthogonal glasses only");
        var box = new Box(b.Origin - new Vec3(0, 0, margin), b.A, b.B, new Vec3(0, 0, b.C.Z + 2 * margin), true, true, false);
        return new Frame(box, glass.Species, glass.Ids, glass.SpeciesIndex, glass.X, glass.Y, glass.Z);
    }

    /// <summary>
    /// Writes a LAMMPS dump: frame k (k = 0..frames−1) is the glass compressed affinely along z by engineering strain
    /// k·<paramref name="dstrain"/> (z and the box about the box's lower face; x, y unchanged), and each planted atom displaced by
    /// <paramref name="amplitude"/>·min(1, ε/0.04) Å along a seeded random unit vector. The box keeps the glass's periodicity
    /// (a <see cref="Slab"/> stays non-periodic along z).
    /// </summary>
    public static void WriteTrajectory(Frame glass, bool[] planted, string path, int frames = 6, double dstrain = 0.01, double amplitude = 1.0, ulong seed = 7)
    {
        int n = glass.Count;
        var rng = new SplitMix64(seed);
        var dir = new Vec3[n];
        for (int i = 0; i < n; i++)
        {
            Vec3 v;
            do v = new Vec3(2 * rng.NextDouble() - 1, 2 * rng.NextDouble() - 1, 2 * rng.NextDouble() - 1); while (v.Length is > 1 or < 0.1);
            dir[i] = v * (1 / v.Length);
        }
        var b = glass.Box;
        if (!b.IsOrthogonal) throw new ArgumentException("orthogonal glasses only");
        IEnumerable<Frame> Frames()
        {
            for (int k = 0; k < frames; k++)
            {
                double eps = k * dstrain, s = 1 - eps, amp = amplitude * Math.Min(1, eps / 0.04);
                var lo = b.Origin;
                var box = new Box(lo, b.A, b.B, new Vec3(0, 0, b.C.Z * s), b.Periodic[0], b.Periodic[1], b.Periodic[2]);
                var x = new double[n]; var y = new double[n]; var z = new double[n];
                for (int i = 0; i < n; i++)
                {
                    var p = new Vec3(glass.X[i], glass.Y[i], lo.Z + (glass.Z[i] - lo.Z) * s);
                    if (planted[i]) p += dir[i] * amp;
                    var w = box.Wrap(p);
                    x[i] = w.X; y[i] = w.Y; z[i] = w.Z;
                }
                yield return new Frame(box, glass.Species, glass.Ids, glass.SpeciesIndex, x, y, z, k * 100);
            }
        }
        LammpsDumpWriter.Write(path, Frames());
    }

    /// <summary>The top <paramref name="fraction"/> of atoms by a column (ties → smaller index).</summary>
    public static bool[] Top(double[] values, double fraction)
    {
        var idx = Enumerable.Range(0, values.Length).OrderByDescending(i => values[i]).ThenBy(i => i).ToArray();
        var m = new bool[values.Length];
        int k = (int)Math.Round(fraction * values.Length);
        for (int j = 0; j < k; j++) m[idx[j]] = true;
        return m;
    }

    /// <summary>Runs the CLI in-process, capturing output.</summary>
    public static (int Code, string Out, string Err) Run(params string[] args) => GlassML.Tests.Cli.CliRunner.Run(args);

    /// <summary>A fresh temporary folder.</summary>
    public static string TempDir(string name)
    {
        string d = Path.Combine(Path.GetTempPath(), $"glassml-softness-{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(d);
        return d;
    }

    /// <summary>Reads a CSV written by GlassML: header and rows of cells.</summary>
    public static (string[] Header, string[][] Rows) Csv(string path)
    {
        var lines = File.ReadAllLines(path);
        return (lines[0].Split(','), lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).ToArray());
    }

    /// <summary>One numeric column of a CSV.</summary>
    public static double[] Column(string path, string name)
    {
        var (h, rows) = Csv(path);
        int c = Array.IndexOf(h, name);
        if (c < 0) throw new KeyNotFoundException($"{path}: no column {name}");
        return rows.Select(r => double.Parse(r[c], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }
}
