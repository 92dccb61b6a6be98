using System.CommandLine;
using System.Globalization;
using GlassML.Workflows.Demo;
using Spectre.Console;

namespace GlassML.Cli.Commands;

/// <summary>
/// <c>glassml demo</c>: the main job. Applies each method's shipped model to the embedded Cu64Zr36 demo glass and writes
/// one folder with every per-atom indicator (atoms.xyz, atoms.csv), the glass's structure and report.html
/// (<see cref="DemoJob"/>); prints which methods ran and a per-species table of each indicator.
/// </summary>
public static class DemoCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create()
    {
        var outDir = OutputCheck.Folder(new Option<string>("--out") { Description = "Output folder.", DefaultValueFactory = _ => "glassml-demo" });
        var threads = CliSupport.ThreadsOption();
        var cmd = new Command("demo", "Apply each method's shipped model to the embedded Cu64Zr36 demo glass (2048 atoms): per-atom indicators (softness, sf, bond strength, T_ML, ULE) in atoms.xyz/atoms.csv and report.html.");
        cmd.Options.Add(outDir);
        cmd.Options.Add(threads);
        cmd.SetAction(pr => CliSupport.Run(() => Run(pr.GetValue(outDir)!, pr.GetValue(threads))));
        return cmd;
    }

    /// <summary>The demo job; returns the exit code.</summary>
    public static int Run(string dir, int threads)
    {
        var inv = CultureInfo.InvariantCulture;
        var r = DemoJob.Run(dir, threads, CliSupport.Arguments);
        var methods = new Table().AddColumn("method").AddColumn("indicator").AddColumn("status");
        foreach (var (m, ran) in r.Methods)
            methods.AddRow(m.Method, string.Join(", ", m.Columns), ran ? "[green]applied shipped model[/]" : "[grey]not built yet[/]");
        AnsiConsole.Write(methods);
        if (r.SpeciesTable.Rows > 0)
        {
            var t = new Table().AddColumn("indicator").AddColumn("species").AddColumn("atoms").AddColumn("mean").AddColumn("std");
            var mean = r.SpeciesTable.Numbers("mean"); var std = r.SpeciesTable.Numbers("std"); var n = r.SpeciesTable.Numbers("atoms");
            for (int i = 0; i < r.SpeciesTable.Rows; i++)
                t.AddRow(r.SpeciesTable.Cell(i, 0), r.SpeciesTable.Cell(i, 1), n[i].ToString("F0", inv), mean[i].ToString("G4", inv), std[i].ToString("G4", inv));
            AnsiConsole.Write(t);
        }
        Console.WriteLine($"{DemoJob.FeatureCount} features per atom in features.csv; g(r) in rdf.csv");
        Console.WriteLine($"wrote {Path.Combine(dir, "atoms.xyz")} (OVITO colours atoms by any column), atoms.csv and {Path.Combine(dir, "report.html")}");
        return 0;
    }
}
