using System.Globalization;

namespace GlassML.Learning;

/// <summary>What a target asks for: a value (regression) or a class label (classification).</summary>
public enum LearningTask
{
    /// <summary>Continuous target.</summary>
    Regression,
    /// <summary>Class labels (few distinct integer values).</summary>
    Classification,
}

/// <summary>
/// Chooses the task from the target, so learners with both modes (gbdt, knn) default sensibly and classifiers refuse a
/// continuous target with one line instead of building one class per distinct value.
/// </summary>
public static class LearningTasks
{
    /// <summary>A target with more distinct values than this is continuous even when all are integers.</summary>
    public const int MaxClasses = 20;

    /// <summary>Classification when every label is an integer and there are at most <see cref="MaxClasses"/> distinct values; else regression.</summary>
    public static LearningTask Infer(ReadOnlySpan<double> labels) => Describe(labels) is null ? LearningTask.Classification : LearningTask.Regression;

    /// <summary>Why a target is continuous (e.g. "non-integer value 3.25"), or null when it is a class label.</summary>
    public static string? Describe(ReadOnlySpan<double> labels)
    {
        var distinct = new HashSet<double>();
        foreach (double y in labels)
        {
            if (y != Math.Floor(y) || !double.IsFinite(y)) return $"non-integer value {y.ToString("G6", CultureInfo.InvariantCulture)}";
            if (distinct.Add(y) && distinct.Count > MaxClasses) return $"more than {MaxClasses} distinct values";
        }
        return null;
    }

    /// <summary>True when the labels are exactly 0 and 1 (both present): the binary target of gbdt objective=binary.</summary>
    public static bool IsBinary01(ReadOnlySpan<double> labels)
    {
        bool zero = false, one = false;
        foreach (double y in labels)
        {
            if (y == 0) zero = true;
            else if (y == 1) one = true;
            else return false;
        }
        return zero && one;
    }

    /// <summary>Refuses a continuous target for a classifier.</summary>
    /// <exception cref="ArgumentException">One line naming the learner, why the target is continuous and what to use instead.</exception>
    public static void RequireClassLabels(ReadOnlySpan<double> labels, string classifier)
    {
        if (Describe(labels) is { } why)
            throw new ArgumentException($"{classifier} is a classifier but the target is continuous ({why}); use a regressor (svr, gpr, gbdt objective=regression, knn rule=mean)");
    }
}
