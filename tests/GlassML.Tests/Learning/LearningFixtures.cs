using System.Globalization;
using System.IO.Compression;

namespace GlassML.Tests.Learning;

/// <summary>Readers for tests/fixtures/learning (see its README.md).</summary>
internal static class LearningFixtures
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "fixtures", "learning", name);

    public static string[] Lines(string name)
    {
        using var s = new GZipStream(File.OpenRead(Path(name)), CompressionMode.Decompress);
        using var r = new StreamReader(s);
        return r.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    /// <summary>The glass s1 per-atom table, rows sorted by id.</summary>
    public sealed class Glass
    {
        public required long[] Id; public required int[] Type; public required double[] Pe;
        public required double[] X, Y, Z;
        /// <summary>Row-major 500 × 6: Voronoi volume, face count, q4, q6, q8, q10.</summary>
        public required double[] Features;
        public required double BoxLength;
        public const int Cols = 6;
        public int Rows => Id.Length;
        public double[] Slice(int from, int to) => Features[(from * Cols)..(to * Cols)];
    }

    private static Glass? _glass;
    public static Glass LoadGlass()
    {
        if (_glass is not null) return _glass;
        var lines = Lines("s1_cu50zr50_500.lammps-ref.dump.gz");
        var b = lines[5].Split(' ');
        double L = D(b[1]) - D(b[0]);
        var head = lines[8].Split(' ', StringSplitOptions.RemoveEmptyEntries)[2..];
        int C(string n) => Array.IndexOf(head, n);
        var rows = lines[9..].Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).OrderBy(t => long.Parse(t[C("id")], CultureInfo.InvariantCulture)).ToArray();
        string[] f = ["c_vor[1]", "c_vor[2]", "c_q[1]", "c_q[2]", "c_q[3]", "c_q[4]"];
        var feat = new double[rows.Length * 6];
        for (int i = 0; i < rows.Length; i++) for (int c = 0; c < 6; c++) feat[i * 6 + c] = D(rows[i][C(f[c])]);
        _glass = new Glass
        {
            Id = rows.Select(t => long.Parse(t[C("id")], CultureInfo.InvariantCulture)).ToArray(),
            Type = rows.Select(t => int.Parse(t[C("type")], CultureInfo.InvariantCulture)).ToArray(),
            Pe = rows.Select(t => D(t[C("c_pe")])).ToArray(),
            X = rows.Select(t => D(t[C("x")])).ToArray(),
            Y = rows.Select(t => D(t[C("y")])).ToArray(),
            Z = rows.Select(t => D(t[C("z")])).ToArray(),
            Features = feat,
            BoxLength = L,
        };
        return _glass;
    }

    public static void Close(double expected, double actual, double rel, double abs, string what)
    {
        double tol = abs + rel * Math.Abs(expected);
        Assert.True(Math.Abs(expected - actual) <= tol, $"{what}: expected {expected:R}, got {actual:R} (|Δ| = {Math.Abs(expected - actual):E3} > {tol:E3})");
    }
}
