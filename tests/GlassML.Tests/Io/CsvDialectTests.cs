using System.IO.Compression;
using System.Text;
using GlassML.Io;
using GlassML.Learning;

namespace GlassML.Tests.Io;

/// <summary>
/// CSV in and out through CsvHelper (issue 18 item 6): quoted fields and headers as pandas and Excel write them, a byte-order
/// mark, CRLF line ends, quoted line breaks, gzip; errors name the file and the line where the bad record starts.
/// </summary>
public class CsvDialectTests
{
    private static string WriteRaw(TempDir d, string name, string text, bool bom = false)
    {
        string p = d.File(name);
        var bytes = Encoding.UTF8.GetBytes(text);
        File.WriteAllBytes(p, bom ? [0xEF, 0xBB, 0xBF, .. bytes] : bytes);
        return p;
    }

    [Fact]
    public void ExcelStyleQuotedHeaderWithBomAndCrlfIsReadLikeThePlainTable()
    {
        using var d = new TempDir();
        string plain = WriteRaw(d, "plain.csv", "id,species,a b,c_pe,y\n1,Cu,0.5,-3.25,1\n2,Zr,1e-3,-6.5,0\n");
        string excel = WriteRaw(d, "excel.csv",
            "\"id\",\"species\",\"a b\",\"c_pe\",\"y\"\r\n\"1\",\"Cu\",\"0.5\",-3.25,\"1\"\r\n2,\"Zr\",1e-3,\"-6.5\",0\r\n", bom: true);
        var a = FeatureTableCsv.Read(plain, "y");
        var b = FeatureTableCsv.Read(excel, "y");
        Assert.Equal(["a b", "c_pe"], b.Columns);
        Assert.Equal(a.Columns, b.Columns);
        Assert.Equal(a.Values, b.Values);
        Assert.Equal([1.0, 0.0], b.Labels!);
        Assert.Equal([1L, 2L], b.Ids!);
        Assert.Equal(["Cu", "Zr"], b.Species!);
        Assert.Equal([0.5, -3.25, 1e-3, -6.5], b.Values);
    }

    [Fact]
    public void QuotedCommasQuotesAndLineBreaksAreCellsAndLinesCountPhysically()
    {
        using var d = new TempDir();
        // line 1 header; record 1 spans lines 2-3 (a quoted line break); record 2 is line 4; line 5 blank; record 3 line 6 is bad
        string p = WriteRaw(d, "q.csv", "id,\"note, with comma\",x\r\n1,\"two\r\nlines\",1.5\r\n2,\"say \"\"hi\"\"\",2.5\r\n\r\n3,plain,oops\r\n");
        using (var r = CsvTableReader.Open(p))
        {
            Assert.Equal(["id", "note, with comma", "x"], r.Header);
            Assert.True(r.Read());
            Assert.Equal(2, r.Line);
            Assert.Equal("two\r\nlines", r.Text(1));
            Assert.True(r.Read());
            Assert.Equal(4, r.Line);
            Assert.Equal("say \"hi\"", r.Text(1));
            Assert.Equal(2.5, r.Number(2));
            Assert.True(r.Read());
            Assert.Equal(6, r.Line);
            var e = Assert.Throws<InputFormatException>(() => r.Number(2));
            Assert.Equal($"{p}:6: column 'x': cannot read 'oops' as a number", e.Message);
        }
    }

