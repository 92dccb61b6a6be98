using System.CommandLine;
using System.Globalization;
using GlassML.Io;
using GlassML.Structure;
using Spectre.Console;

namespace GlassML.Cli.Commands;

/// <summary><c>glassml info FILE</c>: frames, atoms, species, box and columns of a structure file.</summary>
public static class InfoCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create()
    {
        var file = CliSupport.FramesArgument("FILE", "LAMMPS dump (text or .gz), LAMMPS data file, or extended XYZ.");
        var types = CliSupport.TypesOption();
        var cmd = new Command("info", "Show frames, atoms, species, box (lengths, tilts, volume) and per-atom columns of a structure file.");
        cmd.Arguments.Add(file);
        cmd.Options.Add(types);
        cmd.SetAction(pr => CliSupport.Run(() =>
        {
            var options = CliSupport.ParseTypes(pr.GetValue(types));
            var files = CliSupport.Inputs(pr.GetValue(file), options);
            var path = FrameFiles.Describe(files);
            Frame? first = null;
            int frames = 0;
            long lastStep = 0;
            foreach (var f in FrameFiles.ReadFrames(files, options))
            {
                first ??= f;
                lastStep = f.Timestep;
                frames++;
            }
            if (first is null) throw new InputFormatException(path, 0, "no frames found");
            Print($"{path} ({string.Join(", ", files.Select(StructureReader.DetectFormat).Distinct())})", first, frames, lastStep);
            return 0;
        }));
        return cmd;
    }

    /// <summary>Writes the summary of a frame as tables under the title <paramref name="title"/>.</summary>
    public static void Print(string title, Frame f, int frames, long lastTimestep)
    {
        var inv = CultureInfo.InvariantCulture;
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(title)}[/]");
        var t = new Table().AddColumn("property").AddColumn("value");
        t.AddRow("frames", frames.ToString(inv));
        t.AddRow("timesteps", frames > 1 ? $"{f.Timestep} … {lastTimestep}" : f.Timestep.ToString(inv));
        t.AddRow("atoms", f.Count.ToString(inv));
        var b = f.Box;
        t.AddRow("box", b.IsOrthogonal ? "orthogonal" : "triclinic");
        t.AddRow("origin (Å)", Fmt(b.Origin));
        t.AddRow("a, b, c (Å)", $"{Fmt(b.A)}  {Fmt(b.B)}  {Fmt(b.C)}");
        t.AddRow("lengths (Å)", Fmt(b.Lengths));
        if (b.IsLammpsForm) t.AddRow("tilts xy xz yz (Å)", Fmt(b.Tilts));
        t.AddRow("volume (Å³)", b.Volume.ToString("G10", inv));
        t.AddRow("periodic", string.Join(" ", b.Periodic.Select(p => p ? "p" : "f")));
        t.AddRow("number density (Å⁻³)", (f.Count / b.Volume).ToString("G6", inv));
        var cols = new List<string> { "id", "species", f.PositionsUnwrapped ? "xu yu zu" : "x y z" };
        if (f.Images is not null) cols.Add("ix iy iz");
        cols.AddRange(f.Columns.Keys);
        t.AddRow("columns", Markup.Escape(string.Join(", ", cols)));
        AnsiConsole.Write(t);

        var s = new Table().AddColumn("species").AddColumn("count").AddColumn("fraction").AddColumn("mass (amu)");
        var counts = f.SpeciesCounts();
        for (int k = 0; k < f.Species.Count; k++)
            s.AddRow(Markup.Escape(f.Species[k].Name), counts[k].ToString(inv), (counts[k] / (double)f.Count).ToString("F4", inv), f.Species[k].HasMass ? f.Species[k].Mass.ToString("G8", inv) : "unknown");
        AnsiConsole.Write(s);
    }

    private static string Fmt(Vec3 v) => string.Create(CultureInfo.InvariantCulture, $"({v.X:G8}, {v.Y:G8}, {v.Z:G8})");
}
