namespace GlassML.Structure;

/// <summary>
/// One configuration: box, per-atom ids, species indices and Cartesian positions (struct-of-arrays, Å),
/// optional image flags, and any extra per-atom columns by name. Atoms are kept in the order given;
/// <see cref="SortById"/> reorders them.
/// </summary>
public sealed class Frame
{
    /// <summary>Creates a frame; the arrays are taken, not copied, and must have equal lengths.</summary>
    public Frame(Box box, SpeciesTable species, long[] ids, int[] speciesIndex, double[] x, double[] y, double[] z, long timestep = 0)
    {
        int n = ids.Length;
        if (speciesIndex.Length != n || x.Length != n || y.Length != n || z.Length != n)
            throw new ArgumentException("per-atom arrays must have equal lengths");
        Box = box; Species = species; Ids = ids; SpeciesIndex = speciesIndex; X = x; Y = y; Z = z; Timestep = timestep;
    }

    /// <summary>Simulation cell.</summary>
    public Box Box { get; set; }
    /// <summary>Species table that <see cref="SpeciesIndex"/> refers to.</summary>
    public SpeciesTable Species { get; }
    /// <summary>Atom ids (1-based in LAMMPS).</summary>
    public long[] Ids { get; private set; }
    /// <summary>Species index per atom.</summary>
    public int[] SpeciesIndex { get; private set; }
    /// <summary>x coordinates (Å).</summary>
    public double[] X { get; private set; }
    /// <summary>y coordinates (Å).</summary>
    public double[] Y { get; private set; }
    /// <summary>z coordinates (Å).</summary>
    public double[] Z { get; private set; }
    /// <summary>Image flags (ix, iy, iz) when the source gave them, else null.</summary>
    public int[][]? Images { get; set; }
    /// <summary>True when the positions are unwrapped (xu/yu/zu in the source).</summary>
    public bool PositionsUnwrapped { get; set; }
    /// <summary>MD timestep number.</summary>
    public long Timestep { get; set; }
    /// <summary>Extra per-atom columns by name (e.g. c_pe, vx), in file order.</summary>
    public Dictionary<string, double[]> Columns { get; } = new(StringComparer.Ordinal);
    /// <summary>Number of atoms.</summary>
    public int Count => Ids.Length;

    /// <summary>Position of atom i.</summary>
    public Vec3 Position(int i) => new(X[i], Y[i], Z[i]);

    /// <summary>Positions with image flags applied (r + H·image) when flags are present; otherwise the stored positions.</summary>
    public (double[] X, double[] Y, double[] Z) UnwrappedPositions()
    {
        var x = (double[])X.Clone(); var y = (double[])Y.Clone(); var z = (double[])Z.Clone();
        if (Images is null || PositionsUnwrapped) return (x, y, z);
        for (int i = 0; i < Count; i++)
        {
            var s = Box.ShiftVector(Images[0][i], Images[1][i], Images[2][i]);
            x[i] += s.X; y[i] += s.Y; z[i] += s.Z;
        }
        return (x, y, z);
    }

    /// <summary>Number of atoms of each species (by species index).</summary>
    public int[] SpeciesCounts()
    {
        var c = new int[Species.Count];
        foreach (int s in SpeciesIndex) c[s]++;
        return c;
    }

    /// <summary>Reorders all per-atom arrays so ids increase.</summary>
    public void SortById()
    {
        int n = Count;
        // ids already strictly increasing (the usual case): nothing to do, without the sort (nor jitting it in a one-shot run)
        bool ascending = true;
        for (int i = 1; i < n && ascending; i++) ascending = Ids[i - 1] < Ids[i];
        if (ascending) return;
        var order = RadixSort.Order(Ids);
        var keys = new long[n];
        for (int i = 0; i < n; i++) keys[i] = Ids[order[i]];
        bool sorted = true;
        for (int i = 0; i < n && sorted; i++) sorted = order[i] == i;
        if (sorted) return;
        Ids = keys;
        SpeciesIndex = Permute(SpeciesIndex, order);
        X = Permute(X, order); Y = Permute(Y, order); Z = Permute(Z, order);
        if (Images is not null) Images = [Permute(Images[0], order), Permute(Images[1], order), Permute(Images[2], order)];
        foreach (var k in Columns.Keys.ToList()) Columns[k] = Permute(Columns[k], order);
    }

    private static T[] Permute<T>(T[] a, int[] order)
    {
        var r = new T[a.Length];
        for (int i = 0; i < a.Length; i++) r[i] = a[order[i]];
        return r;
    }

    /// <summary>A frame made of na×nb×nc copies of this one (ids renumbered 1..N; extra columns copied).</summary>
    public Frame Replicate(int na, int nb, int nc)
    {
        int n = Count, m = n * na * nb * nc;
        var ids = new long[m]; var sp = new int[m]; var x = new double[m]; var y = new double[m]; var z = new double[m];
        int k = 0;
        for (int a = 0; a < na; a++)
        for (int b = 0; b < nb; b++)
        for (int c = 0; c < nc; c++)
        {
            var s = Box.ShiftVector(a, b, c);
            for (int i = 0; i < n; i++, k++)
            {
                ids[k] = k + 1; sp[k] = SpeciesIndex[i];
                x[k] = X[i] + s.X; y[k] = Y[i] + s.Y; z[k] = Z[i] + s.Z;
            }
        }
        var f = new Frame(Box.Replicate(na, nb, nc), Species.Clone(), ids, sp, x, y, z, Timestep);
        foreach (var (name, col) in Columns)
        {
            var r = new double[m];
            for (int rep = 0; rep < na * nb * nc; rep++) Array.Copy(col, 0, r, rep * n, n);
            f.Columns[name] = r;
        }
        return f;
    }
}
