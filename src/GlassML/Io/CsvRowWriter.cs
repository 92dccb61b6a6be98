using System.Globalization;
using CsvHelper.Configuration;
using static GlassML.Io.WriterSupport;

namespace GlassML.Io;

/// <summary>
/// Writes CSV rows through CsvHelper's writer: text cells and header names are quoted when RFC 4180 needs it (commas,
/// quotes, line breaks, surrounding spaces), numbers are written as <see cref="WriterSupport.F"/> and
/// <see cref="WriterSupport.I"/> format them (never quoted), line ends are "\n". Every CSV writer of the library goes through this.
/// </summary>
internal sealed class CsvRowWriter : IDisposable
{
    private static readonly CsvConfiguration Config = new(CultureInfo.InvariantCulture) { NewLine = "\n" };
    private readonly CsvHelper.CsvWriter _w;

    /// <summary>Writes to <paramref name="text"/> (left open; flushed on dispose).</summary>
    public CsvRowWriter(TextWriter text) => _w = new CsvHelper.CsvWriter(text, Config, leaveOpen: true);

    /// <summary>A text cell, quoted when needed.</summary>
    public void Text(string value) => _w.WriteField(value);

    /// <summary>A number cell (shortest round-trip form; nan, inf, -inf).</summary>
    public void Number(double value) => _w.WriteField(F(value), false);

    /// <summary>An integer cell.</summary>
    public void Integer(long value) => _w.WriteField(I(value), false);

    /// <summary>A whole header or text row.</summary>
    public void Row(IEnumerable<string> cells)
    {
        foreach (var c in cells) Text(c);
        EndRow();
    }

    /// <summary>Ends the current row.</summary>
    public void EndRow() => _w.NextRecord();

    /// <inheritdoc />
    public void Dispose() => _w.Dispose();
}
