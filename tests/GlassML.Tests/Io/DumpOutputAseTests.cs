using System.Diagnostics;
using System.Globalization;
using GlassML.Io;
using GlassML.Tests.Cli;

namespace GlassML.Tests.Io;

/// <summary>
/// <c>--out X.dump</c> from a per-atom verb: read back by our reader and by ASE (<c>ase.io.read(..., format="lammps-dump-text")</c>,
/// /usr/bin/python3 with python3-ase; skipped where it is missing): ids, element, positions and every result column equal
/// the CSV of the same run bit for bit (ASE keeps only the c_/f_/v_ columns of a dump).
/// </summary>
[Collection("Console")]
public class DumpOutputAseTests
{
    [SkippableFact]
    public void Featurize_dump_reads_back_in_ase_and_our_reader_as_the_csv()
    {
        Skip.IfNot(File.Exists("/usr/bin/python3"), "no /usr/bin/python3");
        var probe = Python("import ase, numpy; print(ase.__version__)", []);
        Skip.If(probe.Code != 0, "python3-ase not installed");

        string dump = PerAtomColumnsTests.Temp("f.dump"), csv = PerAtomColumnsTests.Temp("f.csv");
        foreach (var o in new[] { dump, csv })
            Assert.Equal(0, PerAtomColumnsTests.Run("featurize", PerAtomColumnsTests.Dump, "--features", "distance,csro", "--neighbors", "cutoff", "--keep", "c_pe,c_s[1]", "--out", o).Code);
        var lines = File.ReadAllLines(csv);
        var head = lines[0].Split(',');
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToDictionary(t => long.Parse(t[0], CultureInfo.InvariantCulture));

        // our reader
        var f = StructureReader.ReadFrame(dump);
        Assert.Equal(head.Length - 3, f.Columns.Count);
        for (int i = 0; i < f.Count; i++)
        {
            var t = rows[f.Ids[i]];
            Assert.Equal(t[2], f.Species[f.SpeciesIndex[i]].Name);
            for (int c = 3; c < head.Length; c++) Assert.Equal(double.Parse(t[c], CultureInfo.InvariantCulture), f.Columns[head[c]][i]);
        }

        // ASE (sorts atoms by id, keeps no id array): one line per atom 'index symbol x y z values...' 
        var ase = Python("""
            import sys, ase.io
            a = ase.io.read(sys.argv[1], format="lammps-dump-text")
            cols = [k for k in a.arrays if k not in ("numbers", "positions", "id", "type", "element")]
            print(" ".join(cols))
            for i in range(len(a)):
                print(i, a[i].symbol, *(repr(float(v)) for v in a.positions[i]), *(repr(float(a.arrays[k][i])) for k in cols))
            """, [dump]);
        Assert.True(ase.Code == 0, ase.Err);
        var printed = ase.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var cols = printed[0].Split(' ');
        // ASE 3.22's dump reader keeps the LAMMPS-style c_/f_/v_ columns as arrays (our feature columns: extended XYZ, CSV, Parquet)
        Assert.Contains("c_pe", cols);
        Assert.Contains("c_s[1]", cols);
        Assert.Equal(f.Count, printed.Length - 1);
        var byId = Enumerable.Range(0, f.Count).ToDictionary(i => f.Ids[i]);
        var sortedIds = f.Ids.Order().ToArray();
        foreach (var l in printed.Skip(1))
        {
            var t = l.Split(' ');
            long id = sortedIds[int.Parse(t[0], CultureInfo.InvariantCulture)];
            var row = rows[id];
            Assert.Equal(row[2], t[1]);
            int i = byId[id];
            Assert.Equal(f.X[i], double.Parse(t[2], CultureInfo.InvariantCulture));
            Assert.Equal(f.Z[i], double.Parse(t[4], CultureInfo.InvariantCulture));
            for (int k = 0; k < cols.Length; k++)
            {
                int c = Array.IndexOf(head, cols[k]);
                if (c >= 3) Assert.Equal(double.Parse(row[c], CultureInfo.InvariantCulture), double.Parse(t[5 + k], CultureInfo.InvariantCulture));
            }
        }
        File.Delete(dump); File.Delete(csv);
    }

    /// <summary>LAMMPS <c>read_dump … box yes add keep</c> reads our dump; its <c>write_dump</c> (17 digits) gives our types and positions back (to 1e-9 Å, up to the periodic wrap).</summary>
    [SkippableFact]
    public void Lammps_read_dump_reads_our_dump()
    {
        string lmp = new[] { "/usr/bin/lmp", "/usr/bin/lmp_serial" }.FirstOrDefault(File.Exists) ?? "";
        Skip.If(lmp.Length == 0, "LAMMPS (lmp) not installed");
        string dir = PerAtomColumnsTests.Temp("lmp");
        Directory.CreateDirectory(dir);
        string dump = Path.Combine(dir, "ours.dump");
        Assert.Equal(0, PerAtomColumnsTests.Run("strain", PerAtomColumnsTests.Dump, PerAtomColumnsTests.Dump, "--out", dump).Code);
        File.WriteAllText(Path.Combine(dir, "in.read"), """
            units metal
            atom_style atomic
            region b block 0 1 0 1 0 1
            create_box 2 b
            mass * 1.0
            read_dump ours.dump 10 x y z box yes add keep
            write_dump all custom back.dump id type x y z modify format float %.17g sort id
            """);
        var psi = new ProcessStartInfo(lmp) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir };
        foreach (var a in new[] { "-in", "in.read", "-log", "none" }) psi.ArgumentList.Add(a);
        using (var p = Process.Start(psi)!)
        {
            var err = p.StandardError.ReadToEndAsync();
            string o = p.StandardOutput.ReadToEnd();
            Assert.True(p.WaitForExit(120_000));
            Assert.True(p.ExitCode == 0, o + err.Result);
        }
        var ours = StructureReader.ReadFrame(dump);
        var back = StructureReader.ReadFrame(Path.Combine(dir, "back.dump"));
        Assert.Equal(ours.Count, back.Count);
        var at = Enumerable.Range(0, ours.Count).ToDictionary(i => ours.Ids[i]);
        for (int i = 0; i < back.Count; i++)
        {
            int j = at[back.Ids[i]];
            Assert.Equal(ours.SpeciesIndex[j], back.SpeciesIndex[i]);
            // LAMMPS wraps atoms that left the box into it: equal up to a lattice vector
            Assert.True(ours.Box.MinimumImage(back.Position(i) - ours.Position(j)).Length < 1e-9, $"atom {back.Ids[i]}");
        }
        Directory.Delete(dir, true);
    }

    private static (int Code, string Out, string Err) Python(string script, string[] args)
    {
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(string.Join('\n', script.Split('\n').Select(l => l.TrimEnd())));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string o = p.StandardOutput.ReadToEnd();
        p.WaitForExit(120_000);
        return (p.ExitCode, o, err.Result);
    }
}
