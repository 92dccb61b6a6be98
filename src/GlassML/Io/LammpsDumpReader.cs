using GlassML.Structure;

namespace GlassML.Io;

/// <summary>
/// Streams frames from a LAMMPS text dump (plain or gzip, detected by magic bytes), one frame in memory at a time.
/// <para>
/// Understood: <c>ITEM: TIMESTEP</c>, <c>ITEM: NUMBER OF ATOMS</c>, <c>ITEM: BOX BOUNDS</c> (orthogonal, or
/// triclinic <c>xy xz yz</c> with bounding-box bounds converted by <see cref="Box.FromLammpsBounding"/>; boundary
/// flags: <c>pp</c> = periodic, anything else = not periodic along that axis), <c>ITEM: ATOMS</c> with any column
/// order. Other items (UNITS, TIME, ...) are skipped.
/// </para>
/// <para>
/// Columns: <c>id</c> (missing → 1..N in file order), <c>type</c> (mapped by <see cref="ReadOptions.TypeNames"/>),
/// <c>element</c> (any species label, e.g. Cu or A; when present the type column is ignored), coordinates as x y z, xs ys zs
/// (scaled: r = origin + H·s, tilt included), xu yu zu (unwrapped, sets <see cref="Frame.PositionsUnwrapped"/>)
/// or xsu ysu zsu; when several kinds are present the first complete one of x &gt; xs &gt; xu &gt; xsu gives the
/// positions and the others are kept as extra columns. <c>ix iy iz</c> → <see cref="Frame.Images"/>. Every other
/// column is kept by name in <see cref="Frame.Columns"/> (file order). Atoms keep file order.
/// </para>
/// <para>
/// Species: one <see cref="SpeciesTable"/> per reader, shared by all its frames. With a type map its species are
/// registered up front in increasing type order; otherwise new types are registered in increasing order as frames
/// introduce them (types 1..n present in the first frame give species index = type − 1).
/// </para>
/// <para>Errors (truncation, wrong atom count, non-numeric or non-finite coordinates, bad box, duplicate ids,
/// unusable species labels) raise <see cref="InputFormatException"/> with the 1-based line.</para>
/// </summary>
public sealed class LammpsDumpReader : IDisposable
{
    private readonly LineSource _src;
    private readonly SpeciesResolver _species;
    private bool _done;

