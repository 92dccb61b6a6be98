using GlassML.Descriptors;
using GlassML.Io;
using GlassML.Workflows.Sharding;
using GlassML.Workflows.StructuralFlexibility;

namespace GlassML.Cli.Commands;

public static partial class SfCommand
{
    /// <summary>
    /// <c>sf apply --shard K/N</c>: one unit per selected frame (files in order). Extended XYZ and dumps are joined frame
    /// after frame; a CSV of several frames side by side (one sf_K column per unit), and OUT.means.csv row by row.
    /// </summary>
    private static int ShardedApply(string shard, string outPath, string kind, SfModel m, string modelPath, string[] files, string sel, ReadOptions ro, int threads)
    {
        var units = ClusterCommands.FrameUnits(files, sel, ro);
        var read = ClusterCommands.FrameReader(units, ro);
        bool wide = kind == "csv" && units.Count > 1;
        return ClusterCommands.RunShard("sf apply", shard, outPath, [modelPath, .. files], units.Count, (u, part) =>
        {
            var fr = read(u);
            fr.SortById();
            var r = (units[u].File, fr, m.Apply(fr, threads, units[u].File));
            if (wide) CsvWriter.Write(part, fr, new PerAtomFeatures([$"sf_{u}"], fr.Count, r.Item3));
            else Write(part, kind, [r]);
            if (units.Count > 1) MeansTable([r], u).WriteCsv(ShardParts.ExtraPath(outPath, u, ".means.csv"));
        }, wide ? ShardJoin.Columns : ShardJoin.Rows, units.Count > 1 ? [".means.csv"] : null);
    }
}
