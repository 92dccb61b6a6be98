using System.Globalization;
using GlassML.Descriptors;
using GlassML.Dynamics;
using GlassML.Io;
using GlassML.Neighbors;
using GlassML.Structure;
using GlassML.Workflows.Sharding;

namespace GlassML.Cli.Commands;

public static partial class StrainCommand
{
    /// <summary>
    /// <c>strain --frame all --shard K/N</c>: one unit per compared frame of CURRENT (all frames, or all but the first with
    /// --previous). Extended XYZ and dumps are joined frame after frame, the CSV side by side (the _t&lt;timestep&gt; columns).
    /// </summary>
    private static int ShardedAll(string shard, string outPath, string refPath, string curPath, Frame refF, double rc, bool prev, ReadOptions ro,
        KeepColumns keep, NonAffineDisplacement calc, NeighborSearch search)
    {
        var format = PerAtomOutput.FormatOf(outPath);
        bool perFrame = format is PerAtomFormat.ExtendedXyz or PerAtomFormat.LammpsDump;
        Trajectory Open() => Trajectory.Open(curPath, new TrajectoryOptions { Unwrap = UnwrapMode.None }, ro);
        int units = Math.Max(0, Open().Count() - (prev ? 1 : 0));
        IEnumerator<Frame>? e = null;
        Frame? before = null, current = null, first = null;
        NeighborList? refNl = null;
        int at = -1, warnings = 0;
        int code = ClusterCommands.RunShard("strain", shard, outPath, [refPath, curPath], units, (u, part) =>
        {
            int c = u + (prev ? 1 : 0); // the compared frame's place in CURRENT
            if (e is null || at > c) { e?.Dispose(); e = Open().GetEnumerator(); at = -1; before = current = first = null; }
            while (at < c)
            {
                if (!e.MoveNext()) throw new InputFormatException(curPath, 0, $"frame {c} not found");
                before = current; current = e.Current; first ??= current; at++;
            }
            var r = prev ? before! : refF;
            var nl = prev ? search.Ball(r, rc) : refNl ??= search.Ball(refF, rc);
            var res = calc.Compute(r, nl, current!);
            warnings += res.InvalidCount;
            var fe = res.ToFeatures();
            if (perFrame) PerAtomOutput.Write(part, [(current!, (PerAtomFeatures?)fe)], keep, stacked: true);
            else PerAtomOutput.Write(part, prev ? first! : refF,
                new PerAtomFeatures(fe.Names.Select(nm => $"{nm}_t{current!.Timestep.ToString(CultureInfo.InvariantCulture)}").ToArray(), fe.AtomCount, fe.Values), keep);
        }, perFrame ? ShardJoin.Rows : ShardJoin.Columns);
        e?.Dispose();
        if (warnings > 0)
            Console.Error.WriteLine($"glassml: warning: {warnings} atom value set(s) are NaN (fewer than 3 non-coplanar neighbours within {rc} Å)");
        return code;
    }
}
