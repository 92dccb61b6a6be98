using System.Globalization;
using GlassML.Cli;
using GlassML.Io;

namespace GlassML.Tests.Cli;

/// <summary>
/// Extra per-atom columns of the input (c_pe, c_s[1], v_pe2, f_ave of a LAMMPS dump) are carried into every per-atom
/// output (CSV, extended XYZ, LAMMPS dump, NPY) unchanged, selected by <c>--keep</c>, and usable as a learning target.
/// </summary>
[Collection("Console")]
public class PerAtomColumnsTests
{
    internal static (int Code, string Out, string Err) Run(params string[] args)
    {
        var so = Console.Out; var se = Console.Error;
        var o = new StringWriter(); var e = new StringWriter();
        Console.SetOut(o); Console.SetError(e);
        try { return (Program.Main(args), o.ToString(), e.ToString()); }
        finally { Console.SetOut(so); Console.SetError(se); }
    }

    internal static string Temp(string name) => Path.Combine(Path.GetTempPath(), $"glassml-cols-{Guid.NewGuid():N}-{name}");

    internal static string Dump => Fixtures.Path("columns", "s1_columns.dump.gz");

    internal static readonly string[] Extra = ["c_pe", "c_s[1]", "v_pe2", "f_ave"];

    /// <summary>The first frame's extra columns straight from the LAMMPS text (id → values), parsed here, not by our reader.</summary>
    internal static Dictionary<long, double[]> Reference()
    {
        var lines = Fixtures.ReadLines("columns", "s1_columns.dump.gz");
        int h = Array.FindIndex(lines, l => l.StartsWith("ITEM: ATOMS", StringComparison.Ordinal));
        var names = lines[h].Split(' ', StringSplitOptions.RemoveEmptyEntries)[2..];
        int n = int.Parse(lines[3], CultureInfo.InvariantCulture);
        var idx = Extra.Select(e => Array.IndexOf(names, e)).ToArray();
        Assert.DoesNotContain(-1, idx);
        var d = new Dictionary<long, double[]>();
        for (int i = 0; i < n; i++)
        {
            var t = lines[h + 1 + i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            d[long.Parse(t[0], CultureInfo.InvariantCulture)] = idx.Select(k => double.Parse(t[k], CultureInfo.InvariantCulture)).ToArray();
        }
        return d;
    }

    private static void AssertCsvCarries(string csv, string[] expected, Dictionary<long, double[]> reference)
    {
        var lines = File.ReadAllLines(csv);
        var head = lines[0].Split(',');
        Assert.Equal(["id", "type", "species"], head[..3]);
        int[] at = expected.Select(e => Array.IndexOf(head, e)).ToArray();
        Assert.DoesNotContain(-1, at);
        foreach (var extra in Extra.Except(expected)) Assert.DoesNotContain(extra, head);
        Assert.Equal(reference.Count + 1, lines.Length);
        foreach (var l in lines.Skip(1))
        {
            var t = l.Split(',');
            var r = reference[long.Parse(t[0], CultureInfo.InvariantCulture)];
            for (int k = 0; k < expected.Length; k++)
                Assert.Equal(r[Array.IndexOf(Extra, expected[k])], double.Parse(t[at[k]], CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void Featurize_carries_every_extra_column_into_csv_xyz_dump_and_npy()
    {
        var reference = Reference();
        foreach (var ext in new[] { ".csv", ".xyz", ".dump", ".npy", ".csv.gz", ".dump.gz" })
        {
            string outp = Temp("f" + ext);
            var (code, _, err) = Run("featurize", Dump, "--types", "1:Cu,2:Zr", "--features", "distance", "--neighbors", "cutoff", "--out", outp);
            Assert.True(code == 0, ext + ": " + err);
            if (ext.StartsWith(".csv", StringComparison.Ordinal))
            {
                if (ext == ".csv") AssertCsvCarries(outp, Extra, reference);
                else
                {
                    using var r = new StreamReader(new System.IO.Compression.GZipStream(File.OpenRead(outp), System.IO.Compression.CompressionMode.Decompress));
                    Assert.StartsWith("id,type,species,mass,c_pe,c_s[1],v_pe2,f_ave,", r.ReadLine(), StringComparison.Ordinal);
                }
            }
            else if (ext == ".npy")
            {
                // N × (5 + F): the kept columns first in file order (mass, then the four), rows sorted by id
                var bytes = File.ReadAllBytes(outp);
                int hl = BitConverter.ToUInt16(bytes, 8);
                string header = System.Text.Encoding.ASCII.GetString(bytes, 10, hl);
                int cols = int.Parse(header[(header.IndexOf("(500, ", StringComparison.Ordinal) + 6)..].Split(')')[0], CultureInfo.InvariantCulture);
                var ids = reference.Keys.Order().ToArray();
                for (int row = 0; row < 500; row += 37)
                    for (int k = 0; k < 4; k++)
                        Assert.Equal(reference[ids[row]][k], BitConverter.ToDouble(bytes, 10 + hl + 8 * (row * cols + 1 + k)));
            }
            else
            {
                var f = StructureReader.ReadFrame(outp);
                foreach (var (name, k) in Extra.Select((e, k) => (e, k)))
                {
                    Assert.True(f.Columns.ContainsKey(name), $"{ext}: no column {name}");
                    for (int i = 0; i < f.Count; i++) Assert.Equal(reference[f.Ids[i]][k], f.Columns[name][i]);
                }
                Assert.True(f.Columns.ContainsKey("dist_cut_mean") || f.Columns.Keys.Any(c => c.StartsWith("dist_cut", StringComparison.Ordinal)), ext + ": no feature column");
            }
            File.Delete(outp);
        }
    }

    [Fact]
    public void Keep_selects_columns_and_none_drops_them()
    {
        var reference = Reference();
        string a = Temp("a.csv"), b = Temp("b.csv"), c = Temp("c.csv");
        Assert.Equal(0, Run("featurize", Dump, "--types", "1:Cu,2:Zr", "--features", "distance", "--neighbors", "cutoff", "--keep", "f_ave,c_pe", "--out", a).Code);
        AssertCsvCarries(a, ["f_ave", "c_pe"], reference);
        Assert.StartsWith("id,type,species,f_ave,c_pe,", File.ReadLines(a).First(), StringComparison.Ordinal);
        Assert.Equal(0, Run("featurize", Dump, "--types", "1:Cu,2:Zr", "--features", "distance", "--neighbors", "cutoff", "--keep", "none", "--out", b).Code);
        var head = File.ReadLines(b).First();
        Assert.DoesNotContain("c_pe", head, StringComparison.Ordinal);
        Assert.DoesNotContain("mass", head, StringComparison.Ordinal);
        var (code, _, err) = Run("featurize", Dump, "--types", "1:Cu,2:Zr", "--features", "distance", "--keep", "c_ke", "--out", c);
        Assert.Equal(2, code);
        Assert.Contains("c_ke", err, StringComparison.Ordinal);
        Assert.Contains("c_pe", err, StringComparison.Ordinal);
        Assert.False(File.Exists(c));
        File.Delete(a); File.Delete(b);
    }

    [Fact]
    public void Strain_output_carries_the_current_frame_columns()
    {
        // the second frame's c_pe (timestep 10), read from the text here
        var lines = Fixtures.ReadLines("columns", "s1_columns.dump.gz");
        int h = Array.FindLastIndex(lines, l => l.StartsWith("ITEM: ATOMS", StringComparison.Ordinal));
        var pe = new Dictionary<long, double>();
        for (int i = h + 1; i < lines.Length; i++)
        {
            var t = lines[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            pe[long.Parse(t[0], CultureInfo.InvariantCulture)] = double.Parse(t[6], CultureInfo.InvariantCulture);
        }
        string outp = Temp("s.dump");
        var (code, _, err) = Run("strain", Dump, Dump, "--types", "1:Cu,2:Zr", "--keep", "c_pe", "--out", outp);
        Assert.True(code == 0, err);
        var f = StructureReader.ReadFrame(outp);
        Assert.Equal(10, f.Timestep);
        Assert.Contains("d2min", f.Columns.Keys);
        for (int i = 0; i < f.Count; i++) Assert.Equal(pe[f.Ids[i]], f.Columns["c_pe"][i]);
        Assert.False(f.Columns.ContainsKey("v_pe2"));
        File.Delete(outp);
    }

    [Fact]
    public void Learn_takes_a_carried_column_as_target_without_a_join()
    {
        string table = Temp("t.csv"), pred = Temp("p.csv");
        Assert.Equal(0, Run("featurize", Dump, "--types", "1:Cu,2:Zr", "--features", "distance,csro", "--neighbors", "cutoff", "--keep", "c_pe", "--out", table).Code);
        var (code, o, err) = Run("learn", "knn", "--train", table, "--test", table, "--target", "c_pe", "--params", "k=5,rule=mean", "--out", pred);
        Assert.True(code == 0, err);
        Assert.Contains("rmse", o, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(501, File.ReadAllLines(pred).Length);
        File.Delete(table); File.Delete(pred);
    }
}
