namespace GlassML.Descriptors;

/// <summary>
/// Addressing of a block of columns inside a row-major N × stride matrix (the internal ComputeInto paths of the
/// descriptor families, which the <see cref="Featurizer"/> uses to write straight into its final table).
/// </summary>
internal static class RowLayout
{
    /// <summary>Throws unless columns [offset, offset + width) of n rows of length stride fit in dest.</summary>
    public static void Check(double[] dest, int n, int stride, int offset, int width)
    {
        ArgumentNullException.ThrowIfNull(dest);
        if (stride < 0 || offset < 0 || width < 0 || offset + width > stride)
            throw new ArgumentOutOfRangeException(nameof(offset), $"columns {offset}..{offset + width} do not fit in rows of {stride}");
        if ((long)n * stride > dest.Length) throw new ArgumentException($"destination holds {dest.Length} values, need {(long)n * stride}");
    }

    /// <summary>Index of column <paramref name="offset"/> of row i.</summary>
    public static int Start(int i, int stride, int offset) => (int)((long)i * stride + offset);
}

/// <summary>
/// The atoms whose rows a row-local family computes: row k of the destination holds atom <see cref="Atom"/>(k), for k in
/// 0 .. <see cref="Count"/>−1 (every atom in index order when <see cref="Atoms"/> is null, else the listed atoms, e.g. one
/// block of the output order). A row's values depend only on its atom, so any set of rows gives the same numbers.
/// </summary>
internal readonly record struct AtomRows(int[]? Atoms, int Count)
{
    /// <summary>Every atom 0 .. n−1 in index order.</summary>
    public static AtomRows All(int n) => new(null, n);

    /// <summary>The atom of row k.</summary>
    public int Atom(int k) => Atoms is null ? k : Atoms[k];
}
