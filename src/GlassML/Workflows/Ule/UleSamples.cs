using System.Globalization;
using GlassML.Io;
using GlassML.Structure;

namespace GlassML.Workflows.Ule;

/// <summary>
/// One sample of the ULE workflow: a frame of a structure file with its role, group and (optional) energy.
/// </summary>
/// <param name="Name">Sample name (file name without extensions, plus <c>@frame</c> when not 0).</param>
/// <param name="File">Structure file (full path).</param>
/// <param name="Frame">Frame index (0 = first, −1 = last).</param>
/// <param name="Group">Cross-validation group (the trajectory).</param>
/// <param name="Role">train, test or apply.</param>
/// <param name="EnergySpec">The manifest's energy text (a number, <c>column:NAME</c> or <c>log:FILE:KEY</c>), or null.</param>
/// <param name="Row">The manifest row (for messages), or null when the sample came from the command line.</param>
public sealed record UleSample(string Name, string File, int Frame, string Group, SampleRole Role, string? EnergySpec, ManifestRow? Row)
{
    /// <summary>Reads the sample's frame (sorted by id).</summary>
    public Frame Read(ReadOptions? read)
    {
        var f = StructureReader.ReadFrame(File, Frame, read);
        f.SortById();
        return f;
    }

    /// <summary>
    /// The sample's total energy (eV): a number; <c>column:NAME</c> = the sum of a per-atom column of the frame (e.g.
    /// <c>column:c_pe</c>); <c>log:FILE:KEY</c> = the number after the token KEY on the last line of FILE (relative to the
    /// manifest) where KEY is a whitespace-separated token (the recipes print <c>IS_ENERGY_k E …</c>).
    /// </summary>
    /// <exception cref="InputFormatException">No energy, or it cannot be resolved (names manifest and line).</exception>
    public double Energy(Frame? frame)
    {
        string where = Row?.Manifest ?? File;
        long line = Row?.Line ?? 0;
        if (string.IsNullOrWhiteSpace(EnergySpec)) throw new InputFormatException(where, line, $"sample '{Name}' (role {Role.ToString().ToLowerInvariant()}) has no energy");
        string spec = EnergySpec.Trim();
        if (spec.StartsWith("column:", StringComparison.Ordinal))
        {
            string col = spec["column:".Length..];
            if (frame is null) throw new InputFormatException(where, line, $"energy '{spec}' needs the structure");
            if (!frame.Columns.TryGetValue(col, out var v)) throw new InputFormatException(where, line, $"energy '{spec}': the structure has no per-atom column '{col}'");
            double s = 0;
            foreach (var x in v) s += x;
            if (!double.IsFinite(s)) throw new InputFormatException(where, line, $"energy '{spec}': the column sum is not finite");
            return s;
        }
        if (spec.StartsWith("log:", StringComparison.Ordinal))
        {
            int k = spec.LastIndexOf(':');
            string file = spec[4..k], key = spec[(k + 1)..];
            if (k <= 4 || key.Length == 0) throw new InputFormatException(where, line, $"energy '{spec}' is not log:FILE:KEY");
            string dir = Row is null ? "." : Path.GetDirectoryName(Path.GetFullPath(Row.Manifest)) ?? ".";
            string path = Path.GetFullPath(Path.Combine(dir, file));
            if (!System.IO.File.Exists(path)) throw new InputFormatException(where, line, $"energy '{spec}': log file '{file}' not found");
            string? found = null;
            foreach (var l in System.IO.File.ReadLines(path))
            {
                var tok = l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                for (int t = 0; t + 1 < tok.Length; t++) if (tok[t] == key) { found = tok[t + 1]; break; }
            }
            if (found is null) throw new InputFormatException(where, line, $"energy '{spec}': no token '{key}' followed by a value in '{file}'");
            if (!double.TryParse(found, NumberStyles.Float, CultureInfo.InvariantCulture, out double e) || !double.IsFinite(e))
                throw new InputFormatException(where, line, $"energy '{spec}': '{found}' after '{key}' is not a finite number");
            return e;
        }
        if (!double.TryParse(spec, NumberStyles.Float, CultureInfo.InvariantCulture, out double val) || !double.IsFinite(val))
            throw new InputFormatException(where, line, $"column 'energy': '{spec}' is not a finite number, column:NAME or log:FILE:KEY");
        return val;
    }

