using System.Text;
using static GlassML.Io.WriterSupport;

namespace GlassML.Io;

/// <summary>
/// A small result table with named columns of numbers, integers or text (metrics, per-bin statistics, plot data,
/// per-atom indicators). Rows stay in the order added; writers never reorder them. Numbers are written in shortest
/// round-trip form, so a table written twice from the same values is byte-identical.
/// </summary>
public sealed class ResultTable
{
    private readonly List<(string Name, object Data)> _columns = [];

    /// <summary>Number of rows (all columns have this length).</summary>
    public int Rows { get; private set; } = -1;

    /// <summary>Column names in order.</summary>
    public IReadOnlyList<string> Columns => _columns.Select(c => c.Name).ToArray();

    /// <summary>Adds a numeric column.</summary>
    public ResultTable Add(string name, IReadOnlyList<double> values) => AddColumn(name, values.ToArray(), values.Count);

    /// <summary>Adds an integer column.</summary>
    public ResultTable Add(string name, IReadOnlyList<long> values) => AddColumn(name, values.ToArray(), values.Count);

    /// <summary>Adds an integer column.</summary>
    public ResultTable Add(string name, IReadOnlyList<int> values) => AddColumn(name, values.Select(v => (long)v).ToArray(), values.Count);

    /// <summary>Adds a text column.</summary>
    public ResultTable Add(string name, IReadOnlyList<string> values) => AddColumn(name, values.ToArray(), values.Count);

    private ResultTable AddColumn(string name, object data, int count)
    {
        CheckName(name, "CSV");
        if (_columns.Any(c => c.Name == name)) throw new ArgumentException($"column name '{name}' is used twice");
        if (Rows >= 0 && count != Rows) throw new ArgumentException($"column '{name}' has {count} rows, the table {Rows}");
        Rows = count;
        _columns.Add((name, data));
        return this;
    }

    /// <summary>The numeric values of a column (integers converted).</summary>
    /// <exception cref="KeyNotFoundException">No such column, or it holds text.</exception>
    public double[] Numbers(string name) => Find(name) switch
    {
        double[] d => d,
        long[] l => l.Select(v => (double)v).ToArray(),
        _ => throw new KeyNotFoundException($"column '{name}' is not numeric"),
    };

    /// <summary>The text of one cell as it is written.</summary>
    public string Cell(int row, int col) => _columns[col].Data switch
    {
        double[] d => F(d[row]),
        long[] l => I(l[row]),
        string[] s => Quote(s[row]),
        _ => throw new InvalidOperationException(),
    };

    private object Find(string name)
    {
        foreach (var (n, d) in _columns) if (n == name) return d;
        throw new KeyNotFoundException($"no column '{name}'");
    }

    /// <summary>True when the table has a column of that name.</summary>
    public bool Has(string name) => _columns.Any(c => c.Name == name);

    /// <summary>Writes the table as CSV (header row, "\n" line ends; gzip when the path ends with ".gz"), atomically.</summary>
    public void WriteCsv(string path) => WriteText(path, WriteCsv);

    /// <summary>Writes the table as CSV to a text writer (text cells quoted when RFC 4180 needs it).</summary>
    public void WriteCsv(TextWriter text)
    {
        using var w = new CsvRowWriter(text);
        w.Row(_columns.Select(c => c.Name));
        for (int r = 0; r < Math.Max(Rows, 0); r++)
        {
            foreach (var (_, data) in _columns)
            {
                switch (data)
                {
                    case double[] d: w.Number(d[r]); break;
                    case long[] l: w.Integer(l[r]); break;
                    case string[] s: w.Text(s[r]); break;
                }
            }
            w.EndRow();
        }
    }

    private static string Quote(string s) =>
        s.AsSpan().IndexOfAny(",\"\n\r") < 0 ? s : "\"" + s.Replace("\"", "\"\"") + "\"";
}
