using System.Globalization;
using GlassML.Io;
using GlassML.Reporting;
using GlassML.Structure;

namespace GlassML.Workflows.BondStrength;

/// <summary>Mean squared displacements of atom groups over a trajectory (relative to its first frame).</summary>
/// <param name="Groups">Group names (sorted).</param>
/// <param name="Sizes">Atoms per group.</param>
/// <param name="Steps">Timestep of each frame.</param>
/// <param name="Strain">Engineering strain along the axis, L/L₀ − 1 (negative in compression).</param>
/// <param name="Perpendicular">MSD perpendicular to the axis, [group][frame] (Å²).</param>
/// <param name="Total">Total MSD, [group][frame] (Å²).</param>
public sealed record GroupMsdResult(string[] Groups, int[] Sizes, long[] Steps, double[] Strain, double[][] Perpendicular, double[][] Total);

/// <summary>
/// <c>glassml bonds msd</c>: per group of atoms, the MSD perpendicular to a loading axis (e.g. dx² + dy² for z) and the
/// total MSD against time and strain, from unwrapped positions (xu or image flags) relative to the first frame. Groups
/// come from a per-atom CSV (<c>id</c>, a group column, and <c>species</c> when present): the group of an atom is
/// "species value", with bond_class 0/1 written WB/SB.
/// </summary>
public static class GroupMsd
{
    /// <summary>Axis index of x, y or z.</summary>
    /// <exception cref="ArgumentException">Not x, y or z.</exception>
    public static int Axis(string axis) => axis.ToLowerInvariant() switch
    {
        "x" => 0, "y" => 1, "z" => 2,
        _ => throw new ArgumentException($"--axis: '{axis}' is not x, y or z"),
    };

    /// <summary>Reads atom groups: id → group name.</summary>
    /// <exception cref="InputFormatException">Missing columns or malformed rows (file and line).</exception>
    public static Dictionary<long, string> ReadGroups(string path, string column = "bond_class")
    {
        if (!File.Exists(path)) throw new InputFormatException(path, 0, "file not found");
        var lines = BondLabelCsv.ReadLines(path);
        if (lines.Count == 0) throw new InputFormatException(path, 1, "empty file");
        var header = lines[0].TrimStart('\uFEFF').Split(',').Select(h => h.Trim().Trim('"')).ToArray();
        int ci = Array.IndexOf(header, "id"), cg = Array.IndexOf(header, column), cs = Array.IndexOf(header, "species");
        if (ci < 0) throw new InputFormatException(path, 1, "no 'id' column");
        if (cg < 0) throw new InputFormatException(path, 1, $"no '{column}' column (choose one with --group-column)");
        var r = new Dictionary<long, string>();
        for (int k = 1; k < lines.Count; k++)
        {
            if (lines[k].Trim().Length == 0) continue;
            var t = lines[k].Split(',').Select(x => x.Trim().Trim('"')).ToArray();
            if (t.Length != header.Length) throw new InputFormatException(path, k + 1, $"{t.Length} fields, the header has {header.Length}");
            if (!long.TryParse(t[ci], NumberStyles.Integer, CultureInfo.InvariantCulture, out long id)) throw new InputFormatException(path, k + 1, $"id '{t[ci]}' is not an integer");
            string g = t[cg];
            if (g.Length == 0 || g.Equals("nan", StringComparison.OrdinalIgnoreCase)) continue;
            if (column == "bond_class") g = g switch { "0" => "WB", "1" => "SB", _ => g };
            string name = cs >= 0 ? $"{t[cs]} {g}" : g;
            if (!r.TryAdd(id, name)) throw new InputFormatException(path, k + 1, $"atom id {id} listed twice");
        }
        return r;
    }

