using GlassML.Descriptors;
using GlassML.Structure;
using Parquet;
using Parquet.Schema;

namespace GlassML.Io;

/// <summary>
/// Apache Parquet tables (Parquet.Net): written atomically with Snappy compression, one row group per
/// <see cref="RowGroupRows"/> rows (a per-atom table's row groups also hold at most <see cref="RowGroupBytes"/> of values);
/// column names kept as given, numbers as float64 (features) and int64 (frame, id, type),
/// species as UTF-8 strings. pandas/pyarrow/polars read them; <see cref="Read"/> reads them back bit for bit, and reads
/// the int32/int64/float32/float64/bool/string columns other tools write (nulls become NaN).
/// </summary>
public static class ParquetTable
{
    /// <summary>Rows per row group: 10⁶, one row group for a million-atom frame.</summary>
    public const int RowGroupRows = 1_000_000;

    /// <summary>
    /// Largest row group of a per-atom table in bytes of values (8 per column and row): 128 MiB, i.e. fewer rows than
    /// <see cref="RowGroupRows"/> for more than 16 columns (140,985 rows of 119 columns; 22,369 of 750). A row group is held in
    /// memory until it is written, so this bounds the writer's memory whatever the number of frames and atoms.
    /// </summary>
    public const long RowGroupBytes = 128L << 20;

    /// <summary>Rows per row group of a per-atom table of <paramref name="columns"/> columns: ≤ <see cref="RowGroupRows"/> and ≤ <see cref="RowGroupBytes"/>.</summary>
    public static int PerAtomRowGroupRows(int columns) => (int)Math.Clamp(RowGroupBytes / (8L * Math.Max(1, columns)), 1, RowGroupRows);

    /// <summary>
    /// Writes named columns (each a <c>double[]</c>, <c>long[]</c>, <c>int[]</c> or <c>string[]</c> of the same length).
    /// </summary>
    /// <exception cref="ArgumentException">Columns of different lengths, an unsupported column type, or a duplicate name.</exception>
    public static void Write(string path, IReadOnlyList<(string Name, Array Values)> columns) => Write(path, columns, RowGroupRows);

    /// <summary>As <see cref="Write(string, IReadOnlyList{ValueTuple{string, Array}})"/> with row groups of <paramref name="rowGroupRows"/> rows (tests).</summary>
    internal static void Write(string path, IReadOnlyList<(string Name, Array Values)> columns, int rowGroupRows)
    {
        ArgumentNullException.ThrowIfNull(columns);
        int rows = columns.Count == 0 ? 0 : columns[0].Values.Length;
        foreach (var (name, v) in columns)
            if (v.Length != rows) throw new ArgumentException($"column '{name}' has {v.Length} rows, the table {rows}");
        var fields = columns.Select(c => Field(c.Name, c.Values)).ToArray();
        WriteGroups(path, fields, rows, rowGroupRows, (field, k, start, count) => columns[k].Values switch
        {
            double[] d => Write(field, d.AsMemory(start, count)),
            long[] l => Write(field, l.AsMemory(start, count)),
            int[] i => Write(field, i.AsMemory(start, count)),
            string[] s => Write(field, s[start..(start + count)]),
            _ => throw new ArgumentException($"column '{columns[k].Name}': unsupported type {columns[k].Values.GetType().Name}"),
        });
    }

    /// <summary>
    /// Per-atom table with the columns of <see cref="CsvWriter"/>: <c>[frame,]id,type,species,</c> then the features (float64),
    /// each frame's rows sorted by id, frames in the given order; streamed one row group at a time (as <see cref="WriteBlocks"/>),
    /// row groups of <see cref="PerAtomRowGroupRows"/> rows.
    /// </summary>
    /// <exception cref="ArgumentException">No frames, blocks with different names or sizes, or a duplicate column name.</exception>
    public static void Write(string path, IReadOnlyList<(Frame Frame, PerAtomFeatures Features)> frames, bool frameColumn)
    {
        ArgumentNullException.ThrowIfNull(frames);
        WriteBlocks(path, frames.Select(f => (f.Frame, (IReadOnlyList<PerAtomFeatures>)[f.Features])), frameColumn);
    }

