namespace GlassML.Learning;

/// <summary>A train/test partition of row indices (both ascending, disjoint).</summary>
/// <param name="Train">Training rows.</param>
/// <param name="Test">Test rows.</param>
public sealed record Split(int[] Train, int[] Test);

/// <summary>
/// Deterministic data splits (cross-validation folds and hold-out sets). Every method returns ascending row
/// indices; the same inputs and seed give the same split on every platform (<see cref="SplitMix64"/>).
/// </summary>
public static class Splits
{
    private static Split Make(int n, bool[] isTest)
    {
        var tr = new List<int>(); var te = new List<int>();
        for (int i = 0; i < n; i++) (isTest[i] ? te : tr).Add(i);
        return new Split([.. tr], [.. te]);
    }

    private static void CheckK(int k, int n, string what)
    {
        if (k < 2) throw new ArgumentOutOfRangeException(nameof(k), "k must be ≥ 2");
        if (k > n) throw new ArgumentOutOfRangeException(nameof(k), $"k = {k} exceeds the number of {what} ({n})");
    }

    /// <summary>
    /// k-fold cross-validation: rows are shuffled with <paramref name="seed"/> (or kept in order when
    /// <paramref name="shuffle"/> is false) and cut into k consecutive folds, the first n mod k folds one row larger.
    /// </summary>
    public static Split[] KFold(int rows, int k, ulong seed, bool shuffle = true)
    {
        CheckK(k, rows, "rows");
        var perm = Enumerable.Range(0, rows).ToArray();
        if (shuffle) new SplitMix64(seed).Shuffle(perm.AsSpan());
        var fold = new int[rows];
        int pos = 0;
        for (int f = 0; f < k; f++)
        {
            int size = rows / k + (f < rows % k ? 1 : 0);
            for (int j = 0; j < size; j++) fold[perm[pos++]] = f;
        }
        return Folds(fold, k);
    }

    private static Split[] Folds(int[] fold, int k)
    {
        var result = new Split[k];
        for (int f = 0; f < k; f++)
        {
            var isTest = new bool[fold.Length];
            for (int i = 0; i < fold.Length; i++) isTest[i] = fold[i] == f;
            result[f] = Make(fold.Length, isTest);
        }
        return result;
    }

    /// <summary>
    /// Stratified k-fold: within each class (distinct label value, in ascending order) the rows are shuffled and dealt
    /// to folds in turn, continuing the turn from class to class, so every fold has each class's share ±1 and fold
    /// sizes differ by at most 1.
    /// </summary>
    public static Split[] StratifiedKFold(ReadOnlySpan<double> labels, int k, ulong seed)
    {
        CheckK(k, labels.Length, "rows");
        var byClass = new SortedDictionary<double, List<int>>();
        for (int i = 0; i < labels.Length; i++)
        {
            if (double.IsNaN(labels[i])) throw new ArgumentException($"label of row {i} is NaN");
            if (!byClass.TryGetValue(labels[i], out var l)) byClass[labels[i]] = l = [];
            l.Add(i);
        }
        var rng = new SplitMix64(seed);
        var fold = new int[labels.Length];
        int turn = 0;
        foreach (var list in byClass.Values)
        {
            int[] a = [.. list];
            rng.Shuffle(a.AsSpan());
            foreach (int r in a) { fold[r] = turn; turn = (turn + 1) % k; }
        }
        return Folds(fold, k);
    }

    /// <summary>
    /// Group k-fold: all rows of a group (e.g. one configuration/sample) fall in the same fold. Groups are shuffled
    /// with the seed, then (stably) sorted by decreasing size, and each goes to the fold with the fewest rows so far
    /// (lowest fold index on ties).
    /// </summary>
    public static Split[] GroupKFold(ReadOnlySpan<int> groups, int k, ulong seed)
    {
        var sizes = new SortedDictionary<int, int>();
        foreach (int g in groups) sizes[g] = sizes.TryGetValue(g, out int c) ? c + 1 : 1;
        CheckK(k, sizes.Count, "groups");
        var keys = sizes.Keys.ToArray();
        new SplitMix64(seed).Shuffle(keys.AsSpan());
        var ordered = keys.Select((g, i) => (g, i)).OrderByDescending(t => sizes[t.g]).ThenBy(t => t.i).Select(t => t.g).ToArray();
        var load = new long[k];
        var foldOf = new Dictionary<int, int>();
        foreach (int g in ordered)
        {
            int best = 0;
            for (int f = 1; f < k; f++) if (load[f] < load[best]) best = f;
            foldOf[g] = best;
            load[best] += sizes[g];
        }
        var fold = new int[groups.Length];
        for (int i = 0; i < groups.Length; i++) fold[i] = foldOf[groups[i]];
        return Folds(fold, k);
    }

    /// <summary>Random hold-out: ⌊n·testFraction + ½⌋ rows (at least 1, at most n−1) chosen with the seed go to test.</summary>
    public static Split HoldOut(int rows, double testFraction, ulong seed)
    {
        if (!(testFraction > 0 && testFraction < 1)) throw new ArgumentOutOfRangeException(nameof(testFraction), "testFraction must be in (0, 1)");
        if (rows < 2) throw new ArgumentOutOfRangeException(nameof(rows), "need at least 2 rows");
        int nt = Math.Clamp((int)Math.Floor(rows * testFraction + 0.5), 1, rows - 1);
        var perm = Enumerable.Range(0, rows).ToArray();
        new SplitMix64(seed).Shuffle(perm.AsSpan());
        var isTest = new bool[rows];
        for (int i = 0; i < nt; i++) isTest[perm[i]] = true;
        return Make(rows, isTest);
    }

    /// <summary>Hold-out of whole samples: rows whose group is in <paramref name="testGroups"/> go to test.</summary>
    public static Split HoldOutGroups(ReadOnlySpan<int> groups, IReadOnlyCollection<int> testGroups)
    {
        var set = new HashSet<int>(testGroups);
        var isTest = new bool[groups.Length];
        for (int i = 0; i < groups.Length; i++) isTest[i] = set.Contains(groups[i]);
        return Make(groups.Length, isTest);
    }

    /// <summary>
    /// Hold-out of whole samples chosen at random: groups are shuffled with the seed and taken until at least
    /// testFraction of the groups (rounded, at least 1, at most all but one) are in test.
    /// </summary>
    public static Split HoldOutGroups(ReadOnlySpan<int> groups, double testFraction, ulong seed)
    {
        if (!(testFraction > 0 && testFraction < 1)) throw new ArgumentOutOfRangeException(nameof(testFraction), "testFraction must be in (0, 1)");
        var keys = new SortedSet<int>();
        foreach (int g in groups) keys.Add(g);
        if (keys.Count < 2) throw new ArgumentException("need at least 2 groups");
        var a = keys.ToArray();
        new SplitMix64(seed).Shuffle(a.AsSpan());
        int nt = Math.Clamp((int)Math.Floor(a.Length * testFraction + 0.5), 1, a.Length - 1);
        return HoldOutGroups(groups, a[..nt]);
    }

    /// <summary>Convenience: the train and test tables of a split.</summary>
    public static (FeatureTable Train, FeatureTable Test) Apply(FeatureTable table, Split split) =>
        (table.SelectRows(split.Train), table.SelectRows(split.Test));
}
