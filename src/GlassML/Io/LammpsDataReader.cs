using GlassML.Structure;

namespace GlassML.Io;

/// <summary>
/// Reads a LAMMPS data file (as written by <c>write_data</c>, plain or gzip) into one frame.
/// <para>
/// Header: <c>N atoms</c>, <c>N atom types</c>, <c>xlo xhi</c>, <c>ylo yhi</c>, <c>zlo zhi</c>, optional
/// <c>xy xz yz</c> (these are the real cell bounds, not bounding-box bounds); other header lines are ignored. The box is
/// periodic on all axes (data files do not record boundaries).
/// </para>
/// <para>
/// Sections: <c>Masses</c> (sets species masses, amu), <c>Atoms</c> with the style taken from the comment after the
/// keyword (<c>Atoms # atomic</c>) or, when absent, from the field count: atomic <c>id type x y z</c> (5 fields),
/// charge <c>id type q x y z</c>, molecular/bond/angle <c>id mol type x y z</c>, full <c>id mol type q x y z</c>
/// (7 fields); each optionally followed by image flags <c>ix iy iz</c> (→ <see cref="Frame.Images"/>). Charges and
/// molecule ids are kept as columns <c>q</c> and <c>mol</c>. <c>Velocities</c> (<c>id vx vy vz</c>) become columns
/// <c>vx vy vz</c>. <c>Atom Type Labels</c> (<c>type label</c> per line, as LAMMPS's labelmap writes it) names the
/// species unless <see cref="ReadOptions.TypeNames"/> is given. All other sections are skipped.
/// </para>
/// <para>Species: type k is named by <see cref="ReadOptions.TypeNames"/>, else by the Atom Type Labels section, else "k"; without a type map the species are
/// registered as types 1..(atom types), so species index = type − 1. Atoms keep file order.</para>
/// </summary>
public static partial class LammpsDataReader
{
    private enum Style { Unknown, Atomic, Charge, Molecular, Full }

    /// <summary>Reads the file into one frame; the timestep comes from a <c>timestep = N</c> in the title line (as <c>write_data</c> writes it), else 0.</summary>
    /// <exception cref="InputFormatException">Malformed file, naming the line.</exception>
    public static Frame Read(string path, ReadOptions? options = null)
    {
        using var src = new LineSource(path);
        int threads = options?.Threads ?? 1;
        if (threads <= 0) threads = Environment.ProcessorCount;
        var species = new SpeciesResolver(options);
        var names = options?.TypeNames;

        string? title = src.ReadLine();
        if (title is null) throw src.Error(1, "empty file");
        long timestep = 0;
        if (TitleTimestep(title) is string digits)
            long.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out timestep);

        long natoms = -1, ntypes = -1;
        double[] lo = [0, 0, 0], hi = [0, 0, 0], tilt = [0, 0, 0];
        bool[] haveAxis = new bool[3];
        long boxLine = 0;
        string? section = null;
        long sectionLine = 0;

