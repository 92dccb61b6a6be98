using GlassML.Descriptors;
using GlassML.Structure;
using static GlassML.Io.WriterSupport;

namespace GlassML.Io;

/// <summary>
/// Writes LAMMPS text dumps (readable by LAMMPS <c>read_dump</c>, OVITO and ASE), atomically (temp file + rename;
/// gzip when the path ends with ".gz"). Per frame: <c>ITEM: TIMESTEP</c>, <c>ITEM: NUMBER OF ATOMS</c>,
/// <c>ITEM: BOX BOUNDS</c> (orthogonal: <c>pp pp pp</c> and lo hi; triclinic: <c>xy xz yz pp pp pp</c> with
/// bounding-box bounds xlo_bound = xlo + min(0, xy, xz, xy+xz), xhi_bound = xhi + max(0, xy, xz, xy+xz),
/// ylo_bound = ylo + min(0, yz), yhi_bound = yhi + max(0, yz); <c>ff</c> for a non-periodic axis), then
/// <c>ITEM: ATOMS id type [element] x y z [ix iy iz] COLUMNS...</c> in frame order.
/// <para>
/// type = species index + 1 (equals the LAMMPS type when the frame was read with a type map or from a file with types
/// 1..n); <c>element</c> is written when every species has a name of its own (an element symbol or another label such as A, B;
/// not a bare type number). Unwrapped frames are written as
/// <c>xu yu zu</c>. Extra columns: every <see cref="Frame.Columns"/> entry, then the features. A cell not in LAMMPS form
/// (a along x, b in the xy plane) is rotated into it, and the positions with it.
/// </para>
/// </summary>
public static class LammpsDumpWriter
{
    /// <summary>Writes one frame with optional per-atom features.</summary>
    /// <exception cref="ArgumentException">Feature block of another size, or a clashing/invalid column name.</exception>
    public static void Write(string path, Frame frame, PerAtomFeatures? extra = null) => Write(path, [(frame, extra)]);

    /// <summary>Writes frames, streaming.</summary>
    public static void Write(string path, IEnumerable<Frame> frames) =>
        Write(path, frames.Select(f => (f, (PerAtomFeatures?)null)));

    /// <summary>Writes frames each with an optional feature block, streaming.</summary>
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

    /// <summary>
    /// The same cell in LAMMPS form (a = (ax,0,0), b = (bx,by,0), c = (cx,cy,cz), same origin, lengths and angles),
    /// and the rotation applied to points: r' = origin + H'·H⁻¹·(r − origin).
    /// </summary>
    public static (Box Box, Func<Vec3, Vec3> Map) ToLammpsForm(Box b)
    {
        if (b.IsLammpsForm) return (b, r => r);
        double ax = b.A.Length;
        var ah = b.A * (1 / ax);
        double bx = Vec3.Dot(b.B, ah), by = Vec3.Cross(ah, b.B).Length;
        double cx = Vec3.Dot(b.C, ah), cy = (Vec3.Dot(b.B, b.C) - bx * cx) / by;
        double cz = Math.Sqrt(Math.Max(0, b.C.LengthSquared - cx * cx - cy * cy));
        var nb = new Box(b.Origin, new Vec3(ax, 0, 0), new Vec3(bx, by, 0), new Vec3(cx, cy, cz), b.Periodic[0], b.Periodic[1], b.Periodic[2]);
        return (nb, r => nb.ToCartesian(b.ToFractional(r)));
    }

    private static void WriteFrame(TextWriter w, Frame f, PerAtomFeatures? features, int threads)
    {
        CheckFeatures(f, features);
        bool img = f.Images is not null;
        bool el = AllNamed(f.Species);
        var reserved = new List<string> { "id", "type", "element", "x", "y", "z", "xu", "yu", "zu", "xs", "ys", "zs", "xsu", "ysu", "zsu" };
        if (img) reserved.AddRange(["ix", "iy", "iz"]);
        var cols = ExtraColumns(f, features, reserved, "a LAMMPS dump");
        var (box, map) = ToLammpsForm(f.Box);
        var o = box.Origin;
        double lx = box.A.X, ly = box.B.Y, lz = box.C.Z, xy = box.B.X, xz = box.C.X, yz = box.C.Y;
        string pf(int k) => box.Periodic[k] ? "pp" : "ff";
        w.Write($"ITEM: TIMESTEP\n{I(f.Timestep)}\nITEM: NUMBER OF ATOMS\n{I(f.Count)}\n");
        if (box.IsOrthogonal)
        {
            w.Write($"ITEM: BOX BOUNDS {pf(0)} {pf(1)} {pf(2)}\n");
            w.Write($"{F(o.X)} {F(o.X + lx)}\n{F(o.Y)} {F(o.Y + ly)}\n{F(o.Z)} {F(o.Z + lz)}\n");
        }
        else
        {
            double xlo = o.X, xhi = o.X + lx, ylo = o.Y, yhi = o.Y + ly;
            double xloB = xlo + Math.Min(Math.Min(0.0, xy), Math.Min(xz, xy + xz));
            double xhiB = xhi + Math.Max(Math.Max(0.0, xy), Math.Max(xz, xy + xz));
            double yloB = ylo + Math.Min(0.0, yz), yhiB = yhi + Math.Max(0.0, yz);
            w.Write($"ITEM: BOX BOUNDS xy xz yz {pf(0)} {pf(1)} {pf(2)}\n");
            w.Write($"{F(xloB)} {F(xhiB)} {F(xy)}\n{F(yloB)} {F(yhiB)} {F(xz)}\n{F(o.Z)} {F(o.Z + lz)} {F(yz)}\n");
        }
        w.Write("ITEM: ATOMS id type");
        if (el) w.Write(" element");
        w.Write(f.PositionsUnwrapped ? " xu yu zu" : " x y z");
        if (img) w.Write(" ix iy iz");
        foreach (var (name, _) in cols) { w.Write(' '); w.Write(name); }
        w.Write('\n');
        var names = f.Species.All.Select(s => s.Name).ToArray();
        // an atom's line: id type [element] x y z [ix iy iz] columns… (TextRows: the numbers staged here in frame order,
        // formatted on the threads)
        int width = 3 + cols.Count;
        long maxRow = (long)width * (TextRows.MaxNumber + 1) + 5 * (TextRows.MaxInteger + 1) + (names.Length == 0 ? 0 : names.Max(n => n.Length)) + 2;
        var ids = f.Ids; var sp = f.SpeciesIndex; var images = f.Images;
        TextRows.Write(w, f.Count, width, maxRow,
            (i, v) =>
            {
                var r = map(f.Position(i));
                v[0] = r.X; v[1] = r.Y; v[2] = r.Z;
                for (int c = 0; c < cols.Count; c++) v[3 + c] = cols[c].Value(i);
            },
            (i, v, d) =>
            {
                int s = sp[i];
                int p = TextRows.Integer(d, ids[i]);
                d[p++] = ' ';
                p += TextRows.Integer(d[p..], s + 1);
                if (el) { d[p++] = ' '; p += TextRows.Text(d[p..], names[s]); }
                p += TextRows.Numbers(d[p..], v[..3], ' ');
                if (images is not null)
                    for (int a = 0; a < 3; a++) { d[p++] = ' '; p += TextRows.Integer(d[p..], images[a][i]); }
                p += TextRows.Numbers(d[p..], v[3..], ' ');
                d[p++] = '\n';
                return p;
            },
            threads);
    }
}
