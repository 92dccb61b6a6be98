using System.Globalization;
using System.Text;
using GlassML.Structure;

namespace GlassML.Io;

/// <summary>
/// Streams frames from an extended XYZ file (ASE / OVITO conventions; plain or gzip), one frame in memory at a time.
/// <para>
/// Each frame: an atom-count line, a comment line of <c>key=value</c> pairs (values may be double-quoted, with
/// <c>\"</c> escapes, or in braces), then one line per atom. Recognised keys (case-insensitive):
/// <c>Lattice="ax ay az bx by bz cx cy cz"</c> (lattice vectors a, b, c in Å), <c>Origin="x y z"</c> (OVITO; default 0),
/// <c>pbc="T T T"</c> (default T T T when a lattice is given), <c>Properties=name:type:width:...</c> (default
/// <c>species:S:1:pos:R:3</c>) and <c>Timestep</c>. Without a lattice the box is non-periodic and spans the atoms'
/// bounding box enlarged by 0.5 Å on each side.
/// </para>
/// <para>
/// Properties: <c>species</c> (S; an integer is taken as a LAMMPS type mapped by <see cref="ReadOptions.TypeNames"/>, any
/// other label names the species: an element symbol, ASE's dummy <c>X</c>, Kob–Andersen <c>A</c>/<c>B</c>, …), or <c>Z</c> (I; atomic numbers) when no species
/// column exists; <c>pos</c> (R:3; required, finite); <c>id</c> (I:1; missing → 1..N). Every other R, I or L (T/F → 1/0)
/// property becomes a <see cref="Frame.Columns"/> entry: width 1 keeps its name, width w &gt; 1 gives
/// <c>name_0</c> … <c>name_{w−1}</c>. Other string (S) properties are skipped.
/// </para>
/// </summary>
public sealed class ExtendedXyzReader : IDisposable
{
    private readonly LineSource _src;
    private readonly SpeciesResolver _species;
    private bool _done;

    /// <summary>Opens a file. <paramref name="options"/> maps integer species labels (LAMMPS types) to names.</summary>
    public ExtendedXyzReader(string path, ReadOptions? options = null)
    {
        _src = new LineSource(path);
        _species = new SpeciesResolver(options);
    }

    /// <summary>The species table shared by every frame this reader returns.</summary>
    public SpeciesTable Species => _species.Table;

    /// <summary>Reads the next frame, or returns null at the end of the file.</summary>
    public Frame? ReadNext()
    {
        if (_done) return null;
        FrameGarbage.Collect();   // the previous frame's work is garbage by now (memory independent of the number of frames)
        return Read(true, out _);
    }

    /// <summary>Skips the next frame without parsing its atoms; false at the end of the file.</summary>
    public bool SkipNext()
    {
        if (_done) return false;
        Read(false, out bool got);
        return got;
    }

    /// <summary>All remaining frames, read lazily.</summary>
    public IEnumerable<Frame> Frames()
    {
        while (ReadNext() is Frame f) yield return f;
    }

    /// <inheritdoc/>
    public void Dispose() => _src.Dispose();

    /// <summary>Most columns an atom line may declare (a hostile Properties width must not size huge arrays).</summary>
    internal const int MaxFields = 100_000;

    private enum Role { Skip, Species, Z, Pos, Id, Column }

    private sealed record Prop(string Name, char Type, int Width);

