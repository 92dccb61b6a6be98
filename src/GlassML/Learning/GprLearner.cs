using System.Text.Json;

namespace GlassML.Learning;

/// <summary>
/// Registry adapter of <see cref="GaussianProcessRegression{T}"/> on feature rows ("gpr"); kernel = rbf | dot | poly.
/// State = the parameters and the training rows; the model is refitted (deterministically) on read.
/// </summary>
internal sealed class GprLearner : ILearner
{
    public string Name => "gpr";
    public string Description => "Gaussian-process regression (kernel rbf, dot or poly)";
    public IReadOnlyList<string> ParameterNames { get; } = ["kernel", "length_scale", "sigma0", "degree", "alpha", "normalize_y"];

    public ITrainedModel Fit(FeatureTable train, IReadOnlyDictionary<string, string> parameters, int threads = 0)
    {
        LearnerState.Labelled(train, Name);
        LearnerState.Check(parameters, Name, ParameterNames);
        return Build(train, parameters, threads);
    }

    public ITrainedModel Read(JsonElement s)
    {
        var (names, pars) = LearnerState.ReadCommon(s);
        Model m;
        try { m = Build(LearnerState.ReadRows(s, names), pars, 0); }
        catch (ArgumentException e) { throw new FormatException(e.Message); }
        return LearnerState.ReadMetrics(m, s);
    }

    private static IKernel<double[]> Kernel(IReadOnlyDictionary<string, string> p)
    {
        string kernel = LearnerState.Str(p, "kernel", "rbf");
        return kernel switch
        {
            "rbf" => new RbfKernel(LearnerState.Num(p, "length_scale", 1.0)),
            "dot" => new DotProductKernel(LearnerState.Num(p, "sigma0", 1.0)),
            "poly" => Kernels.Power(new DotProductKernel(LearnerState.Num(p, "sigma0", 1.0)), LearnerState.Num(p, "degree", 2.0)),
            _ => throw new ArgumentException($"gpr kernel: '{kernel}' is not rbf, dot or poly"),
        };
    }

    private static Model Build(FeatureTable train, IReadOnlyDictionary<string, string> p, int threads)
    {
        var options = new GaussianProcessOptions(Alpha: LearnerState.Num(p, "alpha", 1e-10), NormalizeY: LearnerState.Bool(p, "normalize_y", false), Threads: threads);
        try
        {
            var gp = GaussianProcessRegression<double[]>.Fit(Kernel(p), Kernels.SplitRows(train.Values, train.ColumnCount), train.Labels, options);
            return new Model(train, p, gp);
        }
        catch (InvalidOperationException e)
        {
            // a kernel matrix that is not positive definite is a parameter choice, not a program error
            throw new ArgumentException($"gpr: {e.Message}", e);
        }
    }

    private sealed class Model(FeatureTable train, IReadOnlyDictionary<string, string> p, GaussianProcessRegression<double[]> gp)
        : TrainedModelBase("gpr", train.Columns.ToArray(), p)
    {
        public override bool IsClassifier => false;
        protected override TabularPrediction PredictAligned(FeatureTable t, int threads)
        {
            var g = gp.Predict(Kernels.SplitRows(t.Values, t.ColumnCount), withStd: true);
            return new(g.Mean, null, g.Std);
        }
        protected override void WriteFields(Utf8JsonWriter w) => LearnerState.WriteRows(w, train);
    }
}
