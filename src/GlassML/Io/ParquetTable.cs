using GlassML.Descriptors;
using GlassML.Structure;
using Parquet;
using Parquet.Schema;

namespace GlassML.Io;

/// <summary>
/// Apache Parquet tables (Parquet.Net): written atomically with Snappy compression, one row group per
/// <see cref="RowGroupRows"/> rows; column names kept as given, numbers as float64 (features) and int64 (frame, id, type),
/// species as UTF-8 strings. pandas/pyarrow/polars read them; <see cref="Read"/> reads them back bit for bit, and reads
/// the int32/int64/float32/float64/bool/string columns other tools write (nulls become NaN).
/// </summary>
public static class ParquetTable
{
    /// <summary>Rows per row group: 10⁶, one row group for a million-atom frame.</summary>
    public const int RowGroupRows = 1_000_000;

    /// <summary>
    /// Writes named columns (each a <c>double[]</c>, <c>long[]</c>, <c>int[]</c> or <c>string[]</c> of the same length).
    /// </summary>
    /// <exception cref="ArgumentException">Columns of different lengths, an unsupported column type, or a duplicate name.</exception>
    public static void Write(string path, IReadOnlyList<(string Name, Array Values)> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        int rows = columns.Count == 0 ? 0 : columns[0].Values.Length;
        foreach (var (name, v) in columns)
            if (v.Length != rows) throw new ArgumentException($"column '{name}' has {v.Length} rows, the table {rows}");
        var fields = columns.Select(c => Field(c.Name, c.Values)).ToArray();
        WriteGroups(path, fields, rows, (field, k, start, count) => columns[k].Values switch
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
    /// each frame's rows sorted by id, frames in the given order; streamed one column of one row group at a time.
    /// </summary>
    /// <exception cref="ArgumentException">No frames, blocks with different names or sizes, or a duplicate column name.</exception>
    public static void Write(string path, IReadOnlyList<(Frame Frame, PerAtomFeatures Features)> frames, bool frameColumn)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (frames.Count == 0) throw new ArgumentException("no frames to write");
        var names = frames[0].Features.Names;
        foreach (var (frame, features) in frames)
        {
            WriterSupport.CheckFeatures(frame, features);
            if (!features.Names.SequenceEqual(names, StringComparer.Ordinal)) throw new ArgumentException("the frames' feature blocks have different columns");
        }
        // the row order: (frame k, atom index i) of every output row
        var rowFrame = new List<int>();
        var rowAtom = new List<int>();
        for (int k = 0; k < frames.Count; k++)
            foreach (int i in WriterSupport.OrderById(frames[k].Frame)) { rowFrame.Add(k); rowAtom.Add(i); }
        int rows = rowFrame.Count;
        var fields = new List<DataField>();
        if (frameColumn) fields.Add(new DataField<long>("frame"));
        fields.Add(new DataField<long>("id"));
        fields.Add(new DataField<long>("type"));
        fields.Add(new DataField<string>("species"));
        int lead = fields.Count;
        fields.AddRange(names.Select(n => (DataField)new DataField<double>(n)));
        WriteGroups(path, [.. fields], rows, (field, c, start, count) =>
        {
            if (c >= lead)
            {
                int f = c - lead, nf = names.Count;
                var buf = new double[count];
                for (int r = 0; r < count; r++) buf[r] = frames[rowFrame[start + r]].Features.Values[(long)rowAtom[start + r] * nf + f];
                return Write(field, buf.AsMemory());
            }
            string role = field.Name;
            if (role == "species")
            {
                var s = new string[count];
                for (int r = 0; r < count; r++) { var fr = frames[rowFrame[start + r]].Frame; s[r] = fr.Species[fr.SpeciesIndex[rowAtom[start + r]]].Name; }
                return Write(field, s);
            }
            var l = new long[count];
            for (int r = 0; r < count; r++)
            {
                var fr = frames[rowFrame[start + r]].Frame;
                int i = rowAtom[start + r];
                l[r] = role switch { "frame" => rowFrame[start + r], "id" => fr.Ids[i], _ => fr.SpeciesIndex[i] + 1 };
            }
            return Write(field, l.AsMemory());
        });
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
    private static void WriteGroups(string path, DataField[] fields, int rows, Func<DataField, int, int, int, Func<ParquetRowGroupWriter, Task>> column)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in fields)
        {
            if (string.IsNullOrEmpty(f.Name)) throw new ArgumentException("empty column name");
            if (!seen.Add(f.Name)) throw new ArgumentException($"column name '{f.Name}' is used twice");
        }
        var schema = new ParquetSchema(fields);
        AtomicFile.Write(path, s => WriteAll(s).GetAwaiter().GetResult());

        async Task WriteAll(Stream s)
        {
            var options = new ParquetOptions { CompressionMethod = CompressionMethod.Snappy };
            await using var w = await ParquetWriter.CreateAsync(schema, s, options).ConfigureAwait(false);
            for (int start = 0; start == 0 || start < rows; start += RowGroupRows)
            {
                int count = Math.Min(RowGroupRows, rows - start);
                using var rg = w.CreateRowGroup();
                for (int c = 0; c < fields.Length; c++) await column(fields[c], c, start, count)(rg).ConfigureAwait(false);
            }
        }
    }
}