    private Frame? Read(bool parse, out bool got)
    {
        got = false;
        var src = _src;
        string? countLine = src.PeekNonBlank();
        if (countLine is null) { _done = true; return null; }
        src.ReadLine();
        var cf = LineSource.Fields(countLine);
        if (cf.Length != 1 || !long.TryParse(cf[0], NumberStyles.None, CultureInfo.InvariantCulture, out long nl) || nl > int.MaxValue)
            throw src.Error($"expected the number of atoms, found '{(countLine.Length > 60 ? countLine[..60] : countLine)}'");
        int n = (int)nl;
        long countLineNo = src.LineNumber;
        string? comment = src.ReadLine();
        if (comment is null) throw src.Error(src.LineNumber + 1, "file ends before the comment line (truncated)");
        long commentLine = src.LineNumber;
        got = true;
        if (!parse)
        {
            for (int i = 0; i < n; i++)
                if (src.ReadLine() is null) throw src.Error(src.LineNumber + 1, $"file ends after {i} of {n} atoms (truncated)");
            return null;
        }

        var info = ParseComment(comment, src);
        string? Get(string key) => info.FirstOrDefault(kv => string.Equals(kv.Key, key, StringComparison.OrdinalIgnoreCase)).Value;

        // properties
        var props = new List<Prop>();
        string propText = Get("Properties") ?? "species:S:1:pos:R:3";
        var parts = propText.Split(':');
        if (parts.Length % 3 != 0) throw src.Error($"Properties '{propText}' is not a list of name:type:width triples");
        for (int k = 0; k < parts.Length; k += 3)
        {
            string pt = parts[k + 1].ToUpperInvariant();
            if (pt.Length != 1 || "SRIL".IndexOf(pt[0]) < 0) throw src.Error($"property '{parts[k]}' has type '{parts[k + 1]}' (expected S, R, I or L)");
            if (!int.TryParse(parts[k + 2], NumberStyles.None, CultureInfo.InvariantCulture, out int w) || w < 1)
                throw src.Error($"property '{parts[k]}' has width '{parts[k + 2]}' (expected a positive integer)");
            props.Add(new Prop(parts[k], pt[0], w));
            if (props.Sum(q => (long)q.Width) > MaxFields) throw src.Error($"Properties '{(propText.Length > 60 ? propText[..60] + "…" : propText)}' declare more than {MaxFields} columns");
        }
        var roles = new Role[props.Count];
        bool hasSpecies = props.Any(p => p.Name == "species" && p.Type == 'S' && p.Width == 1);
        int nfields = 0;
        var colNames = new List<string>();
        var colStart = new int[props.Count];
        for (int k = 0; k < props.Count; k++)
        {
            var p = props[k];
            colStart[k] = colNames.Count;
            nfields += p.Width;
            if (p.Name == "species" && p.Type == 'S' && p.Width == 1) roles[k] = Role.Species;
            else if (p.Name == "Z" && p.Type == 'I' && p.Width == 1 && !hasSpecies) roles[k] = Role.Z;
            else if (p.Name == "pos" && p.Type == 'R' && p.Width == 3) roles[k] = Role.Pos;
            else if (p.Name == "id" && p.Type == 'I' && p.Width == 1) roles[k] = Role.Id;
            else if (p.Type == 'S') roles[k] = Role.Skip;
            else
            {
                roles[k] = Role.Column;
                if (p.Width == 1) colNames.Add(p.Name);
                else for (int j = 0; j < p.Width; j++) colNames.Add($"{p.Name}_{j}");
            }
        }
        if (!roles.Contains(Role.Pos)) throw src.Error("Properties has no pos:R:3 column");
        if (!roles.Contains(Role.Species) && !roles.Contains(Role.Z)) throw src.Error("Properties has no species:S:1 (or Z:I:1) column");
        if (colNames.Distinct(StringComparer.Ordinal).Count() != colNames.Count) throw src.Error("Properties names a column twice");

        // the count line is not trusted for allocation: start small and grow as atom lines arrive
        int cap = GrowingArrays.InitialCapacity(n, colNames.Count + 6);
        var ids = new long[cap];
        var sp = new int[cap];
        double[] x = new double[cap], y = new double[cap], z = new double[cap];
        var cols = new double[colNames.Count][];
        for (int c = 0; c < cols.Length; c++) cols[c] = new double[cap];
        void Resize(int count, bool trim)
        {
            static void R<T>(ref T[] a, int count, bool trim) { if (trim) a = GrowingArrays.Trim(a, count); else GrowingArrays.Ensure(ref a, count); }
            R(ref ids, count, trim); R(ref sp, count, trim); R(ref x, count, trim); R(ref y, count, trim); R(ref z, count, trim);
            for (int c = 0; c < cols.Length; c++) R(ref cols[c], count, trim);
        }
        bool haveIds = roles.Contains(Role.Id);
        Span<Range> r = nfields < 256 ? stackalloc Range[nfields + 1] : new Range[nfields + 1];
        long first = src.LineNumber + 1;
        for (int i = 0; i < n; i++)
        {
            string? line = src.ReadLine();
            if (line is null) throw src.Error(src.LineNumber + 1, $"file ends after {i} of {n} atoms (truncated)");
            var span = line.AsSpan();
            int nf = LineSource.Split(span, r);
            if (nf != nfields)
                throw src.Error(nf == 1 && i > 0
                    ? $"expected {n} atom lines (count on line {countLineNo}), found {i}"
                    : $"expected {nfields} fields ({propText}), found {nf}");
            if (i >= ids.Length) Resize(i + 1, false);
            ids[i] = i + 1;
            int fi = 0;
            for (int k = 0; k < props.Count; k++)
            {
                var p = props[k];
                switch (roles[k])
                {
                    case Role.Species: sp[i] = _species.ForLabel(span[r[fi]], src, src.LineNumber); break;
                    case Role.Z:
                    {
                        int zz = src.ParseInt(span[r[fi]], "atomic number Z");
                        if (zz < 1 || zz > 118) throw src.Error($"atomic number {zz} out of range 1..118");
                        sp[i] = _species.ForName(Elements.Symbol(zz), src, src.LineNumber);
                        break;
                    }
                    case Role.Pos:
                        x[i] = Coordinate(span[r[fi]], "x"); y[i] = Coordinate(span[r[fi + 1]], "y"); z[i] = Coordinate(span[r[fi + 2]], "z");
                        break;
                    case Role.Id: ids[i] = src.ParseLong(span[r[fi]], "property 'id'"); break;
                    case Role.Column:
                        for (int j = 0; j < p.Width; j++)
                        {
                            var f = span[r[fi + j]];
                            double v;
                            if (p.Type == 'L') v = Logical(f, p.Name);
                            else if (!LineSource.TryDouble(f, out v)) throw src.Error($"property '{p.Name}': '{f.ToString()}' is not a number");
                            cols[colStart[k] + j][i] = v;
                        }
                        break;
                }
                fi += p.Width;
            }
        }
        Resize(n, true);
        if (haveIds) LammpsDumpReader.CheckUniqueIds(ids, src, first);

        // box
        bool[] pbc = [true, true, true];
        string? pbcText = Get("pbc");
        string? lattice = Get("Lattice");
        if (pbcText is not null)
        {
            var w = LineSource.Fields(pbcText);
            if (w.Length != 3) throw src.Error(commentLine, $"pbc '{pbcText}' needs three flags");
            for (int k = 0; k < 3; k++) pbc[k] = ParseBool(w[k], commentLine, "pbc");
        }
        Box box;
        if (lattice is not null)
        {
            var w = LineSource.Fields(lattice);
            if (w.Length != 9) throw src.Error(commentLine, $"Lattice needs 9 numbers, found {w.Length}");
            var v = new double[9];
            for (int k = 0; k < 9; k++)
                if (!LineSource.TryDouble(w[k], out v[k]) || !double.IsFinite(v[k])) throw src.Error(commentLine, $"Lattice: '{w[k]}' is not a finite number");
            Vec3 o = Vec3.Zero;
            if (Get("Origin") is string os)
            {
                var ow = LineSource.Fields(os);
                if (ow.Length != 3) throw src.Error(commentLine, "Origin needs 3 numbers");
                var ov = new double[3];
                for (int k = 0; k < 3; k++)
                    if (!LineSource.TryDouble(ow[k], out ov[k]) || !double.IsFinite(ov[k])) throw src.Error(commentLine, $"Origin: '{ow[k]}' is not a finite number");
                o = new Vec3(ov[0], ov[1], ov[2]);
            }
            try { box = new Box(o, new Vec3(v[0], v[1], v[2]), new Vec3(v[3], v[4], v[5]), new Vec3(v[6], v[7], v[8]), pbc[0], pbc[1], pbc[2]); }
            catch (ArgumentException e) { throw src.Error(commentLine, $"invalid Lattice: {e.Message}"); }
        }
        else
        {
            if (pbcText is not null && pbc.Any(b => b)) throw src.Error(commentLine, "pbc has periodic axes but there is no Lattice");
            double[] lo = [double.MaxValue, double.MaxValue, double.MaxValue], hi = [double.MinValue, double.MinValue, double.MinValue];
            for (int i = 0; i < n; i++)
            {
                lo[0] = Math.Min(lo[0], x[i]); hi[0] = Math.Max(hi[0], x[i]);
                lo[1] = Math.Min(lo[1], y[i]); hi[1] = Math.Max(hi[1], y[i]);
                lo[2] = Math.Min(lo[2], z[i]); hi[2] = Math.Max(hi[2], z[i]);
            }
            if (n == 0) { lo = [0, 0, 0]; hi = [0, 0, 0]; }
            box = new Box(new Vec3(lo[0] - 0.5, lo[1] - 0.5, lo[2] - 0.5), new Vec3(hi[0] - lo[0] + 1, 0, 0),
                new Vec3(0, hi[1] - lo[1] + 1, 0), new Vec3(0, 0, hi[2] - lo[2] + 1), false, false, false);
        }
        long timestep = 0;
        if (Get("Timestep") is string ts)
        {
            if (!long.TryParse(ts, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out timestep))
                throw src.Error(commentLine, $"Timestep '{ts}' is not an integer");
        }
        var frame = new Frame(box, _species.Table, ids, sp, x, y, z, timestep);
        for (int c = 0; c < cols.Length; c++) frame.Columns[colNames[c]] = cols[c];
        return frame;
    }

