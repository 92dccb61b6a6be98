using GlassML.Statistics;

namespace GlassML.Learning;

/// <summary>A receiver-operating-characteristic curve: one point per distinct score threshold.</summary>
/// <param name="FalsePositiveRate">FPR per point, starting at 0.</param>
/// <param name="TruePositiveRate">TPR per point, starting at 0.</param>
/// <param name="Thresholds">Score threshold per point (predict positive when score ≥ threshold); the first is +∞.</param>
public sealed record RocCurve(double[] FalsePositiveRate, double[] TruePositiveRate, double[] Thresholds);

/// <summary>
/// Evaluation metrics on paired vectors (same length, no NaN). Conventions follow scikit-learn 1.2:
/// ROC AUC counts tied scores as ½ (the trapezoid over distinct thresholds), Spearman uses average ranks for ties,
/// R² = 1 − SS_res/SS_tot (1 when both are 0, 0 when only SS_tot is 0).
/// </summary>
public static class Metrics
{
    private static void Same(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => Correlation.CheckPaired(a, b);

    /// <summary>
    /// Area under the ROC curve for labels 0/1 (any label ≠ 0 counts as positive) and scores:
    /// (Σ average-rank of positives − n₊(n₊+1)/2) / (n₊ n₋), which equals sklearn's roc_auc_score with ties.
    /// Throws when only one class is present.
    /// </summary>
    public static double RocAuc(ReadOnlySpan<double> labels, ReadOnlySpan<double> scores)
    {
        Same(labels, scores);
        var ranks = AverageRanks(scores);
        double sum = 0; long np = 0;
        for (int i = 0; i < labels.Length; i++) if (labels[i] != 0) { sum += ranks[i]; np++; }
        long nn = labels.Length - np;
        if (np == 0 || nn == 0) throw new ArgumentException("ROC AUC needs both classes");
        return (sum - np * (np + 1) / 2.0) / ((double)np * nn);
    }

    /// <summary>
    /// ROC curve over all distinct score thresholds, descending (sklearn roc_curve with drop_intermediate=False):
    /// point 0 is (0, 0) at threshold +∞, then one point per distinct score.
    /// </summary>
    public static RocCurve Roc(ReadOnlySpan<double> labels, ReadOnlySpan<double> scores)
    {
        Same(labels, scores);
        int n = labels.Length;
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        var s = scores.ToArray();
        Array.Sort(order, (a, b) => { int c = s[b].CompareTo(s[a]); return c != 0 ? c : a.CompareTo(b); });
        double P = 0;
        for (int i = 0; i < n; i++) if (labels[i] != 0) P++;
        double N = n - P;
        if (P == 0 || N == 0) throw new ArgumentException("ROC curve needs both classes");
        var fpr = new List<double> { 0 }; var tpr = new List<double> { 0 }; var th = new List<double> { double.PositiveInfinity };
        double tp = 0, fp = 0;
        for (int k = 0; k < n; k++)
        {
            int i = order[k];
            if (labels[i] != 0) tp++; else fp++;
            if (k == n - 1 || s[order[k + 1]] != s[i])
            {
                fpr.Add(fp / N); tpr.Add(tp / P); th.Add(s[i]);
            }
        }
        return new RocCurve([.. fpr], [.. tpr], [.. th]);
    }

    /// <summary>Fraction of rows where the labels are equal.</summary>
    public static double Accuracy(ReadOnlySpan<double> labels, ReadOnlySpan<double> predicted)
    {
        Same(labels, predicted);
        int ok = 0;
        for (int i = 0; i < labels.Length; i++) if (labels[i] == predicted[i]) ok++;
        return (double)ok / labels.Length;
    }

    /// <summary>Accuracy of probabilities thresholded at <paramref name="threshold"/> (positive when p ≥ threshold) against labels 0/1.</summary>
    public static double AccuracyAt(ReadOnlySpan<double> labels, ReadOnlySpan<double> probabilities, double threshold = 0.5)
    {
        Same(labels, probabilities);
        int ok = 0;
        for (int i = 0; i < labels.Length; i++) if ((probabilities[i] >= threshold ? 1.0 : 0.0) == (labels[i] != 0 ? 1.0 : 0.0)) ok++;
        return (double)ok / labels.Length;
    }

    /// <summary>Root-mean-square error √(Σ(ŷ−y)²/n).</summary>
    public static double Rmse(ReadOnlySpan<double> y, ReadOnlySpan<double> predicted)
    {
        Same(y, predicted);
        double s = 0;
        for (int i = 0; i < y.Length; i++) { double d = predicted[i] - y[i]; s += d * d; }
        return Math.Sqrt(s / y.Length);
    }

    /// <summary>Mean absolute error Σ|ŷ−y|/n.</summary>
    public static double Mae(ReadOnlySpan<double> y, ReadOnlySpan<double> predicted)
    {
        Same(y, predicted);
        double s = 0;
        for (int i = 0; i < y.Length; i++) s += Math.Abs(predicted[i] - y[i]);
        return s / y.Length;
    }

    /// <summary>Coefficient of determination R² = 1 − Σ(y−ŷ)²/Σ(y−ȳ)² (sklearn r2_score conventions for constant y).</summary>
    public static double R2(ReadOnlySpan<double> y, ReadOnlySpan<double> predicted)
    {
        Same(y, predicted);
        double mean = 0;
        for (int i = 0; i < y.Length; i++) mean += y[i];
        mean /= y.Length;
        double res = 0, tot = 0;
        for (int i = 0; i < y.Length; i++) { double d = y[i] - predicted[i]; res += d * d; double e = y[i] - mean; tot += e * e; }
        if (tot == 0) return res == 0 ? 1.0 : 0.0;
        return 1.0 - res / tot;
    }

    /// <summary>Pearson correlation coefficient (NaN when either vector is constant); see <see cref="Correlation.Pearson"/>.</summary>
    public static double Pearson(ReadOnlySpan<double> x, ReadOnlySpan<double> y) => Correlation.Pearson(x, y);

    /// <summary>Spearman rank correlation: Pearson correlation of average ranks (ties share their mean rank); see <see cref="Correlation.Spearman"/>.</summary>
    public static double Spearman(ReadOnlySpan<double> x, ReadOnlySpan<double> y) => Correlation.Spearman(x, y);

    /// <summary>Binary log-loss of probabilities, −mean(y log p + (1−y) log(1−p)), p clipped to [1e-16, 1−1e-16].</summary>
    public static double LogLoss(ReadOnlySpan<double> labels, ReadOnlySpan<double> probabilities)
    {
        Same(labels, probabilities);
        const double eps = 1e-16;
        double s = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            double p = Math.Clamp(probabilities[i], eps, 1 - eps);
            s -= labels[i] * Math.Log(p) + (1 - labels[i]) * Math.Log(1 - p);
        }
        return s / labels.Length;
    }

    /// <summary>Log-loss of margins (log-odds), computed stably.</summary>
    public static double LogLossFromMargin(ReadOnlySpan<double> labels, ReadOnlySpan<double> margins)
    {
        Same(labels, margins);
        double s = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            double m = margins[i];
            // log(1+e^m) − y m
            double softplus = m > 0 ? m + Math.Log(1 + Math.Exp(-m)) : Math.Log(1 + Math.Exp(m));
            s += softplus - labels[i] * m;
        }
        return s / labels.Length;
    }

    /// <summary>1-based ranks with ties given their average rank (scipy rankdata 'average'); see <see cref="Correlation.AverageRanks"/>.</summary>
    public static double[] AverageRanks(ReadOnlySpan<double> values) => Correlation.AverageRanks(values);
}
