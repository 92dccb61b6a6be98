using GlassML.Descriptors;
using GlassML.Structure;
using static GlassML.Io.WriterSupport;

namespace GlassML.Io;

/// <summary>
/// Writes extended XYZ (ASE / OVITO readable), atomically (temp file + rename; gzip when the path ends with ".gz").
/// Per frame: the atom count, then
/// <c>Lattice="ax ay az bx by bz cx cy cz" Origin="ox oy oz" Properties=species:S:1:pos:R:3:id:I:1:NAME:R:1... pbc="T T T" Timestep=N</c>,
/// then one line per atom in frame order: species name, x y z (Å), id, then every <see cref="Frame.Columns"/> entry and
/// every feature column (R:1 each). Numbers use the shortest round-trip form. If the positions are unwrapped, they are
/// written as they are. Column names must not contain whitespace, quotes, commas, ':' or '='.
/// </summary>
public static class ExtendedXyzWriter
{
    /// <summary>Writes one frame with optional per-atom features (atoms in frame order).</summary>
    /// <exception cref="ArgumentException">Feature block of another size, or a clashing/invalid column name.</exception>
    public static void Write(string path, Frame frame, PerAtomFeatures? extra = null) =>
        Write(path, [(frame, extra)]);

    /// <summary>Writes frames (each with its own <see cref="Frame.Columns"/>), streaming.</summary>
    public static void Write(string path, IEnumerable<Frame> frames) =>
        Write(path, frames.Select(f => (f, (PerAtomFeatures?)null)));

    /// <summary>Writes frames each with an optional feature block, streaming (one frame in memory at a time).</summary>
    public static void Write(string path, IEnumerable<(Frame Frame, PerAtomFeatures? Features)> frames) => Write(path, frames, threads: 1);

    /// <summary>
    /// As <see cref="Write(string, IEnumerable{ValueTuple{Frame, PerAtomFeatures}})"/>, the atom lines formatted on up to
    /// <paramref name="threads"/> threads (0 = all cores): the same text for any count.
    /// </summary>
    public static void Write(string path, IEnumerable<(Frame Frame, PerAtomFeatures? Features)> frames, int threads) =>
        WriteText(path, w =>
        {
            foreach (var (frame, features) in frames) WriteFrame(w, frame, features, threads);
        });

    private static void WriteFrame(TextWriter w, Frame f, PerAtomFeatures? features, int threads)
    {
        CheckFeatures(f, features);
        var cols = ExtraColumns(f, features, ["species", "pos", "id"], "extended XYZ");
        var b = f.Box;
        w.Write(I(f.Count)); w.Write('\n');
        w.Write($"Lattice=\"{F(b.A.X)} {F(b.A.Y)} {F(b.A.Z)} {F(b.B.X)} {F(b.B.Y)} {F(b.B.Z)} {F(b.C.X)} {F(b.C.Y)} {F(b.C.Z)}\"");
        w.Write($" Origin=\"{F(b.Origin.X)} {F(b.Origin.Y)} {F(b.Origin.Z)}\"");
        w.Write(" Properties=species:S:1:pos:R:3:id:I:1");
        foreach (var (name, _) in cols) { w.Write(':'); w.Write(name); w.Write(":R:1"); }
        w.Write($" pbc=\"{T(b.Periodic[0])} {T(b.Periodic[1])} {T(b.Periodic[2])}\" Timestep={I(f.Timestep)}\n");
        var names = f.Species.All.Select(s => s.Name).ToArray();
        foreach (var nm in names)
            if (nm.Length == 0 || nm.Any(char.IsWhiteSpace)) throw new ArgumentException($"species name '{nm}' cannot be written to extended XYZ");
        // an atom's line: species x y z id columns… (TextRows: the numbers staged here in frame order, formatted on the threads)
        int width = 3 + cols.Count;
        long maxRow = (long)width * (TextRows.MaxNumber + 1) + (names.Length == 0 ? 0 : names.Max(n => n.Length)) + TextRows.MaxInteger + 2;
        var x = f.X; var y = f.Y; var z = f.Z; var ids = f.Ids; var sp = f.SpeciesIndex;
        TextRows.Write(w, f.Count, width, maxRow,
            (i, v) =>
            {
                v[0] = x[i]; v[1] = y[i]; v[2] = z[i];
                for (int c = 0; c < cols.Count; c++) v[3 + c] = cols[c].Value(i);
            },
            (i, v, d) =>
            {
                int p = TextRows.Text(d, names[sp[i]]);
                p += TextRows.Numbers(d[p..], v[..3], ' ');
                d[p++] = ' ';
                p += TextRows.Integer(d[p..], ids[i]);
                p += TextRows.Numbers(d[p..], v[3..], ' ');
                d[p++] = '\n';
                return p;
            },
            threads);
    }

    private static char T(bool b) => b ? 'T' : 'F';
}