    /// <summary>True when an energy is given.</summary>
    public bool HasEnergy => !string.IsNullOrWhiteSpace(EnergySpec);

    /// <summary>Where the sample is described, for messages: <c>manifest:line</c> or the file.</summary>
    public string Where => Row is null ? File : $"{Row.Manifest}:{Row.Line}";
}

/// <summary>Reads the ULE manifest (<c>file,frame,energy,group,role</c>) into samples.</summary>
public static class UleSamples
{
    /// <summary>
    /// Loads a manifest; frames must be an index or <c>last</c> (list each frame of a trajectory as its own row).
    /// With <paramref name="requireEnergy"/>, every train and test row must have an energy (checked here, so a missing one
    /// is reported before any work, with manifest and line).
    /// </summary>
    /// <exception cref="InputFormatException">Any problem, with manifest file and line.</exception>
    public static IReadOnlyList<UleSample> Load(string manifestPath, bool requireEnergy)
    {
        var m = Manifest.Load(manifestPath);
        var list = new List<UleSample>();
        foreach (var r in m.Rows)
        {
            int frame = r.Frame switch
            {
                "last" => -1,
                "all" => throw new InputFormatException(r.Manifest, r.Line, "frame 'all' is not supported by ule: list each frame as its own row (each needs its energy)"),
                _ => int.Parse(r.Frame, CultureInfo.InvariantCulture),
            };
            string? energy = r.Has("energy") ? r.Values["energy"] : null;
            var s = new UleSample(r.Name, r.File, frame, r.Group, r.Role, energy, r);
            if (requireEnergy && r.Role != SampleRole.Apply && !s.HasEnergy)
                throw new InputFormatException(r.Manifest, r.Line, $"sample '{r.Name}' (role {r.Role.ToString().ToLowerInvariant()}) has no energy: give a number (total eV), column:NAME or log:FILE:KEY");
            list.Add(s);
        }
        var same = list.GroupBy(s => (s.File, s.Frame)).FirstOrDefault(g => g.Count() > 1);
        if (same is not null)
        {
            var second = same.Skip(1).First();
            throw new InputFormatException(second.Row!.Manifest, second.Row.Line, $"sample '{second.Name}' is listed twice (same file and frame)");
        }
        // equal names from different folders: name them by the manifest's path instead
        var clash = list.GroupBy(s => s.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).SelectMany(g => g).ToHashSet();
        for (int i = 0; i < list.Count; i++)
            if (clash.Contains(list[i]))
            {
                string file = list[i].Row!.Values["file"].Replace('\\', '/');
                foreach (var ext in new[] { ".gz", ".dump", ".lammpstrj", ".data", ".xyz", ".extxyz", ".lmp" })
                    if (file.EndsWith(ext, StringComparison.OrdinalIgnoreCase)) file = file[..^ext.Length];
                file = file.Replace("../", "");
                list[i] = list[i] with { Name = list[i].Frame == 0 ? file : $"{file}@{list[i].Row!.Frame}" };
            }
        return list;
    }

    /// <summary>Samples from files given on the command line (frame 0, role apply, no energy).</summary>
    public static IReadOnlyList<UleSample> FromFiles(IEnumerable<string> files)
    {
        var list = new List<UleSample>();
        foreach (var f in files)
        {
            if (!System.IO.File.Exists(f)) throw new InputFormatException(f, 0, "file not found");
            string full = Path.GetFullPath(f);
            var row = new ManifestRow("(command line)", 0, full, "0", SampleRole.Apply, f, new Dictionary<string, string> { ["file"] = f });
            list.Add(new UleSample(row.Name, full, 0, f, SampleRole.Apply, null, null));
        }
        if (list.Count == 0) throw new ArgumentException("no input files");
        return list;
    }
}