    private double Coordinate(ReadOnlySpan<char> f, string axis)
    {
        if (!LineSource.TryDouble(f, out double v)) throw _src.Error($"{axis} coordinate: '{f.ToString()}' is not a number");
        if (!double.IsFinite(v)) throw _src.Error($"{axis} coordinate {f.ToString()} is not finite");
        return v;
    }

    private double Logical(ReadOnlySpan<char> f, string name)
    {
        if (f is "T" or "True" or "true" or "1") return 1;
        if (f is "F" or "False" or "false" or "0") return 0;
        throw _src.Error($"property '{name}': '{f.ToString()}' is not a logical (T/F)");
    }

    private bool ParseBool(string w, long line, string what) => w switch
    {
        "T" or "True" or "true" or "1" => true,
        "F" or "False" or "false" or "0" => false,
        _ => throw _src.Error(line, $"{what}: '{w}' is not T or F"),
    };

    /// <summary>Parses <c>key=value</c> pairs; values quoted with "…" (backslash escapes) or {…}; bare keys → "T".</summary>
    internal static List<KeyValuePair<string, string>> ParseComment(string s, LineSource src)
    {
        var list = new List<KeyValuePair<string, string>>();
        int i = 0, n = s.Length;
        while (true)
        {
            while (i < n && char.IsWhiteSpace(s[i])) i++;
            if (i >= n) break;
            int k0 = i;
            while (i < n && s[i] != '=' && !char.IsWhiteSpace(s[i])) i++;
            string key = s[k0..i];
            int j = i;
            while (j < n && char.IsWhiteSpace(s[j])) j++;
            if (j >= n || s[j] != '=') { list.Add(new(key, "T")); continue; }
            i = j + 1;
            while (i < n && char.IsWhiteSpace(s[i])) i++;
            var v = new StringBuilder();
            if (i < n && s[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= n) throw src.Error($"unterminated quoted value of '{key}'");
                    char c = s[i++];
                    if (c == '\\' && i < n) { v.Append(s[i++]); continue; }
                    if (c == '"') break;
                    v.Append(c);
                }
            }
            else if (i < n && s[i] == '{')
            {
                int e = s.IndexOf('}', i);
                if (e < 0) throw src.Error($"unterminated {{...}} value of '{key}'");
                v.Append(s, i + 1, e - i - 1);
                i = e + 1;
            }
            else
            {
                while (i < n && !char.IsWhiteSpace(s[i])) v.Append(s[i++]);
            }
            list.Add(new(key, v.ToString()));
        }
        return list;
    }
}
