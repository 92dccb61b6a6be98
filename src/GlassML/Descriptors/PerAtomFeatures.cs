namespace GlassML.Descriptors;

/// <summary>
/// Named per-atom feature columns: <see cref="Values"/> is row-major, N atoms × F features, atoms in frame order.
/// Every descriptor's Compute returns one; blocks from several descriptors are joined with <see cref="Concat"/>.
/// </summary>
public sealed class PerAtomFeatures
{
    /// <summary>Creates a block; <paramref name="values"/> must have names.Count × atoms entries.</summary>
    public PerAtomFeatures(IReadOnlyList<string> names, int atoms, double[] values)
    {
        if (values.Length != (long)names.Count * atoms) throw new ArgumentException($"expected {names.Count} × {atoms} values, got {values.Length}");
        Names = names; AtomCount = atoms; _values = values;
    }

    /// <summary>
    /// A table produced in row blocks (streamed): <paramref name="fill"/> writes the rows of the given atoms (row k ← atom
    /// Atom(k)) side by side into a row-major buffer of <paramref name="names"/>.Count columns; rows read through <see cref="Row"/>
    /// in <paramref name="order"/> are computed <paramref name="blockRows"/> at a time into one reused buffer, any other access
    /// (<see cref="Values"/>, the indexer, a row out of that order) computes the whole table once. The values are those of
    /// <paramref name="fill"/>, which must not depend on the set of rows asked for.
    /// With <paramref name="pipelined"/> the next block is computed in the background (a second buffer) while the writer takes
    /// the rows of the current one, so that computing and writing overlap: at most two block buffers exist and at most one block is
    /// computed ahead; an exception of a background fill is thrown by the <see cref="Row"/> call that needs its block. The values
    /// are the same either way (each block is filled by one call of <paramref name="fill"/>, one call at a time).
    /// </summary>
    internal PerAtomFeatures(IReadOnlyList<string> names, int atoms, Action<AtomRows, double[]> fill, int[] order, int blockRows, bool pipelined = false)
    {
        if (order.Length != atoms) throw new ArgumentException($"the row order lists {order.Length} atoms, expected {atoms}");
        if (blockRows < 1) throw new ArgumentOutOfRangeException(nameof(blockRows), "a block holds at least one row");
        Names = names; AtomCount = atoms;
        _fill = fill; _order = order; _blockRows = Math.Min(blockRows, Math.Max(1, atoms));
        _pipelined = pipelined;
    }

    /// <summary>
    /// Whether a streamed table is written with its next block computed ahead in the background: with more than one thread
    /// (<paramref name="threads"/> 0 = every core) on a machine of more than one core; one thread keeps to one core.
    /// </summary>
    internal static bool PipelineFor(int threads) => threads != 1 && Environment.ProcessorCount > 1;

    private double[]? _values;
    private Action<AtomRows, double[]>? _fill;
    private int[]? _order;
    private readonly int _blockRows;
    private readonly Lock _gate = new();
    private double[]? _block;
    private int[]? _blockAtoms;
    private int _blockStart, _blockCount, _cursor;
    private readonly bool _pipelined;
    // the block computed ahead (pipelined): its rows order[Start .. Start + Count) go into Buffer by Fill
    private (double[] Buffer, int[] Atoms, int Start, int Count, Task Fill)? _ahead;
    // the buffer of the block before the current one, reused for the next block computed ahead
    private double[]? _spare;
    private int[]? _spareAtoms;

    /// <summary>
    /// True while the rows are produced block by block (<see cref="Row"/> in id order); false once the whole table exists.
    /// </summary>
    internal bool IsStreamed => _values is null;

    /// <summary>True while the rows are produced block by block with the next block computed ahead in the background.</summary>
    internal bool IsPipelined => _pipelined && _values is null;

    /// <summary>
    /// A writer has taken every row it needs of a streamed table: the inputs of its blocks (neighbour lists, tessellation, side
    /// tables) are let go at once (so that they do not outlive the frame while the next one is read); reading the table
    /// afterwards throws. No effect on a whole table.
    /// </summary>
    internal void EndStream()
    {
        lock (_gate)
        {
            if (_values is not null) return;
            DropAhead();
            _fill = null; _order = null; _block = null; _blockAtoms = null; _spare = null; _spareAtoms = null;
        }
    }

    /// <summary>Waits for the block computed ahead, if any, and drops it (its error too: its rows are not used).</summary>
    private void DropAhead()
    {
        if (_ahead is not { } a) return;
        _ahead = null;
        try { a.Fill.Wait(); }
        catch (AggregateException) { }
    }

    /// <summary>Feature names (docs/names.md).</summary>
    public IReadOnlyList<string> Names { get; }
    /// <summary>Number of features F.</summary>
    public int FeatureCount => Names.Count;
    /// <summary>Number of atoms N.</summary>
    public int AtomCount { get; }
    /// <summary>Row-major N × F values (for a streamed table, computed in full on first use).</summary>
    public double[] Values => _values ?? Materialize();

    /// <summary>Value of feature f for atom i.</summary>
    public double this[int i, int f] => Values[(long)i * FeatureCount + f];