        var headerComments = new List<string> { title };
        // ---- header ----
        while (true)
        {
            string? raw = src.ReadLine();
            if (raw is null) break;
            if (raw.IndexOf('#') is int hc and >= 0) headerComments.Add(raw[(hc + 1)..]);
            string l = StructureReader.StripComment(raw).Trim();
            if (l.Length == 0) continue;
            if (char.IsLetter(l[0])) { section = raw; sectionLine = src.LineNumber; break; }
            var f = LineSource.Fields(l);
            string key = string.Join(' ', f.Where(w => !IsNumberLike(w)));
            if (key == "atoms")
            {
                natoms = src.ParseLong(f[0], "number of atoms");
                if (natoms < 0 || natoms > int.MaxValue) throw src.Error($"number of atoms {natoms} out of range 0..{int.MaxValue}");
            }
            else if (key == "atom types")
            {
                ntypes = src.ParseLong(f[0], "number of atom types");
                if (ntypes < 0 || ntypes > MaxAtomTypes) throw src.Error($"number of atom types {ntypes} out of range 0..{MaxAtomTypes}");
            }
            else if (key is "xlo xhi" or "ylo yhi" or "zlo zhi")
            {
                if (f.Length < 4) throw src.Error($"'{key}' needs two numbers");
                int k = key[0] - 'x';
                lo[k] = src.ParseFinite(f[0], key.Split(' ')[0]);
                hi[k] = src.ParseFinite(f[1], key.Split(' ')[1]);
                haveAxis[k] = true; boxLine = src.LineNumber;
            }
            else if (key == "xy xz yz")
            {
                if (f.Length < 6) throw src.Error("'xy xz yz' needs three numbers");
                for (int k = 0; k < 3; k++) tilt[k] = src.ParseFinite(f[k], f[3 + k]);
                boxLine = src.LineNumber;
            }
            else if (key.StartsWith("avec", StringComparison.Ordinal) || key.StartsWith("bvec", StringComparison.Ordinal) || key.StartsWith("cvec", StringComparison.Ordinal) || key.StartsWith("abc origin", StringComparison.Ordinal))
                throw src.Error("general triclinic data files (avec/bvec/cvec) are not supported");
            // other header keywords (bonds, extra ..., ellipsoids, ...) are ignored
        }
        if (natoms < 0) throw src.Error(section is null ? src.LineNumber : sectionLine, "header has no 'N atoms' line");
        if (natoms > int.MaxValue) throw src.Error($"{natoms} atoms is too many");
        for (int k = 0; k < 3; k++)
            if (!haveAxis[k]) throw src.Error(sectionLine, $"header has no '{"xyz"[k]}lo {"xyz"[k]}hi' line");
        Box box;
        try { box = Box.FromLammps(lo[0], hi[0], lo[1], hi[1], lo[2], hi[2], tilt[0], tilt[1], tilt[2]); }
        catch (ArgumentException e) { throw src.Error(boxLine, $"invalid box: {e.Message}"); }
        // without a type map the species are registered as types 1..(atom types) before the first atom (after an Atom Type
        // Labels section, which names them)
        var masses = new List<MassLine>(); // a class: List<T> of a value tuple is jitted at start-up even in a ReadyToRun publish
        var massComments = new Dictionary<int, string>();
        bool registered = false;
        void Register()
        {
            if (registered) return;
            registered = true;
            if (names is null)
            {
                InferSpecies();
                for (int t = 1; t <= ntypes; t++) species.ForType(t, src, 0);
            }
        }
        // no type map and no Atom Type Labels: Masses comments, then a header comment, then the masses name the elements
        void InferSpecies()
        {
            if (!species.CanInfer || ntypes < 1) return;
            var massOf = masses.ToDictionary(m => m.Type, m => m.Mass);
            if (SpeciesInference.FromComments(massComments, ntypes) is { } byComment)
            {
                species.Infer(byComment, SpeciesInference.Note(src.Path, byComment, "the Masses comments"));
                return;
            }
            foreach (var c in headerComments)
                if (SpeciesInference.FromHeaderComment(c, ntypes) is { } byHeader)
                {
                    species.Infer(byHeader, SpeciesInference.Note(src.Path, byHeader, $"the header comment '{c.Trim().TrimStart('#').Trim()}'"));
                    return;
                }
            if (massOf.Count == ntypes && SpeciesInference.FromMasses(massOf) is { } byMass)
                species.Infer(byMass, SpeciesInference.Note(src.Path, byMass, "the standard atomic weights of the Masses", massOf));
        }

        int n = (int)natoms;
        // the header's atom count is not trusted for allocation beyond what the file can hold: start small and grow as atom
        // lines arrive (gzip), or take the count when a plain file is long enough for that many lines
        int cap = GrowingArrays.InitialCapacity(n, 12, src.ByteLength / MinAtomLineBytes);
        var atoms = new AtomColumns(cap);
        double[][]? vel = null;
        bool haveAtoms = false;
        long atomsFirstLine = 0;

