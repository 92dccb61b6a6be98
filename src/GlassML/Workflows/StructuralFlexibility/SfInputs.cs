using GlassML.Io;
using GlassML.Learning;
using GlassML.Structure;

namespace GlassML.Workflows.StructuralFlexibility;

/// <summary>Reading the inputs of the sf workflow: per-atom CSV columns matched by id, and training pairs (structure + vflex table).</summary>
public static class SfInputs
{
    /// <summary>
    /// One numeric column of a per-atom CSV (header row with an <c>id</c> column, e.g. the output of <c>vflex</c>,
    /// <c>strain</c>, <c>modes</c> or <c>sf apply</c>), aligned to the atoms of <paramref name="frame"/> by id.
    /// </summary>
    /// <exception cref="InputFormatException">No such column or no id column, or an atom of the frame is missing.</exception>
    public static double[] ReadColumn(string path, string column, Frame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (!File.Exists(path)) throw new InputFormatException(path, 0, "file not found");
        var t = FeatureTableCsv.Read(path);
        if (t.Ids is null) throw new InputFormatException(path, 1, "no 'id' column (per-atom values are matched by atom id)");
        int c = t.Columns.ToList().IndexOf(column);
        if (c < 0) throw new InputFormatException(path, 1, $"no column '{column}'; columns: {string.Join(", ", t.Columns)}");
        var at = new Dictionary<long, int>(t.Rows);
        for (int r = 0; r < t.Rows; r++)
            if (!at.TryAdd(t.Ids[r], r)) throw new InputFormatException(path, r + 2, $"atom id {t.Ids[r]} appears twice");
        var v = new double[frame.Count];
        for (int i = 0; i < frame.Count; i++)
        {
            if (!at.TryGetValue(frame.Ids[i], out int r)) throw new InputFormatException(path, 0, $"atom id {frame.Ids[i]} of the structure is missing");
            v[i] = t[r, c];
        }
        if (t.Rows != frame.Count) throw new InputFormatException(path, 0, $"{t.Rows} rows, but the structure has {frame.Count} atoms");
        return v;
    }

    /// <summary>Splits <c>FILE:COLUMN</c> at the last colon (a Windows drive letter stays with the file).</summary>
    /// <exception cref="ArgumentException">No column given.</exception>
    public static (string File, string Column) SplitFileColumn(string text, string option)
    {
        int k = text.LastIndexOf(':');
        if (k <= 1 || k == text.Length - 1) throw new ArgumentException($"{option}: '{text}' is not FILE:COLUMN");
        return (text[..k], text[(k + 1)..]);
    }

    /// <summary>
    /// A training sample: the structure (frame 0, atoms sorted by id) and ln v_flex from a <c>vflex</c> table (column
    /// <c>ln_v_flex</c>, else the natural log of <c>v_flex</c>).
    /// </summary>
    public static SfSample LoadSample(string structure, string vflexTable, ReadOptions? readOptions = null, string? group = null)
    {
        if (!File.Exists(structure)) throw new InputFormatException(structure, 0, "file not found");
        var frame = StructureReader.ReadFrame(structure, 0, readOptions);
        frame.SortById();
        if (!File.Exists(vflexTable)) throw new InputFormatException(vflexTable, 0, "file not found");
        var t = FeatureTableCsv.Read(vflexTable);
        double[] y;
        if (t.Columns.Contains("ln_v_flex")) y = ReadColumn(vflexTable, "ln_v_flex", frame);
        else if (t.Columns.Contains("v_flex")) y = ReadColumn(vflexTable, "v_flex", frame).Select(v => Math.Log(v)).ToArray();
        else throw new InputFormatException(vflexTable, 1, "no 'ln_v_flex' or 'v_flex' column (give the output of glassml vflex)");
        for (int i = 0; i < y.Length; i++)
            if (!double.IsFinite(y[i])) throw new InputFormatException(vflexTable, 0, $"atom id {frame.Ids[i]}: ln v_flex is not finite");
        string name = Path.GetFileName(structure);
        return new SfSample(name, group ?? structure, frame, y);
    }
}
