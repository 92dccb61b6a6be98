using System.Globalization;
using System.Text;
using GlassML.Io;

namespace GlassML.Tests.Io;

/// <summary>
/// Atoms and Velocities lines spelled in many ways (plain numbers, which the one-pass reader takes, and forms it leaves to
/// the split-and-parse path: "+1", "01", "1.0" as a type, "1e3" as an id, 20-digit numbers, other white space, comments
/// glued to the last field, extra velocity fields) read to the values .NET's parsers give for each field, serially and on
/// two threads, with velocities in the Atoms order and out of it.
/// </summary>
public class DataLineSpellingTests
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static string Spell(Random rng, double x) => rng.Next(12) switch
    {
        0 => x.ToString("E16", Inv),
        1 => x.ToString("e5", Inv),
        2 => (x >= 0 ? "+" : "") + x.ToString("R", Inv),
        3 => x.ToString("F22", Inv), // more than 19 significant digits
        4 => x.ToString("R", Inv) + (x.ToString("R", Inv).Contains('.') ? "000" : ".000"),
        _ => x.ToString("R", Inv),
    };

    private static string SpellInt(Random rng, long v, bool allowFloat) => rng.Next(10) switch
    {
        0 when v >= 0 => "+" + v.ToString(Inv),
        1 when v >= 0 => "00" + v.ToString(Inv),
        2 when allowFloat => v.ToString(Inv) + ".0",
        3 when allowFloat && v > 0 && v % 1000 == 0 => (v / 1000).ToString(Inv) + "e3",
        _ => v.ToString(Inv),
    };

    private static string Gap(Random rng) => rng.Next(8) switch { 0 => "\t", 1 => "   ", 2 => " \t ", _ => " " };

    [Theory]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(1, false)]
    [InlineData(2, false)]
    public void EverySpellingReadsToWhatDotNetParses(int threads, bool velocitiesInAtomsOrder)
    {
        const int n = 30_000;
        var rng = new Random(threads * 10 + (velocitiesInAtomsOrder ? 1 : 0));
        var ids = Enumerable.Range(1, n).Select(i => (long)i * 1000).OrderBy(_ => rng.Next()).ToArray();
        var expect = new double[6][];
        for (int k = 0; k < 6; k++) expect[k] = new double[n];
        var types = new int[n];
        var img = new int[n];
        var sb = new StringBuilder();
        sb.Append("title\n\n").Append(n).Append(" atoms\n2 atom types\n\n");
        sb.Append("-1 101 xlo xhi\n-1 101 ylo yhi\n-1 101 zlo zhi\n\nMasses\n\n1 63.546\n2 91.224\n\nAtoms # atomic\n\n");
        for (int i = 0; i < n; i++)
        {
            types[i] = rng.Next(1, 3);
            img[i] = rng.Next(-1, 2);
            var line = new StringBuilder(rng.Next(10) == 0 ? " \t" : "");
            line.Append(SpellInt(rng, ids[i], true)).Append(Gap(rng)).Append(SpellInt(rng, types[i], true));
            for (int k = 0; k < 3; k++)
            {
                string s = Spell(rng, rng.NextDouble() * 100 - 0.5);
                expect[k][i] = double.Parse(s, NumberStyles.Float, Inv);
                line.Append(Gap(rng)).Append(s);
            }
            for (int k = 0; k < 3; k++) line.Append(Gap(rng)).Append(SpellInt(rng, img[i], false));
            line.Append(rng.Next(12) switch { 0 => "#glued", 1 => " # spaced", 2 => "\v", 3 => " \r", _ => "" });
            sb.Append(line).Append('\n');
            if (rng.Next(500) == 0) sb.Append("  # comment line\n");
        }
        sb.Append("\nVelocities\n\n");
        var order = Enumerable.Range(0, n).ToArray();
        if (!velocitiesInAtomsOrder) order = order.OrderBy(_ => rng.Next()).ToArray();
        else
            for (int j = 0; j < 50; j++) // a few atoms out of place
            {
                int u = rng.Next(n), v = rng.Next(n);
                (order[u], order[v]) = (order[v], order[u]);
            }
        foreach (int a in order)
        {
            var line = new StringBuilder(SpellInt(rng, ids[a], true));
            for (int k = 0; k < 3; k++)
            {
                string s = Spell(rng, (rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-8, 3)));
                expect[3 + k][a] = double.Parse(s, NumberStyles.Float, Inv);
                line.Append(Gap(rng)).Append(s);
            }
            line.Append(rng.Next(10) switch { 0 => " 0.5 0.25 7", 1 => "#c", 2 => " # c", _ => "" });
            sb.Append(line).Append('\n');
        }
        string path = Path.Combine(Path.GetTempPath(), $"glassml-spell-{Guid.NewGuid():N}.data");
        try
        {
            File.WriteAllText(path, sb.ToString());
            var f = LammpsDataReader.Read(path, new ReadOptions { Threads = threads });
            Assert.Equal(ids, f.Ids);
            double[][] got = [f.X, f.Y, f.Z, f.Columns["vx"], f.Columns["vy"], f.Columns["vz"]];
            for (int k = 0; k < 6; k++)
                for (int i = 0; i < n; i++)
                    if (BitConverter.DoubleToInt64Bits(got[k][i]) != BitConverter.DoubleToInt64Bits(expect[k][i]))
                        Assert.Fail($"column {k}, atom {i}: {got[k][i]:R} vs {expect[k][i]:R}");
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(types[i] - 1, f.SpeciesIndex[i]);
                Assert.Equal(img[i], f.Images![0][i]);
            }
        }
        finally { File.Delete(path); }
    }
}
