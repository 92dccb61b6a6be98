using System.CommandLine;
using GlassML.Io;
using GlassML.Potentials;
using GlassML.Structure;

namespace GlassML.Cli.Commands;

/// <summary>Options and loading shared by the verbs that evaluate an EAM potential (<c>energy</c>, <c>modes</c>).</summary>
public static class PotentialSupport
{
    /// <summary>A fresh required <c>--potential</c> option.</summary>
    public static Option<string> PotentialOption() => new("--potential")
    {
        Description = "LAMMPS EAM table: eam/alloy (setfl, *.eam.alloy) or eam/fs (Finnis–Sinclair, *.eam.fs); plain or .gz. Species are matched to its elements by name (use --types 1:Cu,2:Zr for LAMMPS types).",
        Required = true,
    };

    /// <summary>A fresh <c>--format</c> option (alloy | fs | auto).</summary>
    public static Option<string> FormatOption() => new("--format")
    {
        Description = "Table format: alloy (pair_style eam/alloy), fs (eam/fs) or auto (from the file name).",
        DefaultValueFactory = _ => "auto",
    };

    /// <summary>Reads the potential named by the options.</summary>
    public static EamPotential Load(string path, string format)
    {
        if (!File.Exists(path)) throw new InputFormatException(path, 0, "file not found");
        EamFormat? f = format.ToLowerInvariant() switch
        {
            "auto" => null,
            "alloy" or "eam/alloy" or "setfl" => EamFormat.Alloy,
            "fs" or "eam/fs" => EamFormat.FinnisSinclair,
            _ => throw new ArgumentException($"--format: '{format}' is not alloy, fs or auto"),
        };
        return EamPotential.Read(path, f);
    }

    /// <summary>Per-atom masses (amu): the structure's species masses, else the potential's element masses.</summary>
    public static double[] Masses(Frame frame, EamPotential pot) => pot.MassesOf(frame);
}