    /// <summary>
    /// Row of atom i. For a table from <see cref="Featurizer.ComputeStreamed"/> read in id order, the span lies in a reused block
    /// buffer and is valid until the next call.
    /// </summary>
    public ReadOnlySpan<double> Row(int i)
    {
        if (_values is { } v) return v.AsSpan(i * FeatureCount, FeatureCount);
        lock (_gate)
        {
            if (_values is null)
            {
                int f = FeatureCount;
                if (_fill is null) throw new InvalidOperationException("the streamed feature table was read after its writer ended it");
                if (_blockAtoms is not null && _cursor < _blockCount && _blockAtoms[_cursor] == i) return _block.AsSpan(_cursor++ * f, f);
                int next = _blockAtoms is null ? 0 : _blockStart + _blockCount;
                if (next < AtomCount && _order![next] == i) { NextBlock(next); return _block.AsSpan(_cursor++ * f, f); }
                if (_order![0] == i) { NextBlock(0); return _block.AsSpan(_cursor++ * f, f); }
            }
        }
        return Values.AsSpan(i * FeatureCount, FeatureCount);
    }

    // makes the rows of order[start .. start + blockRows) the current block: the block computed ahead when it is that one, else
    // computed now into the reused block buffer; pipelined, the block after it is then started in the background
    private void NextBlock(int start)
    {
        if (_fill is null) throw new InvalidOperationException("the streamed feature table was read after its writer ended it");
        int count;
        if (_ahead is { } a && a.Start == start)
        {
            _ahead = null;
            // the fill's own exception (not an AggregateException), as an unpipelined fill would throw it
            a.Fill.GetAwaiter().GetResult();
            (_spare, _spareAtoms) = (_block, _blockAtoms);
            (_block, _blockAtoms) = (a.Buffer, a.Atoms);
            count = a.Count;
        }
        else
        {
            DropAhead();
            _blockAtoms ??= new int[_blockRows];
            _block ??= Numerics.HugePages.NewDoubles(checked(_blockRows * FeatureCount));
            count = Math.Min(_blockRows, AtomCount - start);
            Array.Copy(_order!, start, _blockAtoms, 0, count);
            _fill!(new AtomRows(_blockAtoms, count), _block);
        }
        _blockStart = start; _blockCount = count; _cursor = 0;
        if (_pipelined && start + count < AtomCount) StartAhead(start + count);
    }

    // starts computing the block at order[start ..] in the background, into the spare buffer
    private void StartAhead(int start)
    {
        var buffer = _spare ?? Numerics.HugePages.NewDoubles(checked(_blockRows * FeatureCount));
        var atoms = _spareAtoms ?? new int[_blockRows];
        _spare = null; _spareAtoms = null;
        int count = Math.Min(_blockRows, AtomCount - start);
        Array.Copy(_order!, start, atoms, 0, count);
        var fill = _fill!;
        _ahead = (buffer, atoms, start, count, Task.Run(() => fill(new AtomRows(atoms, count), buffer)));
    }

    private double[] Materialize()
    {
        lock (_gate)
        {
            if (_values is null)
            {
                if (_fill is null) throw new InvalidOperationException("the streamed feature table was read after its writer ended it");
                DropAhead();   // one fill at a time
                var v = Numerics.HugePages.NewDoubles(checked(AtomCount * FeatureCount));
                _fill!(AtomRows.All(AtomCount), v);
                _values = v;
                _block = null; _blockAtoms = null; _spare = null; _spareAtoms = null; _fill = null; _order = null;   // the inputs are not needed any more
            }
            return _values;
        }
    }

    /// <summary>A copy of one column by name.</summary>
    public double[] Column(string name)
    {
        int f = IndexOf(name);
        if (f < 0) throw new KeyNotFoundException($"no feature named '{name}'");
        var c = new double[AtomCount];
        for (int i = 0; i < AtomCount; i++) c[i] = Values[(long)i * FeatureCount + f];
        return c;
    }

    /// <summary>Index of a feature by name, or −1.</summary>
    public int IndexOf(string name)
    {
        for (int f = 0; f < Names.Count; f++) if (Names[f] == name) return f;
        return -1;
    }

    /// <summary>Copies the block into columns [offset, offset + F) of a row-major table with rows of <paramref name="stride"/> values.</summary>
    internal void CopyInto(double[] dest, int stride, int offset)
    {
        RowLayout.Check(dest, AtomCount, stride, offset, FeatureCount);
        int w = FeatureCount, n = AtomCount;
        var src = Values;
        const int rowsPerChunk = 4096;
        Parallel.For(0, (n + rowsPerChunk - 1) / rowsPerChunk, c =>
        {
            int start = c * rowsPerChunk, end = Math.Min(n, start + rowsPerChunk);
            for (int i = start; i < end; i++) src.AsSpan(i * w, w).CopyTo(dest.AsSpan(RowLayout.Start(i, stride, offset), w));
        });
    }

    /// <summary>Joins blocks side by side (same atoms); names must be unique.</summary>
    public static PerAtomFeatures Concat(IReadOnlyList<PerAtomFeatures> blocks)
    {
        if (blocks.Count == 0) throw new ArgumentException("no blocks");
        int n = blocks[0].AtomCount;
        var names = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var b in blocks)
        {
            if (b.AtomCount != n) throw new ArgumentException("blocks cover different atom counts");
            foreach (var nm in b.Names) { if (!seen.Add(nm)) throw new ArgumentException($"duplicate feature name '{nm}'"); names.Add(nm); }
        }
        int f = names.Count;
        var v = Numerics.HugePages.NewDoubles(checked(n * f));
        // every value is written exactly once (pure copies), so the result does not depend on the partition
        for (int b = 0, off = 0; b < blocks.Count; off += blocks[b].FeatureCount, b++) blocks[b].CopyInto(v, f, off);
        return new PerAtomFeatures(names, n, v);
    }
}