    /// <summary>
    /// The per-atom table of <see cref="Write(string, IReadOnlyList{ValueTuple{Frame, PerAtomFeatures}}, bool)"/> from frames whose
    /// feature blocks stand side by side (no joined copy): the frames are enumerated once, and each frame's rows are taken in id
    /// order (a streamed table computes them as they are taken) into the columns of the row group being filled, which is written
    /// (column by column, as Parquet stores it) once it holds <paramref name="groupRows"/> rows (default
    /// <see cref="PerAtomRowGroupRows"/> of the table's columns) or the last row. Memory: one row group's columns (≤ 128 MiB by
    /// default), not the stacked table; the same bytes as the columns written whole by
    /// <see cref="Write(string, IReadOnlyList{ValueTuple{string, Array}}, int)"/> with the same row groups.
    /// </summary>
    /// <exception cref="ArgumentException">No frames, blocks with different names or sizes, or a duplicate column name.</exception>
    internal static void WriteBlocks(string path, IEnumerable<(Frame Frame, IReadOnlyList<PerAtomFeatures> Blocks)> frames, bool frameColumn,
        int? groupRows = null)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (groupRows < 1) throw new ArgumentOutOfRangeException(nameof(groupRows), "a row group holds at least one row");
        using var e = frames.GetEnumerator();
        if (!e.MoveNext()) throw new ArgumentException("no frames to write");
        string[] names = [.. e.Current.Blocks.SelectMany(b => b.Names)];
        var fields = new List<DataField>();
        if (frameColumn) fields.Add(new DataField<long>("frame"));
        fields.Add(new DataField<long>("id"));
        fields.Add(new DataField<long>("type"));
        fields.Add(new DataField<string>("species"));
        int lead = fields.Count;
        fields.AddRange(names.Select(n => (DataField)new DataField<double>(n)));
        var schema = Schema([.. fields]);
        int rowGroupRows = groupRows ?? PerAtomRowGroupRows(fields.Count);
        AtomicFile.Write(path, s =>
        {
            var group = new RowGroup(names.Length, rowGroupRows);
            var w = ParquetWriter.CreateAsync(schema, s, Options).GetAwaiter().GetResult();
            try
            {
                int k = 0;
                bool more = true, written = false;
                while (more)
                {
                    var (frame, blocks) = e.Current;
                    int width = 0;
                    foreach (var b in blocks) { WriterSupport.CheckFeatures(frame, b); width += b.FeatureCount; }
                    if (width != names.Length || !blocks.SelectMany(b => b.Names).SequenceEqual(names, StringComparer.Ordinal))
                        throw new ArgumentException("the frames' feature blocks have different columns");
                    var order = WriterSupport.SharedOrderById(frame);
                    int at = 0;
                    bool peeked = false;
                    // whole row groups of a frame whose tables exist whole: straight from them, a few columns at a time (no copy of
                    // the table); the rest row by row into the row group's columns (a streamed table's rows exist only as taken)
                    if (group.Count == 0 && blocks.All(b => !b.IsStreamed))
                    {
                        for (; order.Length - at >= rowGroupRows; at += rowGroupRows)
                        {
                            group.WriteGathered(w, fields, lead, k, frame, blocks, order.AsSpan(at, rowGroupRows));
                            written = true;
                        }
                        // a table without a frame column: the frame's last rows too when no frame follows (one frame is the usual
                        // case; a following frame's rows would share their row group)
                        if (!frameColumn && at < order.Length)
                        {
                            peeked = true;
                            more = e.MoveNext();
                            if (!more)
                            {
                                group.WriteGathered(w, fields, lead, k, frame, blocks, order.AsSpan(at));
                                written = true;
                                at = order.Length;
                            }
                        }
                    }
                    for (; at < order.Length; at++)
                    {
                        group.Add(k, frame, order[at], blocks);
                        if (group.Count == rowGroupRows) { group.WriteTo(w, fields, lead); written = true; }
                    }
                    foreach (var b in blocks) b.EndStream();
                    k++;
                    if (!peeked) more = e.MoveNext();
                }
                // the last rows (and, for a table without rows, one empty row group)
                if (group.Count > 0 || !written) group.WriteTo(w, fields, lead);
            }
            finally { w.DisposeAsync().AsTask().GetAwaiter().GetResult(); }
        });
    }

    private static readonly ParquetOptions Options = new() { CompressionMethod = CompressionMethod.Snappy };

    /// <summary>
    /// The columns of one row group of a per-atom table, filled row by row and written column by column; the arrays are reused
    /// for the next row group (made for the first frame's rows, grown to a whole row group when a next frame's rows follow). The feature columns lie in one array (huge pages),
    /// column c from c·stride on, the stride a row count plus one cache line (columns a power of two apart would compete for the
    /// same cache sets); rows are gathered eight at a time in a small tile and moved to the columns a cache line at a time.
    /// A whole row group of tables that exist whole is written from them instead (<see cref="WriteGathered"/>).
    /// </summary>
    private sealed class RowGroup(int features, int capacity)
    {
        private const int TileRows = 8;
        private const int GatherColumns = 8;
        private long[] _frame = [], _id = [], _type = [];
        private string[] _species = [];
        private double[] _values = [];
        private int _size, _stride;
        private readonly double[] _tile = new double[TileRows * features];
        private int _tiled;   // rows of the tile not yet in the columns (the last ones held)
        private double[] _gathered = [];

        /// <summary>Rows held.</summary>
        public int Count { get; private set; }

        /// <summary>Appends atom <paramref name="i"/> of <paramref name="frame"/> (the frame's position <paramref name="k"/>).</summary>
        public void Add(int k, Frame frame, int i, IReadOnlyList<PerAtomFeatures> blocks)
        {
            int r = Count;
            // room for the first frame, then (a second frame coming into the row group) for a whole row group at once
            if (r == _size) Grow(r == 0 ? Math.Min(capacity, Math.Max(1, frame.Count)) : capacity);
            Lead(r, k, frame, i);
            var tile = _tile.AsSpan(_tiled * features, features);
            int c = 0;
            for (int q = 0; q < blocks.Count; q++)   // (not foreach: an enumerator per row)
            {
                var row = blocks[q].Row(i);
                if (c + row.Length > features) throw new ArgumentException("the frames' feature blocks have different columns");
                row.CopyTo(tile[c..]);
                c += row.Length;
            }
            Count = r + 1;
            if (++_tiled == TileRows) Untile();
        }

        private void Lead(int r, int k, Frame frame, int i)
        {
            _frame[r] = k;
            _id[r] = frame.Ids[i];
            int t = frame.SpeciesIndex[i];
            _type[r] = t + 1;
            _species[r] = frame.Species[t].Name;
        }

        // moves the tile's rows (the last _tiled rows held) to their columns
        private void Untile()
        {
            int m = _tiled, r0 = Count - m;
            if (m == 0) return;
            var values = _values.AsSpan();
            var tile = _tile.AsSpan();
            for (int c = 0; c < features; c++)
            {
                var col = values.Slice(c * _stride + r0, m);
                for (int j = 0; j < col.Length; j++) col[j] = tile[j * features + c];
            }
            _tiled = 0;
        }

        private void Grow(long size)
        {
            Untile();
            int n = (int)size, stride = n + 8;
            GrowLead(n);
            var values = Numerics.HugePages.NewDoubles(checked(features * stride));
            for (int c = 0; c < features; c++) _values.AsSpan(c * _stride, Count).CopyTo(values.AsSpan(c * stride));
            (_values, _size, _stride) = (values, n, stride);
        }

        private void GrowLead(int n)
        {
            if (_frame.Length >= n) return;
            Array.Resize(ref _frame, n); Array.Resize(ref _id, n); Array.Resize(ref _type, n); Array.Resize(ref _species, n);
        }

        /// <summary>Writes the rows held as one row group and empties the columns.</summary>
        public void WriteTo(ParquetWriter w, List<DataField> fields, int lead)
        {
            Untile();
            int stride = _stride;
            WriteColumns(w, fields, lead, Count, c => _values.AsMemory(c * stride, Count));
            Count = 0;
        }

        /// <summary>
        /// Writes the atoms <paramref name="atoms"/> of <paramref name="frame"/> (its blocks' tables whole) as one row group
        /// (nothing held before): each feature column gathered from the blocks' row-major tables, <see cref="GatherColumns"/>
        /// columns in one pass over the rows.
        /// </summary>
        public void WriteGathered(ParquetWriter w, List<DataField> fields, int lead, int k, Frame frame, IReadOnlyList<PerAtomFeatures> blocks, ReadOnlySpan<int> atoms)
        {
            int n = atoms.Length;
            GrowLead(n);
            for (int r = 0; r < n; r++) Lead(r, k, frame, atoms[r]);
            // column c: block and column within it
            var source = new (double[] Values, int Width, int Column)[features];
            for (int q = 0, c = 0; q < blocks.Count; q++)
                for (int j = 0; j < blocks[q].FeatureCount; j++) source[c++] = (blocks[q].Values, blocks[q].FeatureCount, j);
            if (features > 0 && _gathered.Length < (long)GatherColumns * n) _gathered = Numerics.HugePages.NewDoubles(checked(GatherColumns * n));
            int[] list = atoms.ToArray();
            int gathered = -1;
            WriteColumns(w, fields, lead, n, c =>
            {
                int c0 = c / GatherColumns * GatherColumns;
                if (c0 != gathered)
                {
                    int m = Math.Min(GatherColumns, features - c0);
                    var g = _gathered;
                    for (int j = 0; j < m; j++)
                    {
                        var (v, width, col) = source[c0 + j];
                        var dest = g.AsSpan(j * n, n);
                        for (int r = 0; r < dest.Length; r++) dest[r] = v[(long)list[r] * width + col];
                    }
                    gathered = c0;
                }
                return _gathered.AsMemory((c - c0) * n, n);
            });
        }

        private void WriteColumns(ParquetWriter w, List<DataField> fields, int lead, int n, Func<int, ReadOnlyMemory<double>> feature)
        {
            using var rg = w.CreateRowGroup();
            for (int c = 0; c < fields.Count; c++)
            {
                var f = fields[c];
                var task = c >= lead ? rg.WriteAsync(f, feature(c - lead))
                    : f.Name switch
                    {
                        "species" => rg.WriteAsync(f, _species.AsSpan(0, n).ToArray()),
                        "frame" => rg.WriteAsync(f, (ReadOnlyMemory<long>)_frame.AsMemory(0, n)),
                        "id" => rg.WriteAsync(f, (ReadOnlyMemory<long>)_id.AsMemory(0, n)),
                        _ => rg.WriteAsync(f, (ReadOnlyMemory<long>)_type.AsMemory(0, n)),
                    };
                task.GetAwaiter().GetResult();
            }
        }
    }

    /// <summary>Reads every column (row groups concatenated): float64, int64, int32, float32, bool and string columns.</summary>
    /// <exception cref="InputFormatException">Not a Parquet file, or a column of another type (nested, dates, …).</exception>
    public static List<(string Name, Array Values)> Read(string path)
    {
        var result = new List<(string Name, Array Values)>();
        ReadChunks(path,
            (columns, rows) =>
            {
                foreach (var (name, kind) in columns)
                    result.Add((name, kind == typeof(string) ? new string[rows] : kind == typeof(long) ? new long[rows] : new double[rows]));
            },
            (c, offset, values) => Array.Copy(values, 0, result[c].Values, offset, values.Length));
        return result;
    }

    /// <summary>
    /// Reads a table one column chunk at a time, so that a caller can lay the values out as it needs without a second copy
    /// of the table. <paramref name="begin"/> gets each column's name and the type it is read as (<c>double</c> for
    /// float64/float32, <c>long</c> for int64/int32/bool, <c>string</c>) and the row count; then <paramref name="chunk"/>
    /// gets, row group by row group and column by column in schema order, the column index, the first row of the row group
    /// and its values (a <c>double[]</c>, <c>long[]</c> or <c>string[]</c> of the row group's length, reused for the next
    /// chunk: valid only during the call). Null floats become NaN, null strings "", null integers are an error.
    /// </summary>
    /// <exception cref="InputFormatException">Not a Parquet file, or a column of another type (nested, dates, …); exceptions the callbacks throw pass through.</exception>
    internal static void ReadChunks(string path, Action<IReadOnlyList<(string Name, Type Kind)>, int> begin, Action<int, int, Array> chunk)
    {
        try { ReadChunksAsync(path, begin, chunk).GetAwaiter().GetResult(); }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or InvalidOperationException or ArgumentException or FormatException)
        {
            if (e is FileNotFoundException or DirectoryNotFoundException) throw new InputFormatException(path, 0, "file not found");
            throw new InputFormatException(path, 0, $"cannot read as Parquet: {e.Message}");
        }
    }

    private static async Task ReadChunksAsync(string path, Action<IReadOnlyList<(string Name, Type Kind)>, int> begin, Action<int, int, Array> chunk)
    {
        await using var reader = await ParquetReader.CreateAsync(path).ConfigureAwait(false);
        var fields = reader.Schema.GetDataFields();
        long total = 0;
        for (int g = 0; g < reader.RowGroupCount; g++) { using var rg = reader.OpenRowGroupReader(g); total += rg.RowCount; }
        if (total > int.MaxValue) throw new InvalidDataException($"{total} rows is too many");
        var kinds = new List<(string, Type)>();
        foreach (var f in fields)
        {
            if (f.MaxRepetitionLevel > 0) throw new NotSupportedException($"column '{f.Name}' is a list");
            Type t = f.ClrType;
            kinds.Add((f.Name, IsText(f) ? typeof(string) : t == typeof(long) || t == typeof(int) || t == typeof(bool) ? typeof(long)
                : t == typeof(double) || t == typeof(float) ? typeof(double)
                : throw new NotSupportedException($"column '{f.Name}' has type {t.Name} (numbers and strings only)")));
        }
        begin(kinds, (int)total);
        int offset = 0;
        double[] reals = []; // one row group's column of each type at a time, reused
        long[] integers = [];
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var rg = reader.OpenRowGroupReader(g);
            int n = (int)rg.RowCount;
            for (int c = 0; c < fields.Length; c++)
            {
                var f = fields[c];
                Type t = f.ClrType;
                Array values;
                if (IsText(f))
                {
                    var text = new string?[n];
                    await rg.ReadAsync(f, text.AsMemory()).ConfigureAwait(false);
                    for (int i = 0; i < n; i++) text[i] ??= "";
                    values = text;
                }
                else if (kinds[c].Item2 == typeof(double))
                {
                    if (reals.Length != n) reals = new double[n];
                    if (t == typeof(double)) await ReadNumbers<double, double>(rg, f, v => v, reals, double.NaN).ConfigureAwait(false);
                    else await ReadNumbers<float, double>(rg, f, v => v, reals, double.NaN).ConfigureAwait(false);
                    values = reals;
                }
                else
                {
                    if (integers.Length != n) integers = new long[n];
                    if (t == typeof(long)) await ReadNumbers<long, long>(rg, f, v => v, integers, null).ConfigureAwait(false);
                    else if (t == typeof(int)) await ReadNumbers<int, long>(rg, f, v => v, integers, null).ConfigureAwait(false);
                    else await ReadNumbers<bool, long>(rg, f, v => v ? 1L : 0L, integers, null).ConfigureAwait(false);
                    values = integers;
                }
                chunk(c, offset, values);
                CollectChunkGarbage();
            }
            offset += n;
        }
    }

    /// <summary>Bytes allocated (all threads) at the last collection <see cref="CollectChunkGarbage"/> made.</summary>
    private static long _allocatedAtCollect;

    /// <summary>
    /// Collects once every 256 MB allocated. Each column chunk leaves Parquet.Net's page and decompression buffers (large
    /// objects) behind; with a big table alive the runtime's large-object budget grows with it and lets that garbage pile
    /// up to several times the table (22.8 GB resident for a 6 GB table of 10⁶ × 746 without this). A full collection
    /// here is cheap: the live data are a few arrays of numbers with nothing to trace.
    /// </summary>
    private static void CollectChunkGarbage()
    {
        long now = GC.GetTotalAllocatedBytes();
        if (now - Interlocked.Read(ref _allocatedAtCollect) < 256L << 20) return;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
        Interlocked.Exchange(ref _allocatedAtCollect, GC.GetTotalAllocatedBytes());
    }

    /// <summary>A UTF-8 string column (Parquet.Net types it string or ReadOnlyMemory&lt;char&gt;).</summary>
    private static bool IsText(DataField f) => f.ClrType == typeof(string) || f.ClrType == typeof(ReadOnlyMemory<char>);

    /// <summary>
    /// Reads one column chunk of <typeparamref name="T"/> into <paramref name="dest"/> (its length is the row group's),
    /// converted; nulls become <paramref name="missing"/>, or are an error when it is null.
    /// </summary>
    private static async Task ReadNumbers<T, TOut>(ParquetRowGroupReader rg, DataField f, Func<T, TOut> convert, TOut[] dest, TOut? missing)
        where T : struct where TOut : struct
    {
        int n = dest.Length;
        if (!f.IsNullable)
        {
            if (dest is T[] same) { await rg.ReadAsync<T>(f, same.AsMemory()).ConfigureAwait(false); return; }
            var buf = new T[n];
            await rg.ReadAsync<T>(f, buf.AsMemory()).ConfigureAwait(false);
            for (int i = 0; i < n; i++) dest[i] = convert(buf[i]);
            return;
        }
        var nb = new T?[n];
        await rg.ReadAsync<T>(f, nb.AsMemory()).ConfigureAwait(false);
        for (int i = 0; i < n; i++)
            dest[i] = nb[i] is T v ? convert(v) : missing ?? throw new InvalidDataException($"column '{f.Name}': missing integer value");
    }

    private static DataField Field(string name, Array values) => values switch
    {
        double[] => new DataField<double>(name),
        long[] => new DataField<long>(name),
        int[] => new DataField<int>(name),
        string[] => new DataField<string>(name),
        _ => throw new ArgumentException($"column '{name}': unsupported type {values.GetType().Name}"),
    };

    private static Func<ParquetRowGroupWriter, Task> Write(DataField field, string[] values) =>
        rg => rg.WriteAsync(field, values);

    private static Func<ParquetRowGroupWriter, Task> Write(DataField field, Memory<double> values) =>
        rg => rg.WriteAsync(field, (ReadOnlyMemory<double>)values);

    private static Func<ParquetRowGroupWriter, Task> Write(DataField field, Memory<long> values) =>
        rg => rg.WriteAsync(field, (ReadOnlyMemory<long>)values);

    private static Func<ParquetRowGroupWriter, Task> Write(DataField field, Memory<int> values) =>
        rg => rg.WriteAsync(field, (ReadOnlyMemory<int>)values);

    /// <summary>Writes the file: per row group, per column in schema order, the writer the callback returns.</summary>
    private static void WriteGroups(string path, DataField[] fields, int rows, int rowGroupRows, Func<DataField, int, int, int, Func<ParquetRowGroupWriter, Task>> column)
    {
        var schema = Schema(fields);
        AtomicFile.Write(path, s => WriteAll(s).GetAwaiter().GetResult());

        async Task WriteAll(Stream s)
        {
            await using var w = await ParquetWriter.CreateAsync(schema, s, Options).ConfigureAwait(false);
            for (int start = 0; start == 0 || start < rows; start += rowGroupRows)
            {
                int count = Math.Min(rowGroupRows, rows - start);
                using var rg = w.CreateRowGroup();
                for (int c = 0; c < fields.Length; c++) await column(fields[c], c, start, count)(rg).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The schema of the fields, each name non-empty and used once.</summary>
    /// <exception cref="ArgumentException">An empty or repeated name.</exception>
    private static ParquetSchema Schema(DataField[] fields)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in fields)
        {
            if (string.IsNullOrEmpty(f.Name)) throw new ArgumentException("empty column name");
            if (!seen.Add(f.Name)) throw new ArgumentException($"column name '{f.Name}' is used twice");
        }
        return new ParquetSchema(fields);
    }
}