    [Theory]
    [InlineData("id,x,y\n1,2,3\n4,5\n", 3, "expected 3 cells, found 2")]
    [InlineData("id,x,y\r\n1,2,3\r\n4,5,6,7\r\n", 3, "expected 3 cells, found 4")]
    [InlineData("id,x,y\n1,2,3\n\n2.5,1,1\n", 4, "column 'id': '2.5' is not an integer")]
    [InlineData("id,x,x\n1,2,3\n", 1, "duplicate column 'x' in the header")]
    [InlineData("id,,y\n1,2,3\n", 1, "column 2 has an empty name")]
    [InlineData("id,x,y\n1,\"2,3\n", 2, "expected 3 cells, found 2")] // a quote left open swallows the rest
    public void BadTablesGiveOneLineErrorsWithFileAndLine(string text, int line, string problem)
    {
        using var d = new TempDir();
        string p = WriteRaw(d, "bad.csv", text);
        var e = Assert.Throws<InputFormatException>(() => FeatureTableCsv.Read(p, "y"));
        Assert.True(e.Message.StartsWith($"{p}:{line}: {problem}", StringComparison.Ordinal), e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void GzipAndEmptyFilesAndMissingTargets()
    {
        using var d = new TempDir();
        string gz = d.File("t.csv.gz");
        using (var fs = File.Create(gz))
        using (var z = new GZipStream(fs, CompressionLevel.Fastest))
            z.Write([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("\"x\",\"y\"\r\n1,2\r\n")]);
        var t = FeatureTableCsv.Read(gz, "y");
        Assert.Equal(["x"], t.Columns);
        Assert.Equal([2.0], t.Labels!);
        string empty = WriteRaw(d, "e.csv", "\r\n\r\n");
        Assert.Equal($"{empty}: empty file (no header row)", Assert.Throws<InputFormatException>(() => FeatureTableCsv.Read(empty)).Message);
        string noY = WriteRaw(d, "n.csv", "\n\"a\",\"b\"\n1,2\n");
        Assert.StartsWith($"{noY}:2: target column 'y' not found", Assert.Throws<InputFormatException>(() => FeatureTableCsv.Read(noY, "y")).Message);
    }

    [Fact]
    public void WrittenTextCellsAreQuotedWhenNeededAndReadBack()
    {
        using var d = new TempDir();
        var table = new FeatureTable(["a, b", "say \"c\""], 2, [1.5, double.NaN, -0.0, 1e300], [1, 2], null, [7, 8], ["Cu, 1", "Zr"]);
        string p = d.File("w.csv");
        FeatureTableCsv.Write(table, p, "y");
        Assert.Equal("id,species,\"a, b\",\"say \"\"c\"\"\",y", File.ReadLines(p).First());
        var back = FeatureTableCsv.Read(p, "y");
        Assert.Equal(table.Columns, back.Columns);
        Assert.Equal(table.Species!, back.Species!);
        Assert.Equal(table.Ids!, back.Ids!);
        Assert.Equal(table.Labels!, back.Labels!);
        Assert.Equal(table.Values.Select(BitConverter.DoubleToInt64Bits), back.Values.Select(BitConverter.DoubleToInt64Bits));

        string r = d.File("r.csv");
        new ResultTable().Add("name", ["plain", "with, comma", "with \"quote\""]).Add("v", [1.0, 2.0, 3.0]).WriteCsv(r);
        using var csv = CsvTableReader.Open(r);
        var names = new List<string>();
        while (csv.Read()) names.Add(csv.Text(0));
        Assert.Equal(["plain", "with, comma", "with \"quote\""], names);
    }

    [Theory]
    [InlineData("pandas_excel.csv")]
    [InlineData("pandas_minimal.csv.gz")]
    public void TablesWrittenByPandasReadAsPandasReadsThem(string file)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(GlassML.Tests.Fixtures.Path("csv", "pandas_expected.json")));
        var root = doc.RootElement;
        var t = FeatureTableCsv.Read(GlassML.Tests.Fixtures.Path("csv", file), "y");
        Assert.Equal(["c_pe", "q6, l=6", "the \"softness\""], t.Columns);
        Assert.Equal(root.GetProperty("id").EnumerateArray().Select(e => e.GetInt64()), t.Ids!);
        Assert.Equal(root.GetProperty("species").EnumerateArray().Select(e => e.GetString()!), t.Species!);
        var values = root.GetProperty("values");
        for (int c = 0; c < t.ColumnCount; c++)
        {
            var want = values.GetProperty(t.Columns[c]).EnumerateArray().Select(e => e.ValueKind == System.Text.Json.JsonValueKind.Null ? double.NaN : e.GetDouble()).ToArray();
            Assert.Equal(want, Enumerable.Range(0, t.Rows).Select(r => t[r, c]));
        }
        Assert.Equal(values.GetProperty("y").EnumerateArray().Select(e => e.GetDouble()), t.Labels!);
        Assert.True(double.IsNaN(t[2, 0])); // the empty cell pandas wrote for NaN
    }
}