    /// <summary>Opens a dump file. <paramref name="options"/> supplies the type → species map.</summary>
    public LammpsDumpReader(string path, ReadOptions? options = null)
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
        return ReadFrame(parse: true, out _);
    }

    /// <summary>Skips the next frame without parsing its atoms; false at the end of the file.</summary>
    public bool SkipNext()
    {
        if (_done) return false;
        ReadFrame(parse: false, out bool got);
        return got;
    }

    /// <summary>All remaining frames, read lazily.</summary>
    public IEnumerable<Frame> Frames()
    {
        while (ReadNext() is Frame f) yield return f;
    }

    /// <inheritdoc/>
    public void Dispose() => _src.Dispose();

    private enum Kind { Skip, Id, Type, Element, Pos, Image, Extra }

    private Frame? ReadFrame(bool parse, out bool got)
    {
        got = false;
        var src = _src;
        long timestep = 0;
        long natoms = -1;
        Box? box = null;
        bool any = false;
        while (true)
        {
            string? line = src.PeekNonBlank();
            if (line is null)
            {
                if (!any) { _done = true; return null; }
                throw src.Error(src.LineNumber + 1, "file ends inside a frame header (truncated)");
            }
            src.ReadLine();
            if (!line.StartsWith("ITEM:", StringComparison.Ordinal))
                throw src.Error(any ? $"expected an 'ITEM:' line, found '{Short(line)}'" : $"not a LAMMPS dump: expected 'ITEM: TIMESTEP', found '{Short(line)}'");
            any = true;
            long itemLine = src.LineNumber;
            string item = line.Substring(5).Trim();
            if (item == "TIMESTEP")
            {
                var v = NextDataLine("TIMESTEP value");
                var f = LineSource.Fields(v);
                if (f.Length < 1) throw src.Error("missing timestep value");
                timestep = src.ParseLong(f[0], "timestep");
            }
            else if (item == "NUMBER OF ATOMS")
            {
                var v = NextDataLine("NUMBER OF ATOMS value");
                var f = LineSource.Fields(v);
                if (f.Length < 1) throw src.Error("missing number of atoms");
                natoms = src.ParseLong(f[0], "number of atoms");
                if (natoms < 0 || natoms > int.MaxValue) throw src.Error($"number of atoms {natoms} out of range");
            }
            else if (item.StartsWith("BOX BOUNDS", StringComparison.Ordinal))
            {
                box = ReadBox(item.Substring(10).Trim(), itemLine);
            }
            else if (item.StartsWith("ATOMS", StringComparison.Ordinal))
            {
                if (natoms < 0) throw src.Error("ITEM: ATOMS before ITEM: NUMBER OF ATOMS");
                if (box is null) throw src.Error("ITEM: ATOMS before ITEM: BOX BOUNDS");
                got = true;
                if (!parse) { SkipAtoms((int)natoms); return null; }
                return ReadAtoms(item.Substring(5).Trim(), (int)natoms, box, timestep);
            }
            else
            {
                // unknown item (UNITS, TIME, ...): skip its value lines
                while (src.Peek() is string p && !p.StartsWith("ITEM:", StringComparison.Ordinal)) src.ReadLine();
            }
        }
    }

    private static string Short(string s) => s.Length > 60 ? s[..60] + "..." : s;

    private string NextDataLine(string what)
    {
        string? l = _src.ReadLine();
        if (l is null) throw _src.Error(_src.LineNumber + 1, $"file ends before the {what} (truncated)");
        if (l.StartsWith("ITEM:", StringComparison.Ordinal)) throw _src.Error($"expected the {what}, found '{Short(l)}'");
        return l;
    }

    private Box ReadBox(string rest, long itemLine)
    {
        var src = _src;
        var words = LineSource.Fields(rest);
        bool tilt = false;
        var flags = new List<string>();
        foreach (var w in words)
        {
            if (w is "xy" or "xz" or "yz") tilt = true;
            else if (w is "abc" or "origin") throw src.Error(itemLine, "general triclinic dumps (BOX BOUNDS abc origin) are not supported; use LAMMPS restricted triclinic output");
            else flags.Add(w);
        }
        if (flags.Count != 0 && flags.Count != 3) throw src.Error(itemLine, $"expected 3 boundary flags (e.g. pp pp pp), found {flags.Count}");
        bool[] per = new bool[3];
        foreach (var fl in flags)
            if (fl.Length != 2 || "pfsm".IndexOf(fl[0]) < 0 || "pfsm".IndexOf(fl[1]) < 0)
                throw src.Error(itemLine, $"boundary flag '{Short(fl)}' is not two of p, f, s, m (e.g. pp)");
        for (int k = 0; k < 3; k++) per[k] = flags.Count == 0 || flags[k] == "pp";
        var lo = new double[3]; var hi = new double[3]; var t = new double[3];
        string[] axis = ["x", "y", "z"];
        string[] tiltName = ["xy", "xz", "yz"];
        for (int k = 0; k < 3; k++)
        {
            var l = NextDataLine($"{axis[k]} box bounds");
            var f = LineSource.Fields(l);
            int need = tilt ? 3 : 2;
            if (f.Length < need) throw src.Error($"box bounds line needs {need} numbers, found {f.Length}");
            lo[k] = src.ParseFinite(f[0], $"{axis[k]}lo");
            hi[k] = src.ParseFinite(f[1], $"{axis[k]}hi");
            if (tilt) t[k] = src.ParseFinite(f[2], tiltName[k]);
        }
        try
        {
            return tilt
                ? Box.FromLammpsBounding(lo[0], hi[0], lo[1], hi[1], lo[2], hi[2], t[0], t[1], t[2], per[0], per[1], per[2])
                : Box.FromLammps(lo[0], hi[0], lo[1], hi[1], lo[2], hi[2], 0, 0, 0, per[0], per[1], per[2]);
        }
        catch (ArgumentException e)
        {
            throw src.Error(itemLine, $"invalid box: {e.Message}");
        }
    }

    private void SkipAtoms(int n)
    {
        var src = _src;
        for (int i = 0; i < n; i++)
        {
            if (!src.TryReadLine(out var l)) throw src.Error(src.LineNumber + 1, $"file ends after {i} of {n} atoms (truncated)");
            if (l.StartsWith("ITEM:", StringComparison.Ordinal)) throw src.Error($"expected {n} atom lines, found {i} (NUMBER OF ATOMS disagrees)");
        }
        CheckNoExtraAtoms(n);
    }

    private void CheckNoExtraAtoms(int n)
    {
        string? next = _src.PeekNonBlank();
        if (next is not null && !next.StartsWith("ITEM:", StringComparison.Ordinal))
            throw _src.Error(_src.LineNumber + 1, $"more atom lines than NUMBER OF ATOMS ({n})");
    }

    private Frame ReadAtoms(string header, int n, Box box, long timestep)
    {
        var src = _src;
        long headerLine = src.LineNumber;
        var names = LineSource.Fields(header);
        int nc = names.Length;
        if (nc == 0) throw src.Error("ITEM: ATOMS names no columns");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var nm in names) if (!seen.Add(nm)) throw src.Error($"column '{nm}' appears twice");

        int Col(string nm) => Array.IndexOf(names, nm);
        // coordinate kind: x > xs > xu > xsu (first complete triple)
        string[][] kinds = [["x", "y", "z"], ["xs", "ys", "zs"], ["xu", "yu", "zu"], ["xsu", "ysu", "zsu"]];
        int kind = -1;
        for (int k = 0; k < kinds.Length && kind < 0; k++)
            if (Col(kinds[k][0]) >= 0 && Col(kinds[k][1]) >= 0 && Col(kinds[k][2]) >= 0) kind = k;
        if (kind < 0)
        {
            var partial = kinds.SelectMany(k => k).Where(nm => Col(nm) >= 0).ToList();
            throw src.Error(partial.Count == 0
                ? "no coordinate columns (need x y z, xs ys zs, xu yu zu or xsu ysu zsu)"
                : $"incomplete coordinate columns ({string.Join(" ", partial)}); need all three of x y z, xs ys zs, xu yu zu or xsu ysu zsu");
        }
        bool scaled = kind == 1 || kind == 3, unwrapped = kind >= 2;
        int cId = Col("id"), cType = Col("type"), cEl = Col("element");
        if (cType < 0 && cEl < 0) throw src.Error("ITEM: ATOMS needs a 'type' or 'element' column");
        bool images = Col("ix") >= 0 && Col("iy") >= 0 && Col("iz") >= 0;

        var role = new Kind[nc];
        var slot = new int[nc];
        var extraNames = new List<string>();
        for (int c = 0; c < nc; c++)
        {
            string nm = names[c];
            int p = Array.IndexOf(kinds[kind], nm);
            if (p >= 0) { role[c] = Kind.Pos; slot[c] = p; }
            else if (c == cId) role[c] = Kind.Id;
            else if (c == cEl) role[c] = Kind.Element;
            else if (c == cType) role[c] = cEl >= 0 ? Kind.Skip : Kind.Type; // element names species; type is redundant
            else if (images && nm is "ix" or "iy" or "iz") { role[c] = Kind.Image; slot[c] = nm[1] - 'x'; }
            else role[c] = Kind.Extra;
            if (role[c] == Kind.Extra) { slot[c] = extraNames.Count; extraNames.Add(nm); }
        }

        // the header's atom count is not trusted for allocation: start small and grow as atom lines arrive
        int cap = GrowingArrays.InitialCapacity(n, nc + 8);
        var ids = new long[cap];
        var sp = new int[cap];
        var types = cEl < 0 ? new int[cap] : null;
        double[][] pos = [new double[cap], new double[cap], new double[cap]];
        int[][]? img = images ? [new int[cap], new int[cap], new int[cap]] : null;
        var extra = new double[extraNames.Count][];
        for (int e = 0; e < extra.Length; e++) extra[e] = new double[cap];
        void Resize(int count, bool trim)
        {
            static void R<T>(ref T[] a, int count, bool trim) { if (trim) a = GrowingArrays.Trim(a, count); else GrowingArrays.Ensure(ref a, count); }
            R(ref ids, count, trim); R(ref sp, count, trim);
            if (types is not null) R(ref types, count, trim);
            for (int k = 0; k < 3; k++) R(ref pos[k], count, trim);
            if (img is not null) for (int k = 0; k < 3; k++) R(ref img[k], count, trim);
            for (int e = 0; e < extra.Length; e++) R(ref extra[e], count, trim);
        }
        Span<Range> r = nc < 256 ? stackalloc Range[nc + 1] : new Range[nc + 1];
        long firstLine = src.LineNumber + 1;

        for (int i = 0; i < n; i++)
        {
            if (!src.TryReadLine(out var span)) throw src.Error(src.LineNumber + 1, $"file ends after {i} of {n} atoms (truncated)");
            if (span.StartsWith("ITEM:", StringComparison.Ordinal)) throw src.Error($"expected {n} atom lines, found {i} (NUMBER OF ATOMS disagrees)");
            int nf = LineSource.Split(span, r);
            if (nf != nc) throw src.Error($"expected {nc} fields ({string.Join(" ", names)}), found {nf}");
            if (i >= ids.Length) Resize(i + 1, false);
            ids[i] = i + 1;
            for (int c = 0; c < nc; c++)
            {
                var f = span[r[c]];
                switch (role[c])
                {
                    case Kind.Pos:
                        if (!LineSource.TryDouble(f, out double v)) throw src.Error($"column '{names[c]}': '{f.ToString()}' is not a number");
                        if (!double.IsFinite(v)) throw src.Error($"column '{names[c]}': coordinate {f.ToString()} is not finite");
                        pos[slot[c]][i] = v;
                        break;
                    case Kind.Id: ids[i] = src.ParseLong(f, "column 'id'"); break;
                    case Kind.Type:
                        types![i] = src.ParseInt(f, "column 'type'");
                        if (types[i] <= 0) throw src.Error($"atom type {types[i]} is not a positive integer");
                        break;
                    case Kind.Element: sp[i] = _species.ForName(f, src, src.LineNumber); break;
                    case Kind.Image: img![slot[c]][i] = src.ParseInt(f, $"column '{names[c]}'"); break;
                    case Kind.Extra:
                        if (!LineSource.TryDouble(f, out double e)) throw src.Error($"column '{names[c]}': '{f.ToString()}' is not a number");
                        extra[slot[c]][i] = e;
                        break;
                }
            }
        }
        CheckNoExtraAtoms(n);
        Resize(n, true);

        if (types is not null)
        {
            // register new types in increasing order so species indices follow type numbers
            var fresh = new HashSet<int>();
            foreach (int t in types) fresh.Add(t);
            int cMass = extraNames.IndexOf("mass");
            if (cMass >= 0 && _species.CanInfer) InferFromMassColumn(types, extra[cMass]);
            _species.Register(fresh.ToList(), src, headerLine);
            for (int i = 0; i < n; i++) sp[i] = _species.ForType(types[i], src, firstLine + i);
        }
        if (cId >= 0) CheckUniqueIds(ids, src, firstLine);

        if (scaled)
        {
            for (int i = 0; i < n; i++)
            {
                var c = box.ToCartesian(new Vec3(pos[0][i], pos[1][i], pos[2][i]));
                pos[0][i] = c.X; pos[1][i] = c.Y; pos[2][i] = c.Z;
            }
        }
        CheckInsideBox(box, pos[0], pos[1], pos[2], src, firstLine);
        var frame = new Frame(box, _species.Table, ids, sp, pos[0], pos[1], pos[2], timestep)
        {
            Images = img,
            PositionsUnwrapped = unwrapped,
        };
        for (int e = 0; e < extra.Length; e++) frame.Columns[extraNames[e]] = extra[e];
        _species.FlushNote();
        return frame;
    }

    /// <summary>Throws on an atom more than <see cref="Neighbors.SearchBudget.MaxBoxLengthsOutside"/> box lengths outside the
    /// box (a corrupt coordinate or box), naming its line; unwrapped coordinates move a few box lengths at most.</summary>
    internal static void CheckInsideBox(Box box, double[] x, double[] y, double[] z, LineSource src, long firstLine)
    {
        double lim = Neighbors.SearchBudget.MaxBoxLengthsOutside;
        for (int i = 0; i < x.Length; i++)
        {
            var u = box.ToFractional(new Vec3(x[i], y[i], z[i]));
            if (!(Math.Abs(u.X - 0.5) <= lim && Math.Abs(u.Y - 0.5) <= lim && Math.Abs(u.Z - 0.5) <= lim))
                throw src.Error(firstLine + i, $"atom at ({x[i]:G6}, {y[i]:G6}, {z[i]:G6}) is more than {lim} box lengths outside the box (corrupt coordinate or box?)");
        }
    }

    /// <summary>Without a type map, a dump's <c>mass</c> column names the elements (every type one mass, each an element's weight).</summary>
    private void InferFromMassColumn(int[] types, double[] mass)
    {
        var byType = new Dictionary<int, double>();
        for (int i = 0; i < types.Length; i++)
        {
            if (!byType.TryAdd(types[i], mass[i]) && byType[types[i]] != mass[i]) return; // per-atom masses: no element per type
        }
        if (SpeciesInference.FromMasses(byType) is { } names)
            _species.Infer(names, SpeciesInference.Note(_src.Path, names, "the standard atomic weights of the mass column", byType));
    }

    /// <summary>Throws on a repeated id, naming the line of the second occurrence.</summary>
    internal static void CheckUniqueIds(long[] ids, LineSource src, long firstLine) => AtomIdIndex.CheckUnique(ids, src, firstLine);
}
