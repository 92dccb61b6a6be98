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
        try { return ReadAsync(path).GetAwaiter().GetResult(); }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or InvalidOperationException or ArgumentException or FormatException)
        {
            if (e is FileNotFoundException or DirectoryNotFoundException) throw new InputFormatException(path, 0, "file not found");
            throw new InputFormatException(path, 0, $"cannot read as Parquet: {e.Message}");
        }
    }

    private static async Task<List<(string Name, Array Values)>> ReadAsync(string path)
    {
        await using var reader = await ParquetReader.CreateAsync(path).ConfigureAwait(false);
        var fields = reader.Schema.GetDataFields();
        long total = 0;
        for (int g = 0; g < reader.RowGroupCount; g++) { using var rg = reader.OpenRowGroupReader(g); total += rg.RowCount; }
        if (total > int.MaxValue) throw new InvalidDataException($"{total} rows is too many");
        int rows = (int)total;
        var result = new List<(string, Array)>();
        foreach (var f in fields)
        {
            if (f.MaxRepetitionLevel > 0) throw new NotSupportedException($"column '{f.Name}' is a list");
            Type t = f.ClrType;
            Array a = IsText(f) ? new string[rows] : t == typeof(long) || t == typeof(int) || t == typeof(bool) ? new long[rows] : t == typeof(double) || t == typeof(float) ? new double[rows]
                : throw new NotSupportedException($"column '{f.Name}' has type {t.Name} (numbers and strings only)");
            result.Add((f.Name, a));
        }
        int offset = 0;
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var rg = reader.OpenRowGroupReader(g);
            int n = (int)rg.RowCount;
            for (int c = 0; c < fields.Length; c++)
            {
                var f = fields[c];
                var dest = result[c].Item2;
                Type t = f.ClrType;
                if (IsText(f))
                {
                    var sb = new string?[n];
                    await rg.ReadAsync(f, sb.AsMemory()).ConfigureAwait(false);
                    for (int i = 0; i < n; i++) ((string[])dest)[offset + i] = sb[i] ?? "";
                }
                else if (t == typeof(double)) await ReadNumbers<double>(rg, f, n, v => v, ((double[])dest).AsMemory(offset, n), double.NaN).ConfigureAwait(false);
                else if (t == typeof(float)) await ReadNumbers<float>(rg, f, n, v => v, ((double[])dest).AsMemory(offset, n), double.NaN).ConfigureAwait(false);
                else if (t == typeof(long)) await ReadNumbers<long>(rg, f, n, v => v, ((long[])dest).AsMemory(offset, n), 0L, nullsAreErrors: true).ConfigureAwait(false);
                else if (t == typeof(int)) await ReadNumbers<int>(rg, f, n, v => v, ((long[])dest).AsMemory(offset, n), 0L, nullsAreErrors: true).ConfigureAwait(false);
                else await ReadNumbers<bool>(rg, f, n, v => v ? 1L : 0L, ((long[])dest).AsMemory(offset, n), 0L, nullsAreErrors: true).ConfigureAwait(false);
            }
            offset += n;
        }
        return result;
    }

    /// <summary>A UTF-8 string column (Parquet.Net types it string or ReadOnlyMemory&lt;char&gt;).</summary>
    private static bool IsText(DataField f) => f.ClrType == typeof(string) || f.ClrType == typeof(ReadOnlyMemory<char>);

    private static async Task ReadNumbers<T>(ParquetRowGroupReader rg, DataField f, int n, Func<T, double> convert, Memory<double> dest, double missing)
        where T : struct
    {
        if (!f.IsNullable)
        {
            var buf = new T[n];
            await rg.ReadAsync<T>(f, buf.AsMemory()).ConfigureAwait(false);
            for (int i = 0; i < n; i++) dest.Span[i] = convert(buf[i]);
            return;
        }
        var nb = new T?[n];
        await rg.ReadAsync<T>(f, nb.AsMemory()).ConfigureAwait(false);
        for (int i = 0; i < n; i++) dest.Span[i] = nb[i] is T v ? convert(v) : missing;
    }

    private static async Task ReadNumbers<T>(ParquetRowGroupReader rg, DataField f, int n, Func<T, long> convert, Memory<long> dest, long missing, bool nullsAreErrors)
        where T : struct
    {
        if (!f.IsNullable)
        {
            var buf = new T[n];
            await rg.ReadAsync<T>(f, buf.AsMemory()).ConfigureAwait(false);
            for (int i = 0; i < n; i++) dest.Span[i] = convert(buf[i]);
            return;
        }
        var nb = new T?[n];
        await rg.ReadAsync<T>(f, nb.AsMemory()).ConfigureAwait(false);
        for (int i = 0; i < n; i++)
        {
            if (nb[i] is T v) dest.Span[i] = convert(v);
            else if (nullsAreErrors) throw new InvalidDataException($"column '{f.Name}': missing integer value");
            else dest.Span[i] = missing;
        }
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
