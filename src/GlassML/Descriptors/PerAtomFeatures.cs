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
        : this(names, atoms, fill, order, blockRows, aheadBlocks: pipelined ? 1 : 0)
    {
    }

    /// <summary>
    /// A streamed table as above whose next <paramref name="aheadBlocks"/> blocks are computed in the background at once, each by
    /// one call of <paramref name="fill"/> on a thread of its own, while the writer takes the rows of the current one (1: the
    /// pipelined table above; 0: none). With more than one, <paramref name="fill"/> is called for different blocks at the same
    /// time and must allow it; at most <paramref name="aheadBlocks"/> + 1 block buffers exist. The first blocks are started at
    /// once (the table is made to be written: they are computed while the writer sets itself up). The values are the same whatever
    /// the number (each block is filled by one call of <paramref name="fill"/>, whose values do not depend on the set of rows).
    /// </summary>
    internal PerAtomFeatures(IReadOnlyList<string> names, int atoms, Action<AtomRows, double[]> fill, int[] order, int blockRows, int aheadBlocks)
    {
        if (order.Length != atoms) throw new ArgumentException($"the row order lists {order.Length} atoms, expected {atoms}");
        if (blockRows < 1) throw new ArgumentOutOfRangeException(nameof(blockRows), "a block holds at least one row");
        ArgumentOutOfRangeException.ThrowIfNegative(aheadBlocks);
        Names = names; AtomCount = atoms;
        _fill = fill; _order = order; _blockRows = Math.Min(blockRows, Math.Max(1, atoms));
        _aheadBlocks = aheadBlocks;
        // the first blocks are started now: they are computed while the writer sets itself up (opens the file, orders the rows)
        lock (_gate) StartAhead(0, aheadBlocks);
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
    private readonly int _aheadBlocks;
    // the blocks computed ahead, in row order: rows order[Start .. Start + Count) go into Buffer by Fill; the next one would start
    // at order[_aheadEnd]
    private readonly Queue<Ahead> _ahead = new();
    private int _aheadEnd;
    // buffers of blocks taken (or dropped) before, reused for the next blocks computed ahead
    private readonly Stack<Ahead> _spares = new();

    // (a class: the framework's shared collection code over reference types, no instantiation of its own to jit)
    private sealed class Ahead(double[] buffer, int[] atoms)
    {
        public readonly double[] Buffer = buffer;
        public readonly int[] Atoms = atoms;
        public int Start, Count;
        public Task? Fill;
    }

    /// <summary>
    /// True while the rows are produced block by block (<see cref="Row"/> in id order); false once the whole table exists.
    /// </summary>
    internal bool IsStreamed => _values is null;

    /// <summary>Rows per block of a streamed table.</summary>
    internal int BlockRows => _blockRows;

    /// <summary>True while the rows are produced block by block with the next block computed ahead in the background.</summary>
    internal bool IsPipelined => _aheadBlocks > 0 && _values is null;

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
            _fill = null; _order = null; _block = null; _blockAtoms = null; _current = null; _spares.Clear();
        }
    }

    /// <summary>Waits for the blocks computed ahead, if any, and drops them (their errors too: their rows are not used).</summary>
    private void DropAhead()
    {
        while (_ahead.TryDequeue(out var a))
        {
            try { a.Fill!.Wait(); }
            catch (AggregateException) { }
            a.Fill = null;
            _spares.Push(a);
        }
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

    // makes the rows of order[start .. start + blockRows) the current block: without blocks computed ahead, computed now into the
    // reused block buffer; else the first block computed ahead (started now, with the blocks after it, when it is not that one),
    // after which the blocks after it are started in the background until as many as allowed are under way
    private void NextBlock(int start)
    {
        if (_fill is null) throw new InvalidOperationException("the streamed feature table was read after its writer ended it");
        if (_aheadBlocks == 0)
        {
            _blockAtoms ??= new int[_blockRows];
            _block ??= Numerics.HugePages.NewDoubles(checked(_blockRows * FeatureCount));
            int m = Math.Min(_blockRows, AtomCount - start);
            Array.Copy(_order!, start, _blockAtoms, 0, m);
            _fill!(new AtomRows(_blockAtoms, m), _block);
            _blockStart = start; _blockCount = m; _cursor = 0;
            return;
        }
        if (!(_ahead.TryPeek(out var first) && first.Start == start))
        {
            DropAhead();
            StartAhead(start, _aheadBlocks);
        }
        var a = _ahead.Dequeue();
        // the fill's own exception (not an AggregateException), as a fill on this thread would throw it
        a.Fill!.GetAwaiter().GetResult();
        a.Fill = null;
        if (_current is not null) _spares.Push(_current);
        _current = a;
        (_block, _blockAtoms) = (a.Buffer, a.Atoms);
        _blockStart = start; _blockCount = a.Count; _cursor = 0;
        StartAhead(start + a.Count, _aheadBlocks);
    }

    // the current block's buffers when it was computed ahead
    private Ahead? _current;

    // starts computing the blocks from order[start ..] on (after those under way) in the background, into spare buffers, until
    // `under` blocks are under way or every row is
    private void StartAhead(int start, int under)
    {
        if (_ahead.Count > 0) start = _aheadEnd;
        var fill = _fill!;
        while (_ahead.Count < under && start < AtomCount)
        {
            var a = _spares.TryPop(out var spare) ? spare : new Ahead(Numerics.HugePages.NewDoubles(checked(_blockRows * FeatureCount)), new int[_blockRows]);
            int count = Math.Min(_blockRows, AtomCount - start);
            Array.Copy(_order!, start, a.Atoms, 0, count);
            a.Start = start; a.Count = count;
            var rows = new AtomRows(a.Atoms, count);
            var buffer = a.Buffer;
            a.Fill = Task.Run(() => fill(rows, buffer));
            _ahead.Enqueue(a);
            start += count;
            _aheadEnd = start;
        }
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
                _block = null; _blockAtoms = null; _current = null; _spares.Clear(); _fill = null; _order = null;   // the inputs are not needed any more
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
