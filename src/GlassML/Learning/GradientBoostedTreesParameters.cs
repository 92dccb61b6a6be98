using System.Globalization;

namespace GlassML.Learning;

/// <summary>Loss minimised by <see cref="GradientBoostedTrees"/>.</summary>
public enum GbdtObjective
{
    /// <summary>XGBoost <c>binary:logistic</c>: log-loss on labels 0/1; the margin is the log-odds.</summary>
    BinaryLogistic,
    /// <summary>XGBoost <c>reg:squarederror</c>: ½(ŷ − y)²; the margin is the prediction.</summary>
    SquaredError,
}

/// <summary>How trees grow (XGBoost <c>grow_policy</c>).</summary>
public enum GbdtGrowPolicy
{
    /// <summary>Level by level up to <see cref="GradientBoostedTreesParameters.MaxDepth"/> (XGBoost <c>depthwise</c>).</summary>
    Depthwise,
    /// <summary>Best-gain leaf first, up to <see cref="GradientBoostedTreesParameters.MaxLeaves"/> (XGBoost <c>lossguide</c>).</summary>
    LossGuide,
}

/// <summary>
/// Training parameters of <see cref="GradientBoostedTrees"/>, with XGBoost's names and XGBoost 1.7 defaults.
/// Parse from <c>key=value,...</c> text with <see cref="Parse"/>.
/// </summary>
public sealed record GradientBoostedTreesParameters
{
    /// <summary>Objective (<c>objective</c>: binary | binary:logistic | regression | reg:squarederror).</summary>
    public GbdtObjective Objective { get; init; } = GbdtObjective.BinaryLogistic;
    /// <summary>Number of boosting rounds (<c>n_estimators</c>), default 100.</summary>
    public int NEstimators { get; init; } = 100;
    /// <summary>Shrinkage η applied to every leaf weight (<c>learning_rate</c>, <c>eta</c>), default 0.3.</summary>
    public double LearningRate { get; init; } = 0.3;
    /// <summary>Maximum depth (<c>max_depth</c>); 0 = unlimited (only with max_leaves &gt; 0). Default 6.</summary>
    public int MaxDepth { get; init; } = 6;
    /// <summary>Maximum number of leaves per tree (<c>max_leaves</c>); 0 = unlimited. Default 0.</summary>
    public int MaxLeaves { get; init; }
    /// <summary>Growth policy (<c>grow_policy</c>: depthwise | lossguide). Default depthwise.</summary>
    public GbdtGrowPolicy GrowPolicy { get; init; } = GbdtGrowPolicy.Depthwise;
    /// <summary>Minimum hessian sum in each child (<c>min_child_weight</c>), default 1.</summary>
    public double MinChildWeight { get; init; } = 1.0;
    /// <summary>Minimum loss reduction to split (<c>gamma</c>, <c>min_split_loss</c>), default 0.</summary>
    public double Gamma { get; init; }
    /// <summary>L2 regularisation λ of leaf weights (<c>lambda</c>, <c>reg_lambda</c>), default 1.</summary>
    public double Lambda { get; init; } = 1.0;
    /// <summary>L1 regularisation α of leaf weights (<c>alpha</c>, <c>reg_alpha</c>), default 0.</summary>
    public double Alpha { get; init; }
    /// <summary>Fraction of rows drawn (Bernoulli, per tree) for each tree (<c>subsample</c>), default 1.</summary>
    public double Subsample { get; init; } = 1.0;
    /// <summary>Fraction of features drawn per tree (<c>colsample_bytree</c>), default 1.</summary>
    public double ColsampleBytree { get; init; } = 1.0;
    /// <summary>Maximum number of histogram bins per feature (<c>max_bin</c>, 2..256), default 256.</summary>
    public int MaxBin { get; init; } = 256;
    /// <summary>Initial prediction (<c>base_score</c>), default 0.5 (a probability for binary:logistic).</summary>
    public double BaseScore { get; init; } = 0.5;
    /// <summary>Stop when the validation metric has not improved for this many rounds (<c>early_stopping_rounds</c>); 0 = off.</summary>
    public int EarlyStoppingRounds { get; init; }
    /// <summary>Random seed for row and column sampling (<c>seed</c>, <c>random_state</c>).</summary>
    public ulong Seed { get; init; }
    /// <summary>Worker threads (<c>nthread</c>, <c>n_jobs</c>); 0 = all cores. Results do not depend on it.</summary>
    public int Threads { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for an illegal value, naming the parameter.</summary>
    public void Validate()
    {
        static void Check(bool ok, string name, string legal) { if (!ok) throw new ArgumentOutOfRangeException(name, $"{name} must be {legal}"); }
        Check(NEstimators >= 1, "n_estimators", "≥ 1");
        Check(LearningRate > 0 && double.IsFinite(LearningRate), "learning_rate", "> 0");
        Check(MaxDepth >= 0, "max_depth", "≥ 0");
        Check(MaxLeaves >= 0, "max_leaves", "≥ 0");
        Check(MaxDepth > 0 || MaxLeaves > 0, "max_depth", "> 0 unless max_leaves > 0");
        Check(MinChildWeight >= 0 && double.IsFinite(MinChildWeight), "min_child_weight", "≥ 0");
        Check(Gamma >= 0 && double.IsFinite(Gamma), "gamma", "≥ 0");
        Check(Lambda >= 0 && double.IsFinite(Lambda), "lambda", "≥ 0");
        Check(Alpha >= 0 && double.IsFinite(Alpha), "alpha", "≥ 0");
        Check(Subsample > 0 && Subsample <= 1, "subsample", "in (0, 1]");
        Check(ColsampleBytree > 0 && ColsampleBytree <= 1, "colsample_bytree", "in (0, 1]");
        Check(MaxBin >= 2 && MaxBin <= 256, "max_bin", "in 2..256");
        Check(Objective != GbdtObjective.BinaryLogistic || (BaseScore > 0 && BaseScore < 1), "base_score", "in (0, 1) for binary:logistic");
        Check(double.IsFinite(BaseScore), "base_score", "finite");
        Check(EarlyStoppingRounds >= 0, "early_stopping_rounds", "≥ 0");
        Check(Threads >= 0, "nthread", "≥ 0");
    }

    /// <summary>Initial margin: logit(base_score) for binary:logistic, base_score for regression.</summary>
    public double BaseMargin => Objective == GbdtObjective.BinaryLogistic ? Math.Log(BaseScore / (1 - BaseScore)) : BaseScore;

    /// <summary>
    /// Parses <c>key=value</c> pairs separated by commas (XGBoost names and aliases, see the properties), starting
    /// from <paramref name="defaults"/> (or XGBoost defaults). Unknown keys or bad values throw
    /// <see cref="ArgumentException"/> naming the key and the legal set.
    /// </summary>
    public static GradientBoostedTreesParameters Parse(string text, GradientBoostedTreesParameters? defaults = null)
    {
        var p = defaults ?? new GradientBoostedTreesParameters();
        if (string.IsNullOrWhiteSpace(text)) return p;
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=');
            if (eq <= 0) throw new ArgumentException($"parameter '{part}' is not key=value");
            p = p.With(part[..eq].Trim(), part[(eq + 1)..].Trim());
        }
        return p;
    }

