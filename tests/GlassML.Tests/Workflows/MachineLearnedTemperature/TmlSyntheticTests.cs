using GlassML.Io;
using GlassML.Learning;
using GlassML.Structure;
using GlassML.Workflows;
using GlassML.Workflows.MachineLearnedTemperature;

namespace GlassML.Tests.Workflows.MachineLearnedTemperature;

/// <summary>
/// The T_ML workflow on synthetic trajectories whose lg(Δr²/T) distributions are chosen per class: well-separated
/// classes must come out at their own label, indistinguishable classes at the mean label.
/// </summary>
public class TmlSyntheticTests
{
    internal static readonly double[] Lags = [0.1, 1, 10];
    internal const double Dt = 0.1;

    /// <summary>
    /// Writes a synthetic run: n atoms in a 20 Å box; frames at steps 0, 1, 10, 100; Δr²(lag k) = T·10^(level + k/2 + σ·g)
    /// along a random direction (g standard normal), so lg(Δr²/T) = level + k/2 + σ·g.
    /// </summary>
    internal static string WriteRun(string dir, double t, double level, double sigma, int n, ulong seed)
    {
        var rng = new SplitMix64(seed);
        double Gauss() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var box = Box.Cubic(20);
        var sp = new SpeciesTable(["Cu", "Zr"]);
        var ids = Enumerable.Range(1, n).Select(i => (long)i).ToArray();
        var types = Enumerable.Range(0, n).Select(i => i % 2).ToArray();
        var x0 = new double[n]; var y0 = new double[n]; var z0 = new double[n];
        for (int i = 0; i < n; i++) { x0[i] = 20 * rng.NextDouble(); y0[i] = 20 * rng.NextDouble(); z0[i] = 20 * rng.NextDouble(); }
        var frames = new List<Frame> { new(box, sp, ids, types, x0, y0, z0, 0) { PositionsUnwrapped = true } };
        long[] steps = [1, 10, 100];
        for (int k = 0; k < 3; k++)
        {
            var x = new double[n]; var y = new double[n]; var z = new double[n];
            for (int i = 0; i < n; i++)
            {
                double d = Math.Sqrt(t * Math.Pow(10, level + 0.5 * k + sigma * Gauss()));
                double ux = Gauss(), uy = Gauss(), uz = Gauss(), u = Math.Sqrt(ux * ux + uy * uy + uz * uz);
                x[i] = x0[i] + d * ux / u; y[i] = y0[i] + d * uy / u; z[i] = z0[i] + d * uz / u;
            }
            frames.Add(new Frame(box, sp, ids, types, x, y, z, steps[k]) { PositionsUnwrapped = true });
        }
        string path = Path.Combine(dir, $"run_{t}K.dump");
        LammpsDumpWriter.Write(path, frames);
        return path;
    }

    internal static string TempDir()
    {
        string d = Path.Combine(Path.GetTempPath(), $"glassml-tml-{Guid.NewGuid():N}");
        Directory.CreateDirectory(d);
        return d;
    }

    private static TmlTrainOptions Options(IReadOnlyList<IReadOnlyList<double>>? classes = null, int threads = 0) => new()
    {
        Lags = Lags, Dt = Dt, K = 50, Folds = 10, Classes = classes, DropLags = TmlDropLags.None, Tg = 700, Threads = threads,
        ReadOptions = new ReadOptions { TypeNames = new Dictionary<int, string> { [1] = "Cu", [2] = "Zr" } },
    };

    private static double ClassMean(TmlTrainResult r, double label)
    {
        var v = Enumerable.Range(0, r.CvLabels.Length).Where(i => r.CvLabels[i] == label).Select(i => r.CvPrediction[i]).ToArray();
        Assert.NotEmpty(v);
        return v.Average();
    }

    [Fact]
    public void SeparatedClassesComeOutAtTheirLabel()
    {
        string dir = TempDir();
        try
        {
            var runs = new[] { (300.0, -5.0), (600, -4), (1200, -3) }
                .Select((c, j) => new TmlRun($"r{j}", WriteRun(dir, c.Item1, c.Item2, 0.05, 400, (ulong)(11 + j)), c.Item1, $"r{j}")).ToArray();
            var r = TmlTraining.Train(runs, Options(), []);
            Assert.Equal([300.0, 600, 1200], r.Model.Classes.Select(c => c.Label));   // auto keeps the separated classes
            foreach (var t in new[] { 300.0, 600, 1200 })
                Assert.InRange(ClassMean(r, t), 0.99 * t, 1.01 * t);
            Assert.Equal(1.0, r.Metrics["cv_accuracy"]);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void IdenticalClassesComeOutAtTheMeanLabelAndAutoMergesThem()
    {
        string dir = TempDir();
        try
        {
            // 300 K and 500 K with the same lg(Δr²/T) distribution; 1500 K far away
            var runs = new (double, double, ulong)[] { (300, -4, 21), (500, -4, 22), (1500, -2, 23) }
                .Select(c => new TmlRun($"{c.Item1}", WriteRun(dir, c.Item1, c.Item2, 0.3, 1000, c.Item3), c.Item1, $"{c.Item1}")).ToArray();
            var given = TmlTraining.Train(runs, Options([[300], [500], [1500]]), []);
            foreach (var t in new[] { 300.0, 500 })
                Assert.InRange(ClassMean(given, t), 0.99 * 400, 1.01 * 400);
            Assert.InRange(ClassMean(given, 1500), 0.99 * 1500, 1.01 * 1500);

            var auto = TmlTraining.Train(runs, Options(), []);
            Assert.Equal(2, auto.Model.Classes.Count);
            Assert.Equal([300.0, 500], auto.Model.Classes[0].Members);
            Assert.Equal(400, auto.Model.Classes[0].Label);
            Assert.InRange(ClassMean(auto, 400), 0.99 * 400, 1.01 * 400);
            // the Ward height joining 300 and 500 is below the within-class spread, the last merge above it
            Assert.True(auto.Dendrogram.Merges[0].Height <= auto.MergeThreshold && auto.Dendrogram.Merges[^1].Height > auto.MergeThreshold);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void TrainingIsIdenticalForAnyThreadCount()
    {
        string dir = TempDir();
        try
        {
            var runs = new[] { (300.0, -4.0), (700, -3.7), (1000, -3.4) }
                .Select((c, j) => new TmlRun($"r{j}", WriteRun(dir, c.Item1, c.Item2, 0.3, 300, (ulong)(31 + j)), c.Item1, $"r{j}")).ToArray();
            var a = TmlTraining.Train(runs, Options(threads: 1) with { DropLags = TmlDropLags.Automatic, ReliefSamples = 200 }, []);
            var b = TmlTraining.Train(runs, Options(threads: 2) with { DropLags = TmlDropLags.Automatic, ReliefSamples = 200 }, []);
            Assert.Equal(a.CvPrediction, b.CvPrediction);
            Assert.Equal(a.Model.ReliefWeights, b.Model.ReliefWeights);
            string pa = Path.Combine(dir, "a.json"), pb = Path.Combine(dir, "b.json");
            a.Model.Save(pa); b.Model.Save(pb);
            Assert.Equal(File.ReadAllBytes(pa), File.ReadAllBytes(pb));
            // a reloaded model predicts bit for bit
            var re = TmlModel.Load(pa);
            var q = a.Model.X.AsSpan(0, 30 * a.Model.Lags.Length).ToArray();
            Assert.Equal(a.Model.Predict(q, 1), re.Predict(q, 2));
        }
        finally { Directory.Delete(dir, true); }
    }
}
