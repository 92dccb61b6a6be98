using GlassML.Io;
using GlassML.Workflows.Demo;

namespace GlassML.Workflows.MachineLearnedTemperature;

/// <summary>
/// The demo's use of the shipped tml model. T_ML needs motion, so the library embeds a short trajectory of the demo glass
/// (resource <c>tml_demo_trajectory.dump.gz</c>: recipes/lammps/creep_log.in at 500 K after 0.2 ps NPT, compression
/// ramped to 1.5 GPa in 1 ps, dt 0.002 ps; frames at the start t₀ = 1 ps and t₀ + 0.01 … 5 ps, 3 decimals), and the demo
/// applies the shipped model (trained on lags 0.01–5 ps) to that one window with the cell deformation removed.
/// </summary>
public static class TmlDemo
{
    /// <summary>Resource name of the demo trajectory.</summary>
    public const string TrajectoryResource = "GlassML.Resources.tml_demo_trajectory.dump.gz";
    /// <summary>Temperature of the demo trajectory (K).</summary>
    public const double Temperature = 500;
    /// <summary>Timestep of the demo trajectory (ps).</summary>
    public const double Dt = 0.002;
    /// <summary>Start time of the demo window (ps).</summary>
    public const double Start = 1.0;

    /// <summary>Columns tml and liquid_like (1/0) by atom index of the demo glass.</summary>
    public static double[][] Apply(DemoContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var model = TmlModel.FromLoaded(ctx.Model);
        using var s = typeof(TmlDemo).Assembly.GetManifestResourceStream(TrajectoryResource)
            ?? throw new InvalidOperationException($"resource {TrajectoryResource} is missing from the GlassML assembly");
        string tmp = Path.Combine(Path.GetTempPath(), $"glassml-tml-demo-{Environment.ProcessId}-{Guid.NewGuid():N}.dump.gz");
        try
        {
            using (var fs = File.Create(tmp)) s.CopyTo(fs);
            var r = TmlApplication.Apply(tmp, model, new TmlApplyOptions
            {
                Temperature = Temperature, Dt = Dt, Starts = [Start], Threads = ctx.Threads,
                ReadOptions = new ReadOptions { TypeNames = new Dictionary<int, string> { [1] = "Cu", [2] = "Zr" } },
            });
            var g = ctx.Glass;
            var tml = new double[g.Count]; var la = new double[g.Count];
            var st = r.Starts[0];
            for (int i = 0; i < g.Count; i++)
            {
                int j = Array.BinarySearch(r.Ids, g.Ids[i]);
                if (j < 0) throw new InvalidOperationException($"atom id {g.Ids[i]} of the demo glass is not in the demo trajectory");
                tml[i] = st.Tml[j]; la[i] = st.LiquidLike[j] ? 1 : 0;
            }
            return [tml, la];
        }
        finally { File.Delete(tmp); }
    }
}
