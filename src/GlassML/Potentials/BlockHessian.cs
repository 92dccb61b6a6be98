namespace GlassML.Potentials;

/// <summary>
/// A 3N×3N Hessian ∂²E/∂r_aα∂r_bβ (eV/Å²) stored as sparse 3×3 blocks by atom row: the blocks of row a are
/// <c>RowOffsets[a] .. RowOffsets[a+1]−1</c>, their column atoms <c>Columns</c> (ascending) and their nine entries
/// row-major in <c>Blocks[9k .. 9k+8]</c> (entry (α, β) at 9k + 3α + β).
/// </summary>
public sealed class BlockHessian
{
    /// <summary>Creates a Hessian from its arrays (taken, not copied).</summary>
    public BlockHessian(int[] rowOffsets, int[] columns, double[] blocks)
    {
        ArgumentNullException.ThrowIfNull(rowOffsets); ArgumentNullException.ThrowIfNull(columns); ArgumentNullException.ThrowIfNull(blocks);
        if (rowOffsets.Length < 1 || columns.Length != rowOffsets[^1] || blocks.Length != 9 * columns.Length)
            throw new ArgumentException("inconsistent block arrays");
        RowOffsets = rowOffsets; Columns = columns; Blocks = blocks;
    }

    /// <summary>Number of atoms N (the matrix is 3N × 3N).</summary>
    public int AtomCount => RowOffsets.Length - 1;
    /// <summary>Per-atom row start (length N+1).</summary>
    public int[] RowOffsets { get; }
    /// <summary>Column atom of each block.</summary>
    public int[] Columns { get; }
    /// <summary>Nine entries per block, row-major.</summary>
    public double[] Blocks { get; }

    /// <summary>Entry (row 3a+α, column 3b+β), zero when the block is not stored.</summary>
    public double this[int row, int col]
    {
        get
        {
            int a = row / 3, b = col / 3;
            int k = Array.BinarySearch(Columns, RowOffsets[a], RowOffsets[a + 1] - RowOffsets[a], b);
            return k < 0 ? 0.0 : Blocks[9 * k + 3 * (row % 3) + col % 3];
        }
    }

    /// <summary>The dense matrix, row-major, (3N)² entries.</summary>
    public double[] ToDense()
    {
        int n3 = 3 * AtomCount;
        var d = new double[(long)n3 * n3];
        for (int a = 0; a < AtomCount; a++)
            for (int k = RowOffsets[a]; k < RowOffsets[a + 1]; k++)
            {
                int b = Columns[k];
                for (int al = 0; al < 3; al++)
                    for (int be = 0; be < 3; be++)
                        d[(long)(3 * a + al) * n3 + 3 * b + be] = Blocks[9 * k + 3 * al + be];
            }
        return d;
    }

    /// <summary>y = H x (length 3N each).</summary>
    public void Multiply(ReadOnlySpan<double> x, Span<double> y)
    {
        int n3 = 3 * AtomCount;
        if (x.Length != n3 || y.Length != n3) throw new ArgumentException("vectors must have 3N entries");
        for (int a = 0; a < AtomCount; a++)
        {
            double s0 = 0, s1 = 0, s2 = 0;
            for (int k = RowOffsets[a]; k < RowOffsets[a + 1]; k++)
            {
                int b = 3 * Columns[k];
                var blk = Blocks.AsSpan(9 * k, 9);
                double x0 = x[b], x1 = x[b + 1], x2 = x[b + 2];
                s0 += blk[0] * x0 + blk[1] * x1 + blk[2] * x2;
                s1 += blk[3] * x0 + blk[4] * x1 + blk[5] * x2;
                s2 += blk[6] * x0 + blk[7] * x1 + blk[8] * x2;
            }
            y[3 * a] = s0; y[3 * a + 1] = s1; y[3 * a + 2] = s2;
        }
    }

    /// <summary>y = H x, rows in parallel chunks (each row summed by one thread in a fixed order: identical for any thread count).</summary>
    internal void Multiply(double[] x, double[] y, ParallelOptions po)
    {
        int n = AtomCount;
        const int chunk = 256;
        Parallel.For(0, (n + chunk - 1) / chunk, po, c =>
        {
            int a1 = Math.Min(n, (c + 1) * chunk);
            var blk = Blocks;
            for (int a = c * chunk; a < a1; a++)
            {
                double s0 = 0, s1 = 0, s2 = 0;
                for (int k = RowOffsets[a]; k < RowOffsets[a + 1]; k++)
                {
                    int b = 3 * Columns[k];
                    int o = 9 * k;
                    double x0 = x[b], x1 = x[b + 1], x2 = x[b + 2];
                    s0 += blk[o] * x0 + blk[o + 1] * x1 + blk[o + 2] * x2;
                    s1 += blk[o + 3] * x0 + blk[o + 4] * x1 + blk[o + 5] * x2;
                    s2 += blk[o + 6] * x0 + blk[o + 7] * x1 + blk[o + 8] * x2;
                }
                y[3 * a] = s0; y[3 * a + 1] = s1; y[3 * a + 2] = s2;
            }
        });
    }

    /// <summary>max |H_ij − H_ji| over all entries (also counts blocks stored on one side only).</summary>
    public double MaxAsymmetry()
    {
        double m = 0;
        for (int a = 0; a < AtomCount; a++)
            for (int k = RowOffsets[a]; k < RowOffsets[a + 1]; k++)
            {
                int b = Columns[k];
                int t = Array.BinarySearch(Columns, RowOffsets[b], RowOffsets[b + 1] - RowOffsets[b], a);
                for (int al = 0; al < 3; al++)
                    for (int be = 0; be < 3; be++)
                    {
                        double v = Blocks[9 * k + 3 * al + be];
                        double w = t < 0 ? 0.0 : Blocks[9 * t + 3 * be + al];
                        m = Math.Max(m, Math.Abs(v - w));
                    }
            }
        return m;
    }
}