        // ---- sections ----
        while (section is not null)
        {
            string keyword = StructureReader.StripComment(section).Trim();
            string hint = section.Contains('#') ? section[(section.IndexOf('#') + 1)..].Trim() : "";
            long kwLine = sectionLine;
            section = null;
            switch (keyword)
            {
                case "Masses":
                {
                    if (ntypes < 0) throw src.Error(kwLine, "Masses section but the header has no 'N atom types' line");
                    foreach (var (line, f) in Lines(src, (int)ntypes, "Masses", "atom types"))
                    {
                        if (f.Length < 2) throw src.Error(line, "Masses line needs 'type mass'");
                        int t = src.ParseInt(f[0], "atom type");
                        double m = src.ParseFinite(f[1], "mass");
                        if (m <= 0) throw src.Error(line, $"mass {m} is not positive");
                        masses.Add(new MassLine(t, m, line));
                        if (src.LastLine is string rawLine && rawLine.IndexOf('#') is int mc and >= 0) massComments[t] = rawLine[(mc + 1)..];
                    }
                    break;
                }
                case "Atoms":
                {
                    if (haveAtoms) throw src.Error(kwLine, "second Atoms section");
                    haveAtoms = true;
                    Register();
                    Style style = hint.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() switch
                    {
                        "atomic" => Style.Atomic,
                        "charge" => Style.Charge,
                        "molecular" or "bond" or "angle" => Style.Molecular,
                        "full" => Style.Full,
                        null => Style.Unknown,
                        string other => throw src.Error(kwLine, $"atom style '{other}' is not supported (atomic, charge, molecular, bond, angle, full)"),
                    };
                    atoms.Species = species;
                    atoms.AtomTypes = ntypes;
                    Span<Range> f = stackalloc Range[MaxFields];
                    bool parallel = threads > 1;
                    for (int i = 0; i < n; i++)
                    {
                        if (parallel && i > 0)
                        {
                            // whole blocks of lines on the worker threads; on any problem the code below reads them again
                            int got = ReadAtomBlock(src, atoms, i, n, threads);
                            if (got >= 0) { i += got - 1; continue; }
                            parallel = false;
                        }
                        var raw = NextDataLine(src, i, n, "Atoms", "atoms");
                        atoms.Ensure(i + 1);
                        if (i > 0 && atoms.TryParsePlain(raw, i)) continue;
                        int nf = LineSource.SplitData(raw, f, out var l);
                        long line = src.LineNumber;
                        if (i == 0)
                        {
                            atomsFirstLine = line;
                            if (style == Style.Unknown)
                            {
                                style = nf switch
                                {
                                    5 or 8 => Style.Atomic,
                                    7 or 10 => Style.Full,
                                    _ => throw src.Error(line, $"cannot tell the atom style from {nf} fields; write the style after the keyword, e.g. 'Atoms # charge'"),
                                };
                            }
                        }
                        int baseCount = style switch { Style.Atomic => 5, Style.Full => 7, _ => 6 };
                        if (i == 0) atoms.Begin(style, nf == baseCount + 3);
                        if (atoms.TryParse(l, f, nf, i)) continue;
                        // the line has a problem (or a type not registered yet): the checks in their order, with messages
                        var (ids, sp, pos, img, q, mol) = (atoms.Ids, atoms.Sp, atoms.Pos, atoms.Img, atoms.Q, atoms.Mol);
                        int expect = baseCount + (img is null ? 0 : 3);
                        if (nf != expect)
                            throw src.Error(line, i == 0
                                ? $"expected {baseCount} or {baseCount + 3} fields for atom style {style.ToString().ToLowerInvariant()}, found {nf}"
                                : $"expected {expect} fields like the first Atoms line, found {nf}");
                        ids[i] = src.ParseLong(l[f[0]], "atom id");
                        int c = 1;
                        if (mol is not null) { mol[i] = src.ParseDouble(l[f[c]], "molecule id"); c++; }
                        int type = src.ParseInt(l[f[c++]], "atom type");
                        if (ntypes > 0 && (type < 1 || type > ntypes)) throw src.Error(line, $"atom type {type} outside 1..{ntypes}");
                        if (q is not null) { q[i] = src.ParseDouble(l[f[c]], "charge"); c++; }
                        for (int k = 0; k < 3; k++) pos[k][i] = src.ParseFinite(l[f[c + k]], CoordinateNames[k]);
                        if (img is not null)
                            for (int k = 0; k < 3; k++) img[k][i] = src.ParseInt(l[f[c + 3 + k]], "image flag");
                        sp[i] = species.ForType(type, src, line);
                    }
                    atoms.Trim(n);
                    AtomIdIndex.CheckUnique(atoms.Ids, src, atomsFirstLine);
                    LammpsDumpReader.CheckInsideBox(box, atoms.Pos[0], atoms.Pos[1], atoms.Pos[2], src, atomsFirstLine);
                    break;
                }
                case "Atom Type Labels":
                {
                    // LAMMPS type labels (labelmap / write_data): one 'type label' line per atom type; a --types map wins
                    if (ntypes < 0) throw src.Error(kwLine, "Atom Type Labels section but the header has no 'N atom types' line");
                    if (haveAtoms) throw src.Error(kwLine, "Atom Type Labels section after the Atoms section");
                    var labels = new Dictionary<int, string>();
                    foreach (var (line, f) in Lines(src, (int)ntypes, "Atom Type Labels", "atom types"))
                    {
                        if (f.Length < 2) throw src.Error(line, "Atom Type Labels line needs 'type label'");
                        int t = src.ParseInt(f[0], "atom type");
                        if (t < 1 || t > ntypes) throw src.Error(line, $"atom type {t} outside 1..{ntypes}");
                        if (Species.LabelProblem(f[1]) is string problem) throw src.Error(line, problem);
                        if (!labels.TryAdd(t, f[1])) throw src.Error(line, $"atom type {t} is labelled twice");
                    }
                    if (names is null)
                    {
                        names = labels;
                        species = new SpeciesResolver(new ReadOptions { TypeNames = labels });
                    }
                    break;
                }
                case "Velocities":
                {
                    if (!haveAtoms) throw src.Error(kwLine, "Velocities section before the Atoms section");
                    var vc = new VelocityColumns(atoms.Ids);
                    vel = vc.V;
                    Span<Range> f = stackalloc Range[MaxFields];
                    bool parallel = threads > 1, resumed = false;
                    int[]? atomOfLine = null;
                    for (int i = 0; i < n; i++)
                    {
                        if (parallel && i > 0)
                        {
                            int got = vc.InOrder
                                ? ReadVelocityBlockInOrder(src, vc, i, n, threads)
                                : ReadVelocityBlock(src, vc, atomOfLine ??= new int[n], i, n, threads);
                            if (got >= 0) { i += got - 1; continue; }
                            parallel = false;
                        }
                        var raw = NextDataLine(src, i, n, "Velocities", "atoms");
                        bool inOrder = vc.InOrder;
                        bool taken = TryVelocity(raw, i, vc, out int a, out var v) && vc.Take(a, i);
                        if (inOrder && !vc.InOrder && !resumed)
                        {
                            // the first line out of the Atoms order: blocks go on in parallel, now with the bookkeeping
                            parallel = threads > 1;
                            resumed = true;
                        }
                        if (taken)
                        {
                            vel[0][a] = v.X; vel[1][a] = v.Y; vel[2][a] = v.Z;
                            continue;
                        }
                        long line = src.LineNumber;
                        int nf = LineSource.SplitData(raw, f, out var l);
                        if (nf < 4) throw src.Error(line, "Velocities line needs 'id vx vy vz'");
                        long id = src.ParseLong(l[f[0]], "atom id");
                        if (!vc.TryAtom(id, i, out a)) throw src.Error(line, $"velocity for unknown atom id {id}");
                        if (!vc.Take(a, i)) throw src.Error(line, $"duplicate velocity for atom id {id}");
                        for (int k = 0; k < 3; k++) vel[k][a] = src.ParseDouble(l[f[1 + k]], "velocity");
                    }
                    break;
                }
                default:
                    if (!char.IsUpper(keyword[0])) throw src.Error(kwLine, $"unexpected line '{keyword}' (expected a section keyword such as Atoms)");
                    break; // skipped below
            }
            // advance to the next section keyword (skipping any unknown section's data lines)
            while (src.ReadLine() is string raw)
            {
                string l = StructureReader.StripComment(raw).Trim();
                if (l.Length == 0) continue;
                if (char.IsLetter(l[0])) { section = raw; sectionLine = src.LineNumber; break; }
                if (keyword is "Masses" or "Atoms" or "Velocities" or "Atom Type Labels")
                    throw src.Error($"more lines in the {keyword} section than the header announces");
            }
        }
        if (!haveAtoms)
        {
            if (n == 0) { /* empty system */ }
            else throw src.Error(src.LineNumber + 1, $"no Atoms section (header announces {n} atoms)");
        }
        Register();
        foreach (var (t, m, line) in masses)
        {
            if (names is not null && !names.ContainsKey(t)) continue; // a type the user did not map: no atoms may use it
            int s = species.ForType(t, src, line);
            species.Table.GetOrAdd(species.Table[s].Name, m);
        }