    /// <summary>Computes the group MSDs over the frames of a trajectory (<paramref name="source"/> names it in messages).</summary>
    /// <exception cref="ArgumentException">An atom of a group is missing in a frame, or fewer than one frame.</exception>
    /// <exception cref="InputFormatException">A frame has wrapped positions and no image flags (its MSD would be wrong).</exception>
    public static GroupMsdResult Compute(IEnumerable<Frame> frames, IReadOnlyDictionary<long, string> groups, int axis, string source = "trajectory")
    {
        var names = groups.Values.Distinct().OrderBy(g => g, StringComparer.Ordinal).ToArray();
        var members = names.Select(_ => new List<long>()).ToArray();
        foreach (var (id, g) in groups.OrderBy(kv => kv.Key)) members[Array.IndexOf(names, g)].Add(id);
        var steps = new List<long>(); var strain = new List<double>();
        var perp = names.Select(_ => new List<double>()).ToArray(); var tot = names.Select(_ => new List<double>()).ToArray();
        double[]? x0 = null, y0 = null, z0 = null; Dictionary<long, int>? index0 = null; double l0 = 0;
        foreach (var f in frames)
        {
            if (!f.PositionsUnwrapped && f.Images is null)
                throw new InputFormatException(source, 0, $"timestep {f.Timestep}: wrapped positions without image flags; the MSD needs xu yu zu or ix iy iz");
            var (x, y, z) = f.UnwrappedPositions();
            var index = BondLabelCsv.IdIndex(f);
            double l = f.Box.H(axis, axis);
            if (x0 is null) { x0 = x; y0 = y; z0 = z; index0 = index; l0 = l; }
            steps.Add(f.Timestep); strain.Add(l / l0 - 1);
            for (int g = 0; g < names.Length; g++)
            {
                double sp = 0, st = 0;
                foreach (long id in members[g])
                {
                    if (!index.TryGetValue(id, out int i) || !index0!.TryGetValue(id, out int i0))
                        throw new ArgumentException($"atom id {id} of group '{names[g]}' is not in frame at step {f.Timestep}");
                    double dx = x[i] - x0[i0], dy = y[i] - y0![i0], dz = z[i] - z0![i0];
                    double all = dx * dx + dy * dy + dz * dz;
                    double along = axis == 0 ? dx * dx : axis == 1 ? dy * dy : dz * dz;
                    st += all; sp += all - along;
                }
                int n = members[g].Count;
                perp[g].Add(sp / n); tot[g].Add(st / n);
            }
        }
        if (steps.Count == 0) throw new ArgumentException("the trajectory has no frames");
        return new GroupMsdResult(names, members.Select(m => m.Count).ToArray(), steps.ToArray(), strain.ToArray(),
            perp.Select(p => p.ToArray()).ToArray(), tot.Select(p => p.ToArray()).ToArray());
    }

    /// <summary>The MSD table (long form): group, atoms, step, time, strain, msd_perp, msd_total.</summary>
    public static ResultTable Table(GroupMsdResult r, double dt)
    {
        var g = new List<string>(); var n = new List<long>(); var st = new List<long>(); var t = new List<double>(); var e = new List<double>();
        var mp = new List<double>(); var mt = new List<double>();
        for (int k = 0; k < r.Groups.Length; k++)
            for (int f = 0; f < r.Steps.Length; f++)
            {
                g.Add(r.Groups[k]); n.Add(r.Sizes[k]); st.Add(r.Steps[f]); t.Add((r.Steps[f] - r.Steps[0]) * dt); e.Add(r.Strain[f]);
                mp.Add(r.Perpendicular[k][f]); mt.Add(r.Total[k][f]);
            }
        return new ResultTable().Add("group", g).Add("atoms", n).Add("step", st).Add("time", t).Add("strain", e).Add("msd_perp", mp).Add("msd_total", mt);
    }

    /// <summary>Writes the MSD tables and curves (groups smaller than <paramref name="minGroup"/> are listed, not plotted).</summary>
    public static void Report(RunDirectory run, GroupMsdResult r, double dt, int minGroup, string axisName)
    {
        const string sec = "Group MSD";
        run.WriteTable("msd.csv", Table(r, dt), sec, "MSD per group and frame (Å²), relative to the first frame", 60);
        var plotted = r.Groups.Select((_, k) => r.Sizes[k] >= minGroup).ToArray();
        run.WriteTable("groups.csv", new ResultTable().Add("group", r.Groups).Add("atoms", r.Sizes).Add("plotted", plotted.Select(p => p ? "yes" : "no").ToArray()),
            sec, $"Groups (smaller than {minGroup} atoms are listed, not plotted)");
        var strain = r.Strain.Select(x => -x).ToArray();
        var sp = r.Groups.Select((g, k) => (g, k)).Where(x => plotted[x.k]).Select(x => new Series(x.g, strain, r.Perpendicular[x.k])).ToArray();
        run.AddFigure(sec, Plots.Line("msd_perp_strain", $"MSD perpendicular to {axisName} against compressive strain", $"compressive strain −ε_{axisName}", "MSD ⊥ (Å²)", sp));
        var time = r.Steps.Select(s => (s - r.Steps[0]) * dt).ToArray();
        var tp = r.Groups.Select((g, k) => (g, k)).Where(x => plotted[x.k]).Select(x => new Series(x.g, time, r.Total[x.k])).ToArray();
        run.AddFigure(sec, Plots.Line("msd_total_time", "Total MSD against time", dt == 1 ? "steps" : "time", "MSD (Å²)", tp));
    }
}
