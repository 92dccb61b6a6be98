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
    public static void Write(string path, IEnumerable<(Frame Frame, PerAtomFeatures? Features)> frames) =>
        WriteText(path, w =>
        {
            foreach (var (frame, features) in frames) WriteFrame(w, frame, features);
        });

    private static void WriteFrame(TextWriter w, Frame f, PerAtomFeatures? features)
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
        var sb = new System.Text.StringBuilder(256);
        for (int i = 0; i < f.Count; i++)
        {
            sb.Clear();
            sb.Append(names[f.SpeciesIndex[i]]).Append(' ').Append(F(f.X[i])).Append(' ').Append(F(f.Y[i])).Append(' ').Append(F(f.Z[i]))
              .Append(' ').Append(I(f.Ids[i]));
            foreach (var (_, v) in cols) sb.Append(' ').Append(F(v(i)));
            sb.Append('\n');
            w.Write(sb);
        }
    }

    private static char T(bool b) => b ? 'T' : 'F';
}