        var frame = new Frame(box, species.Table, atoms.Ids, atoms.Sp, atoms.Pos[0], atoms.Pos[1], atoms.Pos[2], timestep) { Images = atoms.Img };
        if (atoms.Q is not null) frame.Columns["q"] = atoms.Q;
        if (atoms.Mol is not null) frame.Columns["mol"] = atoms.Mol;
        if (vel is not null) { frame.Columns["vx"] = vel[0]; frame.Columns["vy"] = vel[1]; frame.Columns["vz"] = vel[2]; }
        species.FlushNote();
        return frame;
    }

    /// <summary>
    /// The digits of the first <c>timestep = N</c> in the title line, as the regular expression <c>timestep\s*=\s*(\d+)</c> finds them
    /// (\s = <see cref="char.IsWhiteSpace(char)"/>, \d = <see cref="char.IsDigit(char)"/>), without loading the regex engine at start-up.
    /// </summary>
    internal static string? TitleTimestep(string title)
    {
        const string Key = "timestep";
        for (int at = title.IndexOf(Key, StringComparison.Ordinal); at >= 0; at = title.IndexOf(Key, at + 1, StringComparison.Ordinal))
        {
            int k = at + Key.Length;
            while (k < title.Length && char.IsWhiteSpace(title[k])) k++;
            if (k == title.Length || title[k] != '=') continue;
            k++;
            while (k < title.Length && char.IsWhiteSpace(title[k])) k++;
            int d = k;
            while (k < title.Length && char.IsDigit(title[k])) k++;
            if (k > d) return title[d..k];
        }
        return null;
    }

    /// <summary>Most atom types a data file may declare (each becomes a species before the first atom is read).</summary>
    internal const int MaxAtomTypes = 10_000;

    private static bool IsNumberLike(string w) => w.Length > 0 && (char.IsDigit(w[0]) || w[0] is '-' or '+' or '.');

    /// <summary>The <paramref name="count"/> data lines of a section (blank lines skipped), with line numbers and fields.</summary>
    private static IEnumerable<(long line, string[] fields)> Lines(LineSource src, int count, string section, string what)
    {
        var r = new Range[MaxFields];
        for (int i = 0; i < count; i++)
        {
            int nf = LineSource.SplitData(NextDataLine(src, i, count, section, what), r, out var l);
            var f = new string[nf];
            if (nf > r.Length) f = LineSource.Fields(l.ToString());
            else for (int k = 0; k < nf; k++) f[k] = l[r[k]].ToString();
            yield return (src.LineNumber, f);
        }
    }

    /// <summary>Room for the fields of an Atoms line (at most 10: full style with image flags) and one more, so that a longer
    /// line is still counted.</summary>
    private const int MaxFields = ParallelLines.MaxFields;

    private static readonly string[] CoordinateNames = ["x coordinate", "y coordinate", "z coordinate"];

    /// <summary>
    /// Reads data line <paramref name="i"/> of <paramref name="count"/> of a section (blank and comment-only lines skipped)
    /// and returns it whole (with any comment; valid until the next read; <see cref="LineSource.SplitData"/> gives its fields);
    /// throws when the file or the section ends first.
    /// </summary>
    private static ReadOnlySpan<char> NextDataLine(LineSource src, int i, int count, string section, string what)
    {
        while (true)
        {
            if (!src.TryReadLine(out var raw)) throw src.Error(src.LineNumber + 1, $"file ends after {i} of {count} lines of the {section} section (truncated)");
            int k = ParallelLines.ContentStart(raw);
            if (k < 0) continue;
            if (char.IsLetter(raw[k]))
                throw src.Error($"{section} section has {i} lines but the header announces {count} {what}");
            return raw;
        }
    }
}
