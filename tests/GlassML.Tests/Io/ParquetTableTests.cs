using System.Globalization;
using GlassML.Io;
using GlassML.Learning;
using GlassML.Tests.Cli;

namespace GlassML.Tests.Io;

/// <summary>Parquet tables: bit-identical round trip, names and types kept, 10⁶-row row groups, per-atom outputs, learn reads them.</summary>
[Collection("Console")]
public class ParquetTableTests
{
    private static readonly double[] Awkward =
    [
        0.0, -0.0, 1.0 / 3.0, Math.PI, double.Epsilon, -double.Epsilon, double.MaxValue, double.MinValue, 2.2250738585072009e-308,
        double.NaN, BitConverter.Int64BitsToDouble(0x7ff8_dead_beef_0001), double.PositiveInfinity, double.NegativeInfinity, 1e-300, 0.1 + 0.2,
    ];

    [Fact]
    public void Round_trip_is_bit_identical_with_names_and_types()
    {
        string p = PerAtomColumnsTests.Temp("t.parquet");
        var rng = new Random(7);
        int n = 5000;
        var d = new double[n];
        for (int i = 0; i < n; i++) d[i] = i < Awkward.Length ? Awkward[i] : BitConverter.Int64BitsToDouble(rng.NextInt64());
        var ids = Enumerable.Range(0, n).Select(i => (long)i * 1_000_000_007L - 5).ToArray();
        var sp = Enumerable.Range(0, n).Select(i => i % 3 == 0 ? "Cu" : i % 3 == 1 ? "Zr" : "Ö,\"x\"").ToArray();
        ParquetTable.Write(p, [("id", ids), ("species", sp), ("c_s[1]", d), ("v name", d.Reverse().ToArray())]);
        var back = ParquetTable.Read(p);
        Assert.Equal(["id", "species", "c_s[1]", "v name"], back.Select(c => c.Name));
        Assert.Equal(ids, Assert.IsType<long[]>(back[0].Values));
        Assert.Equal(sp, Assert.IsType<string[]>(back[1].Values));
        var r = Assert.IsType<double[]>(back[2].Values);
        for (int i = 0; i < n; i++) Assert.Equal(BitConverter.DoubleToInt64Bits(d[i]), BitConverter.DoubleToInt64Bits(r[i]));
        File.Delete(p);
    }

    [Fact]
    public async Task Row_groups_hold_a_million_rows()
    {
        string p = PerAtomColumnsTests.Temp("big.parquet");
        int n = ParquetTable.RowGroupRows + 1234;
        var v = new double[n];
        for (int i = 0; i < n; i++) v[i] = i * 0.5;
        ParquetTable.Write(p, [("x", v)]);
        await using (var reader = await Parquet.ParquetReader.CreateAsync(p))
        {
            Assert.Equal(2, reader.RowGroupCount);
            using var g0 = reader.OpenRowGroupReader(0);
            Assert.Equal(1_000_000, g0.RowCount);
            var field = Assert.Single(reader.Schema.GetDataFields());
            Assert.Equal(typeof(double), field.ClrType);
            Assert.False(field.IsNullable);
        }
        var back = (double[])ParquetTable.Read(p)[0].Values;
        Assert.Equal(v, back);
        File.Delete(p);
    }

