using System.Globalization;
using System.Text;
using GlassML.Io;
using GlassML.Learning;
using GlassML.Tests.Io;

namespace GlassML.Tests.Learning;

/// <summary>
/// The plain-CSV fast path of <see cref="FeatureTableCsv.Read(string, string?)"/> (<see cref="PlainCsvTable"/>) gives the table of
/// the CsvHelper-based reader bit for bit — number spellings, blank cells, CRLF, blank lines, a BOM, a last line without its end,
/// lines across its decode blocks — and gives up (the CSV reader then reads, and words every error) on quotes, lone CRs and
/// anything wrong; the errors are the CSV reader's, at its lines.
/// </summary>
public class PlainCsvTableTests
{
    private static void AssertSame(FeatureTable a, FeatureTable b)
    {
        Assert.Equal(a.Columns, b.Columns);
        Assert.Equal(a.Rows, b.Rows);
        Assert.Equal(a.Values.Select(BitConverter.DoubleToInt64Bits), b.Values.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(a.Labels?.Select(BitConverter.DoubleToInt64Bits), b.Labels?.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(a.Ids, b.Ids);
        Assert.Equal(a.Groups, b.Groups);
        Assert.Equal(a.Species, b.Species);
    }

    private const string Plain =
        "id,type,species,a,group,b,y\n" +
        "7,1,Cu,1.5,0, 2 ,0.25\n" +
        "3,2,Zr,,1,nan,-1\n" +
        "11,1,Cu,NaN,-2,NA,1e-310\n" +
        "5,2,Zr,inf,3,-Inf,2\n" +
        "9,1,Ö,+inf,4,-0,3.5\n" +
        "2,2,Cu,0.1000000000000000055511151231257827,5,1E+300,4\n" +
        "4,1,Zr,12345678901234567890,6,-1.7976931348623157e308,5\n" +
        "6,2,Cu,  4.9e-324 ,7,.5,6\n";

    public static TheoryData<string, string> Readable => new()
    {
        { "plain", Plain },
        { "crlf", Plain.Replace("\n", "\r\n") },
        { "blank lines, no last line end", Plain.Replace("3,2,Zr", "\n\n3,2,Zr").TrimEnd('\n') },
        { "bom", "\uFEFF" + Plain },
        { "header only", "id,a,y\n" },
        { "trailing comma cell", "a,b,y\n1,,2\n,3,4\n" },
    };

    [Theory]
    [MemberData(nameof(Readable))]
    public void PlainTablesAreTheCsvReadersBitForBit(string what, string text)
    {
        using var tmp = new TempDir();
        string p = tmp.Write("t.csv", "x");
        File.WriteAllText(p, text, new UTF8Encoding(false));
        var fast = PlainCsvTable.TryRead(p, "y");
        Assert.True(fast is not null, what);
        AssertSame(FeatureTableCsv.ReadCsv(p, "y"), fast!);
        AssertSame(FeatureTableCsv.ReadCsv(p, "y"), FeatureTableCsv.Read(p, "y"));
    }

    /// <summary>Over 10⁶ characters: lines cut by the decode blocks are joined; awkward doubles in their shortest form.</summary>
    [Fact]
    public void LargeTableAcrossBlocksIsTheCsvReaders()
    {
        using var tmp = new TempDir();
        string p = tmp.File("big.csv");
        var rng = new Random(5);
        var sb = new StringBuilder("id,species,f0,f1,f2,f3,f4,f5,f6,f7,y\n");
        for (int i = 0; i < 20_000; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{i * 3 + 1},{(i % 3 == 0 ? "Cu" : "Zr")}");
            for (int c = 0; c < 8; c++)
            {
                double v = rng.Next(10) == 0 ? BitConverter.Int64BitsToDouble(rng.NextInt64() & ~(0x7FFL << 52) | ((long)rng.Next(1, 2047) << 52))
                    : (rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-20, 20));
                sb.Append(',').Append(v.ToString("R", CultureInfo.InvariantCulture));
            }
            sb.Append(CultureInfo.InvariantCulture, $",{rng.NextDouble()}\n");
        }
        File.WriteAllText(p, sb.ToString());
        Assert.True(new FileInfo(p).Length > 2 << 20);
        var fast = PlainCsvTable.TryRead(p, "y");
        Assert.NotNull(fast);
        AssertSame(FeatureTableCsv.ReadCsv(p, "y"), fast);
    }

    public static TheoryData<string, string> Declined => new()
    {
        { "quoted cell", "id,species,a,y\n1,\"Cu,x\",2,3\n" },
        { "quoted header", "id,\"a,b\",y\n1,2,3\n" },
        { "lone CR", "id,a,y\r1,2,3\r2,3,4\r" },
        { "stray quote", "id,a,y\n1,2\"x,3\n" },
        { "too few cells", "id,a,y\n1,2,3\n4,5\n" },
        { "too many cells", "id,a,y\n1,2,3\n4,5,6,7\n" },
        { "not a number", "id,a,y\n1,2,3\n4,x5,6\n" },
        { "missing target", "id,a,y\n1,2,3\n4,5,\n" },
        { "empty species", "id,species,a,y\n1,Cu,2,3\n4, ,5,6\n" },
        { "group out of range", "id,group,a,y\n1,0,2,3\n4,3000000000,5,6\n" },
        { "id not an integer", "id,a,y\n1.5,2,3\n" },
        { "no target column", "id,a,b\n1,2,3\n" },
        { "blank first line", "\nid,a,y\n1,2,3\n" },
        { "duplicate column", "id,a,a,y\n1,2,3,4\n" },
    };

    [Theory]
    [MemberData(nameof(Declined))]
    public void AnythingElseIsLeftToTheCsvReader(string what, string text)
    {
        using var tmp = new TempDir();
        string p = tmp.File("t.csv");
        File.WriteAllText(p, text, new UTF8Encoding(false));
        Assert.True(PlainCsvTable.TryRead(p, "y") is null, what);
        FeatureTable? slow = null;
        InputFormatException? slowError = null;
        try { slow = FeatureTableCsv.ReadCsv(p, "y"); }
        catch (InputFormatException e) { slowError = e; }
        if (slowError is not null) Assert.Equal(slowError.Message, Assert.Throws<InputFormatException>(() => FeatureTableCsv.Read(p, "y")).Message);
        else AssertSame(slow!, FeatureTableCsv.Read(p, "y"));
    }

    /// <summary>A gzip-compressed table is read the same way; data that is not gzip, or cut short, is left to the CSV reader.</summary>
    [Fact]
    public void GzipTablesAreTheCsvReadersToo()
    {
        using var tmp = new TempDir();
        string p = tmp.WriteGz("t.csv.gz", Plain);
        var fast = PlainCsvTable.TryRead(p, "y");
        Assert.NotNull(fast);
        AssertSame(FeatureTableCsv.ReadCsv(p, "y"), fast);
        string notGz = tmp.Write("n.csv.gz", Plain);
        Assert.Null(PlainCsvTable.TryRead(notGz, "y"));
        Assert.Equal(Assert.Throws<InputFormatException>(() => FeatureTableCsv.ReadCsv(notGz, "y")).Message,
            Assert.Throws<InputFormatException>(() => FeatureTableCsv.Read(notGz, "y")).Message);
        var bytes = File.ReadAllBytes(p);
        string cut = tmp.File("cut.csv.gz");
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);
        Assert.Null(PlainCsvTable.TryRead(cut, "y"));
        Assert.Equal(Outcome(() => FeatureTableCsv.ReadCsv(cut, "y")), Outcome(() => FeatureTableCsv.Read(cut, "y")));
    }

    // what a read gives: its rows, or its exception's type and message
    private static string Outcome(Func<FeatureTable> read)
    {
        try { return $"rows {read().Rows}"; }
        catch (Exception e) { return $"{e.GetType().Name}: {e.Message}"; }
    }

    [Fact]
    public void EmptyFilesAndFoldersAreTheCsvReadersErrors()
    {
        using var tmp = new TempDir();
        string empty = tmp.Write("e.csv", "");
        Assert.Null(PlainCsvTable.TryRead(empty, null));
        Assert.Contains("empty file", Assert.Throws<InputFormatException>(() => FeatureTableCsv.Read(empty)).Message, StringComparison.Ordinal);
        Assert.Null(PlainCsvTable.TryRead(tmp.Path, null));
        Assert.Contains("directory", Assert.Throws<InputFormatException>(() => FeatureTableCsv.Read(tmp.Path)).Message, StringComparison.Ordinal);
        Assert.Null(PlainCsvTable.TryRead(tmp.File("missing.csv"), null));
    }
}