    /// <summary>Returns a copy with one parameter set by its XGBoost name (see <see cref="Parse"/>).</summary>
    public GradientBoostedTreesParameters With(string key, string value)
    {
        double D() => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v
            : throw new ArgumentException($"parameter {key}: '{value}' is not a number");
        int I() => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v
            : throw new ArgumentException($"parameter {key}: '{value}' is not an integer");
        return key.ToLowerInvariant() switch
        {
            "objective" => this with
            {
                Objective = value switch
                {
                    "binary" or "binary:logistic" or "classification" => GbdtObjective.BinaryLogistic,
                    "regression" or "reg:squarederror" => GbdtObjective.SquaredError,
                    _ => throw new ArgumentException($"objective '{value}': one of binary, binary:logistic, regression, reg:squarederror"),
                }
            },
            "n_estimators" or "num_boost_round" or "nrounds" => this with { NEstimators = I() },
            "learning_rate" or "eta" => this with { LearningRate = D() },
            "max_depth" => this with { MaxDepth = I() },
            "max_leaves" => this with { MaxLeaves = I() },
            "grow_policy" => this with
            {
                GrowPolicy = value switch
                {
                    "depthwise" => GbdtGrowPolicy.Depthwise,
                    "lossguide" => GbdtGrowPolicy.LossGuide,
                    _ => throw new ArgumentException($"grow_policy '{value}': one of depthwise, lossguide"),
                }
            },
            "min_child_weight" => this with { MinChildWeight = D() },
            "gamma" or "min_split_loss" => this with { Gamma = D() },
            "lambda" or "reg_lambda" => this with { Lambda = D() },
            "alpha" or "reg_alpha" => this with { Alpha = D() },
            "subsample" => this with { Subsample = D() },
            "colsample_bytree" => this with { ColsampleBytree = D() },
            "max_bin" => this with { MaxBin = I() },
            "base_score" => this with { BaseScore = D() },
            "early_stopping_rounds" => this with { EarlyStoppingRounds = I() },
            "seed" or "random_state" => this with
            {
                Seed = ulong.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out ulong s) ? s
                    : throw new ArgumentException($"parameter {key}: '{value}' is not a non-negative integer")
            },
            "nthread" or "n_jobs" or "threads" => this with { Threads = I() },
            _ => throw new ArgumentException($"unknown gbdt parameter '{key}': one of objective, n_estimators, learning_rate (eta), max_depth, max_leaves, grow_policy, min_child_weight, gamma, lambda, alpha, subsample, colsample_bytree, max_bin, base_score, early_stopping_rounds, seed, nthread"),
        };
    }

    /// <summary>The parameters as XGBoost-named strings (invariant culture, round-trip doubles), for model files.</summary>
    public IReadOnlyDictionary<string, string> ToDictionary()
    {
        static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        return new Dictionary<string, string>
        {
            ["objective"] = Objective == GbdtObjective.BinaryLogistic ? "binary:logistic" : "reg:squarederror",
            ["n_estimators"] = NEstimators.ToString(CultureInfo.InvariantCulture),
            ["learning_rate"] = F(LearningRate),
            ["max_depth"] = MaxDepth.ToString(CultureInfo.InvariantCulture),
            ["max_leaves"] = MaxLeaves.ToString(CultureInfo.InvariantCulture),
            ["grow_policy"] = GrowPolicy == GbdtGrowPolicy.Depthwise ? "depthwise" : "lossguide",
            ["min_child_weight"] = F(MinChildWeight),
            ["gamma"] = F(Gamma),
            ["lambda"] = F(Lambda),
            ["alpha"] = F(Alpha),
            ["subsample"] = F(Subsample),
            ["colsample_bytree"] = F(ColsampleBytree),
            ["max_bin"] = MaxBin.ToString(CultureInfo.InvariantCulture),
            ["base_score"] = F(BaseScore),
            ["early_stopping_rounds"] = EarlyStoppingRounds.ToString(CultureInfo.InvariantCulture),
            ["seed"] = Seed.ToString(CultureInfo.InvariantCulture),
            ["nthread"] = Threads.ToString(CultureInfo.InvariantCulture),
        };
    }

    /// <summary>Rebuilds parameters from <see cref="ToDictionary"/> output.</summary>
    public static GradientBoostedTreesParameters FromDictionary(IReadOnlyDictionary<string, string> values)
    {
        var p = new GradientBoostedTreesParameters();
        foreach (var kv in values) p = p.With(kv.Key, kv.Value);
        return p;
    }
}