    /// <summary>
    /// A table written by Parquet.Net directly in three row groups (700, 700, 333 rows) with int32, float32, nullable float64
    /// and skipped columns: <see cref="FeatureTableCsv.ReadParquet"/>, which fills the row-major table one column chunk at a
    /// time, gives every value, the target, ids, groups and species bit for bit as generated here.
    /// </summary>
    [Fact]
    public async Task Feature_table_from_several_row_groups_is_bit_identical()
    {
        string p = PerAtomColumnsTests.Temp("groups.parquet");
        int[] sizes = [700, 700, 333];
        int n = sizes.Sum();
        var rng = new Random(18);
        var ids = Enumerable.Range(0, n).Select(i => 3L * i + 1_000_000_000_000L).ToArray();
        var groups = Enumerable.Range(0, n).Select(i => (long)(i % 5 - 2)).ToArray();
        var species = Enumerable.Range(0, n).Select(i => i % 4 == 0 ? "Zr" : "Cu").ToArray();
        var frame = Enumerable.Range(0, n).Select(i => (long)(i / 100)).ToArray();
        var a = Enumerable.Range(0, n).Select(i => i < Awkward.Length ? Awkward[i] : BitConverter.Int64BitsToDouble(rng.NextInt64())).ToArray();
        var b = Enumerable.Range(0, n).Select(i => rng.Next(int.MinValue, int.MaxValue)).ToArray();
        var c = Enumerable.Range(0, n).Select(i => (float)(rng.NextDouble() * 1e3 - 500)).ToArray();
        var d = Enumerable.Range(0, n).Select(i => i % 9 == 4 ? (double?)null : rng.NextDouble() - 0.5).ToArray();
        var y = Enumerable.Range(0, n).Select(i => BitConverter.Int64BitsToDouble(rng.NextInt64() & ~(1L << 62))).ToArray(); // finite
        var fields = new Parquet.Schema.DataField[]
        {
            new Parquet.Schema.DataField<long>("id"), new Parquet.Schema.DataField<double>("a"), new Parquet.Schema.DataField<string>("species"),
            new Parquet.Schema.DataField<int>("b"), new Parquet.Schema.DataField<long>("frame"), new Parquet.Schema.DataField<float>("c"),
            new Parquet.Schema.DataField<double>("y"), new Parquet.Schema.DataField<long>("group"), new Parquet.Schema.DataField<double?>("d"),
        };
        await using (var s = File.Create(p))
        await using (var w = await Parquet.ParquetWriter.CreateAsync(new Parquet.Schema.ParquetSchema(fields), s))
        {
            int start = 0;
            foreach (int m in sizes)
            {
                using var rg = w.CreateRowGroup();
                await rg.WriteAsync(fields[0], (ReadOnlyMemory<long>)ids.AsMemory(start, m));
                await rg.WriteAsync(fields[1], (ReadOnlyMemory<double>)a.AsMemory(start, m));
                await rg.WriteAsync(fields[2], species[start..(start + m)]);
                await rg.WriteAsync(fields[3], (ReadOnlyMemory<int>)b.AsMemory(start, m));
                await rg.WriteAsync(fields[4], (ReadOnlyMemory<long>)frame.AsMemory(start, m));
                await rg.WriteAsync(fields[5], (ReadOnlyMemory<float>)c.AsMemory(start, m));
                await rg.WriteAsync(fields[6], (ReadOnlyMemory<double>)y.AsMemory(start, m));
                await rg.WriteAsync(fields[7], (ReadOnlyMemory<long>)groups.AsMemory(start, m));
                await rg.WriteAsync(fields[8], (ReadOnlyMemory<double?>)d.AsMemory(start, m));
                start += m;
            }
        }
        await using (var reader = await Parquet.ParquetReader.CreateAsync(p)) Assert.Equal(3, reader.RowGroupCount);

        var t = FeatureTableCsv.ReadParquet(p, "y");
        Assert.Equal(["a", "b", "c", "d"], t.Columns);
        Assert.Equal(n, t.Rows);
        Assert.Equal(ids, t.Ids);
        Assert.Equal(groups.Select(g => (int)g), t.Groups!);
        Assert.Equal(species, t.Species);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(y[i]), BitConverter.DoubleToInt64Bits(t.Labels![i]));
            Assert.Equal(BitConverter.DoubleToInt64Bits(a[i]), BitConverter.DoubleToInt64Bits(t[i, 0]));
            Assert.Equal(BitConverter.DoubleToInt64Bits(b[i]), BitConverter.DoubleToInt64Bits(t[i, 1]));
            Assert.Equal(BitConverter.DoubleToInt64Bits(c[i]), BitConverter.DoubleToInt64Bits(t[i, 2]));
            Assert.Equal(BitConverter.DoubleToInt64Bits(d[i] ?? double.NaN), BitConverter.DoubleToInt64Bits(t[i, 3]));
        }

        // the same file through the column reader: the row groups concatenated
        var cols = ParquetTable.Read(p);
        Assert.Equal(y.Select(BitConverter.DoubleToInt64Bits), ((double[])cols[6].Values).Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(b.Select(v => (long)v), (long[])cols[3].Values);

        // a missing target in the last row group is reported with its row
        y[1500] = double.NaN;
        ParquetTable.Write(p, [("x", a), ("y", y)]);
        var e = Assert.Throws<InputFormatException>(() => FeatureTableCsv.ReadParquet(p, "y"));
        Assert.Contains("row 1501, column 'y': target is missing", e.Message, StringComparison.Ordinal);
        File.Delete(p);
    }

    [Fact]
    public void Featurize_parquet_equals_the_csv_and_learn_reads_it()
    {
        string csv = PerAtomColumnsTests.Temp("f.csv"), pq = PerAtomColumnsTests.Temp("f.parquet"), all = PerAtomColumnsTests.Temp("all.parquet");
        foreach (var o in new[] { csv, pq })
            Assert.Equal(0, PerAtomColumnsTests.Run("featurize", PerAtomColumnsTests.Dump, "--features", "distance,csro", "--neighbors", "cutoff", "--out", o).Code);
        var lines = File.ReadAllLines(csv);
        var head = lines[0].Split(',');
        var cols = ParquetTable.Read(pq);
        Assert.Equal(head, cols.Select(c => c.Name));
        Assert.IsType<long[]>(cols[0].Values);
        Assert.IsType<string[]>(cols[2].Values);
        for (int r = 1; r < lines.Length; r++)
        {
            var t = lines[r].Split(',');
            Assert.Equal(long.Parse(t[0], CultureInfo.InvariantCulture), ((long[])cols[0].Values)[r - 1]);
            Assert.Equal(t[2], ((string[])cols[2].Values)[r - 1]);
            for (int c = 3; c < head.Length; c++)
            {
                double want = t[c] == "nan" ? double.NaN : double.Parse(t[c], CultureInfo.InvariantCulture);
                Assert.Equal(BitConverter.DoubleToInt64Bits(want), BitConverter.DoubleToInt64Bits(((double[])cols[c].Values)[r - 1]));
            }
        }
        // --frame all: a leading frame column, frames stacked
        Assert.Equal(0, PerAtomColumnsTests.Run("featurize", PerAtomColumnsTests.Dump, "--features", "distance", "--neighbors", "cutoff", "--frame", "all", "--out", all).Code);
        var stacked = ParquetTable.Read(all);
        Assert.Equal("frame", stacked[0].Name);
        Assert.Equal(1000, stacked[0].Values.Length);
        Assert.Equal(1, ((long[])stacked[0].Values)[999]);

        // learn: the same table from CSV and from Parquet
        var a = FeatureTableCsv.Read(csv, "c_pe");
        var b = FeatureTableCsv.Read(pq, "c_pe");
        Assert.Equal(a.Columns, b.Columns);
        Assert.Equal(a.Ids, b.Ids);
        Assert.Equal(a.Labels, b.Labels);
        Assert.Equal(a.Values.Select(BitConverter.DoubleToInt64Bits), b.Values.Select(BitConverter.DoubleToInt64Bits));
        string p1 = PerAtomColumnsTests.Temp("p1.csv"), p2 = PerAtomColumnsTests.Temp("p2.parquet");
        Assert.Equal(0, PerAtomColumnsTests.Run("learn", "knn", "--train", pq, "--test", csv, "--target", "c_pe", "--params", "k=3,rule=mean", "--out", p1).Code);
        Assert.Equal(0, PerAtomColumnsTests.Run("learn", "knn", "--train", csv, "--test", pq, "--target", "c_pe", "--params", "k=3,rule=mean", "--out", p2).Code);
        var pred1 = File.ReadAllLines(p1).Skip(1).Select(l => double.Parse(l.Split(',')[1], CultureInfo.InvariantCulture)).ToArray();
        var pred2 = ParquetTable.Read(p2);
        Assert.Equal(["id", "prediction"], pred2.Select(c => c.Name));
        Assert.Equal(pred1, (double[])pred2[1].Values);
        foreach (var f in new[] { csv, pq, all, p1, p2 }) File.Delete(f);
    }

    /// <summary>hyparquet (an independent JavaScript reader) read our Parquet file to the values featurize writes as CSV today.</summary>
    [Fact]
    public void An_independent_reader_reads_our_parquet_as_our_csv()
    {
        string csv = PerAtomColumnsTests.Temp("h.csv");
        Assert.Equal(0, PerAtomColumnsTests.Run("featurize", PerAtomColumnsTests.Dump, "--features", "distance,csro", "--neighbors", "cutoff", "--out", csv).Code);
        var ours = File.ReadAllLines(csv);
        var theirs = GlassML.Tests.Fixtures.ReadLines("parquet", "s1_distance.hyparquet.csv.gz");
        Assert.Equal(ours[0], theirs[0]);
        Assert.Equal(ours.Length, theirs.Length);
        var committed = ParquetTable.Read(GlassML.Tests.Fixtures.Path("parquet", "s1_distance.parquet"));
        for (int r = 1; r < ours.Length; r++)
        {
            var a = ours[r].Split(',');
            var b = theirs[r].Split(',');
            Assert.Equal(a[..3], b[..3]);
            for (int c = 3; c < a.Length; c++)
            {
                long bits = BitConverter.DoubleToInt64Bits(Parse(a[c]));
                Assert.Equal(bits, BitConverter.DoubleToInt64Bits(Parse(b[c])));
                Assert.Equal(bits, BitConverter.DoubleToInt64Bits(((double[])committed[c].Values)[r - 1]));
            }
        }
        File.Delete(csv);

        static double Parse(string s) => s == "nan" ? double.NaN : double.Parse(s, CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Not_a_parquet_file_is_a_one_line_error()
    {
        string p = PerAtomColumnsTests.Temp("bad.parquet");
        File.WriteAllText(p, "id,x\n1,2\n");
        var (code, _, err) = PerAtomColumnsTests.Run("learn", "knn", "--train", p, "--target", "x");
        Assert.Equal(2, code);
        Assert.StartsWith($"glassml: error: {p}", err, StringComparison.Ordinal);
        Assert.Single(err.TrimEnd('\n').Split('\n'));
        File.Delete(p);
    }
}
