using GlassML.Numerics;
using GlassML.Structure;

namespace GlassML.Io;

// The per-atom columns of the Atoms section and the block-parallel reading of the Atoms and Velocities sections.
public static partial class LammpsDataReader
{
    /// <summary>Shortest Atoms line in bytes (<c>1 1 0 0 0</c> and a line break): a plain file of B bytes holds at most
    /// B / 10 atoms, so a header count up to that may size the arrays at once.</summary>
    private const int MinAtomLineBytes = 10;

    /// <summary>A line of the Masses section.</summary>
    private sealed record MassLine(int Type, double Mass, long Line);

    /// <summary>The columns of the Atoms section, grown as lines arrive.</summary>
    private sealed class AtomColumns(int capacity)
    {
        // written once by the parse (Numerics.HugePages: a huge page at a time)
        public long[] Ids = HugePages.Advise(new long[capacity]);
        public int[] Sp = HugePages.Advise(new int[capacity]);
        public double[][] Pos = [HugePages.Advise(new double[capacity]), HugePages.Advise(new double[capacity]), HugePages.Advise(new double[capacity])];
        public int[][]? Img;
        public double[]? Q, Mol;
        public Style Style;
        public long AtomTypes;
        public SpeciesResolver Species = null!;

        // species index of types 0..AtomTypes registered at the first line (−1: not registered then; ask Species)
        private int[] _speciesOfType = [];

        /// <summary>At the first line: the style, and whether lines carry image flags.</summary>
        public void Begin(Style style, bool images)
        {
            Style = style;
            _speciesOfType = new int[AtomTypes > 0 ? AtomTypes + 1 : 0];
            for (int t = 0; t < _speciesOfType.Length; t++) _speciesOfType[t] = Species.TryKnown(t, out int sp) ? sp : -1;
            int cap = Ids.Length;
            if (images) Img = [HugePages.Advise(new int[cap]), HugePages.Advise(new int[cap]), HugePages.Advise(new int[cap])];
            if (style is Style.Molecular or Style.Full) Mol = new double[cap];
            if (style is Style.Charge or Style.Full) Q = new double[cap];
        }

        public void Ensure(int count)
        {
            if (count <= Ids.Length) return;
            GrowingArrays.Ensure(ref Ids, count); GrowingArrays.Ensure(ref Sp, count);
            for (int k = 0; k < 3; k++) GrowingArrays.Ensure(ref Pos[k], count);
            if (Img is not null) for (int k = 0; k < 3; k++) GrowingArrays.Ensure(ref Img[k], count);
            if (Mol is not null) GrowingArrays.Ensure(ref Mol, count);
            if (Q is not null) GrowingArrays.Ensure(ref Q, count);
        }

        public void Trim(int n)
        {
            Ids = GrowingArrays.Trim(Ids, n); Sp = GrowingArrays.Trim(Sp, n);
            for (int k = 0; k < 3; k++) Pos[k] = GrowingArrays.Trim(Pos[k], n);
            if (Img is not null) for (int k = 0; k < 3; k++) Img[k] = GrowingArrays.Trim(Img[k], n);
            if (Mol is not null) Mol = GrowingArrays.Trim(Mol, n);
            if (Q is not null) Q = GrowingArrays.Trim(Q, n);
        }

        /// <summary>
        /// Stores atom line <paramref name="i"/> (<paramref name="raw"/>: the whole line) as <see cref="TryParse"/> does, reading
        /// plain numbers in one pass when it can (<see cref="PlainFieldReader"/>) and splitting the line otherwise.
        /// </summary>
        public bool TryParseLine(ReadOnlySpan<char> raw, int i)
        {
            if (TryParsePlain(raw, i)) return true;
            Span<Range> f = stackalloc Range[MaxFields];
            int nf = LineSource.SplitData(raw, f, out var l);
            return TryParse(l, f, nf, i);
        }

        /// <summary><see cref="TryParse"/> for a line of plain numbers, without splitting it first (after <see cref="Begin"/>);
        /// false: not such a line, or a problem.</summary>
        public bool TryParsePlain(ReadOnlySpan<char> raw, int i)
        {
            var r = new PlainFieldReader(raw);
            if (!r.Long(out Ids[i])) return false;
            if (Mol is not null && !r.Double(out Mol[i])) return false;
            if (!r.Int(out int t) || (AtomTypes > 0 && (t < 1 || t > AtomTypes))) return false;
            if (Q is not null && !r.Double(out Q[i])) return false;
            if (!r.Double(out double x) || !r.Double(out double y) || !r.Double(out double z)) return false;
            if (!double.IsFinite(x) || !double.IsFinite(y) || !double.IsFinite(z)) return false;
            Pos[0][i] = x; Pos[1][i] = y; Pos[2][i] = z;
            if (Img is not null && (!r.Int(out Img[0][i]) || !r.Int(out Img[1][i]) || !r.Int(out Img[2][i]))) return false;
            return r.AtEnd() && TryKnown(t, out Sp[i]);
        }

        private bool TryKnown(int type, out int species)
        {
            if ((uint)type < (uint)_speciesOfType.Length && _speciesOfType[type] >= 0) { species = _speciesOfType[type]; return true; }
            return Species.TryKnown(type, out species);
        }

        /// <summary>
        /// Stores atom line <paramref name="i"/> when it is well formed and its type is registered already (the values are
        /// those the checked parse gives); false otherwise, with the line's values possibly half written. Safe to call for
        /// different lines concurrently (the species table is only read).
        /// </summary>
        public bool TryParse(ReadOnlySpan<char> l, ReadOnlySpan<Range> f, int nf, int i)
        {
            int baseCount = Style switch { Style.Atomic => 5, Style.Full => 7, _ => 6 };
            if (nf != baseCount + (Img is null ? 0 : 3) || !LineSource.TryLong(l[f[0]], out Ids[i])) return false;
            int c = 1;
            if (Mol is not null && !LineSource.TryDouble(l[f[c++]], out Mol[i])) return false;
            if (!LineSource.TryInt(l[f[c++]], out int t)) return false;
            if (AtomTypes > 0 && (t < 1 || t > AtomTypes)) return false;
            if (Q is not null && !LineSource.TryDouble(l[f[c++]], out Q[i])) return false;
            for (int k = 0; k < 3; k++)
            {
                if (!LineSource.TryDouble(l[f[c + k]], out double x) || !double.IsFinite(x)) return false;
                Pos[k][i] = x;
            }
            if (Img is not null)
                for (int k = 0; k < 3; k++)
                    if (!LineSource.TryInt(l[f[c + 3 + k]], out Img[k][i])) return false;
            return TryKnown(t, out Sp[i]);
        }
    }

    // Atom lines first.. of n on the worker threads, as many as the block read ahead holds; −1: none (read them serially).
    private static int ReadAtomBlock(LineSource src, AtomColumns atoms, int first, int n, int threads) =>
        ParallelLines.Read(src, n - first, threads, count => atoms.Ensure(first + count),
            (line, k) => atoms.TryParseLine(line, first + k));

    /// <summary>
    /// The Velocities section's columns and bookkeeping. Line k usually gives the velocity of atom k (the atom at the same
    /// place in the Atoms section, as LAMMPS writes them): such lines need neither the id index nor a record of the atoms
    /// given, since they cannot repeat an atom. The index is built at the first line whose id says otherwise, and from the
    /// first line out of that order on, every atom given is recorded (those of the lines before it first).
    /// </summary>
    private sealed class VelocityColumns(long[] ids)
    {
        /// <summary>vx, vy, vz (every entry is written: one line per atom).</summary>
        public readonly double[][] V = [HugePages.NewDoubles(ids.Length), HugePages.NewDoubles(ids.Length), HugePages.NewDoubles(ids.Length)];

        private readonly object _gate = new();
        private AtomIdIndex? _index;

        /// <summary>Atoms given a velocity so far; null while line k gave atom k for every line.</summary>
        public bool[]? Seen { get; private set; }

        /// <summary>True while line k gave atom k for every line so far.</summary>
        public bool InOrder => Seen is null;

        /// <summary>The atom with id <paramref name="id"/> (data line <paramref name="line"/>), if there is one; may run concurrently.</summary>
        public bool TryAtom(long id, int line, out int atom)
        {
            if ((uint)line < (uint)ids.Length && ids[line] == id) { atom = line; return true; }
            var index = Volatile.Read(ref _index);
            if (index is null)
                lock (_gate) index = _index ??= AtomIdIndex.Of(ids);
            return index.TryGetValue(id, out atom);
        }

        /// <summary>Records that data line <paramref name="line"/> gives atom <paramref name="atom"/> (serially, lines in
        /// order); false when an earlier line gave it.</summary>
        public bool Take(int atom, int line)
        {
            if (Seen is null)
            {
                if (atom == line) return true;
                Seen = new bool[ids.Length];
                Array.Fill(Seen, true, 0, line);
            }
            if (Seen[atom]) return false;
            Seen[atom] = true;
            return true;
        }
    }

    /// <summary>
    /// A well-formed velocity line (<paramref name="raw"/>: the whole line, data line <paramref name="line"/> of the section) of
    /// a known atom: that atom's index and velocity (no other check). Plain numbers are read in one pass when they can be
    /// (<see cref="PlainFieldReader"/>), else the line is split.
    /// </summary>
    private static bool TryVelocity(ReadOnlySpan<char> raw, int line, VelocityColumns vc, out int atom, out Vec3 v)
    {
        var r = new PlainFieldReader(raw);
        if (r.Long(out long id) && r.Double(out double x) && r.Double(out double y) && r.Double(out double z))
        {
            v = new Vec3(x, y, z);
            return vc.TryAtom(id, line, out atom);
        }
        Span<Range> f = stackalloc Range[MaxFields];
        int nf = LineSource.SplitData(raw, f, out var l);
        atom = -1;
        v = default;
        if (nf < 4 || !LineSource.TryLong(l[f[0]], out id) || !vc.TryAtom(id, line, out atom)) return false;
        if (!LineSource.TryDouble(l[f[1]], out x) || !LineSource.TryDouble(l[f[2]], out y) || !LineSource.TryDouble(l[f[3]], out z))
            return false;
        v = new Vec3(x, y, z);
        return true;
    }

    // Velocity lines first.. of n on the worker threads while every line so far gave the atom at its place: a block is refused
    // at a line that does not (the serial code then takes over from there).
    private static int ReadVelocityBlockInOrder(LineSource src, VelocityColumns vc, int first, int n, int threads) =>
        ParallelLines.Read(src, n - first, threads, _ => { },
            (line, k) =>
            {
                if (!TryVelocity(line, first + k, vc, out int a, out var v) || a != first + k) return false;
                vc.V[0][a] = v.X; vc.V[1][a] = v.Y; vc.V[2][a] = v.Z;
                return true;
            });

    // Velocity lines first.. of n on the worker threads once lines left the Atoms order; the atoms are marked seen serially
    // afterwards, refusing the whole block (and unmarking it) at a repeated atom, which the serial code then reports.
    private static int ReadVelocityBlock(LineSource src, VelocityColumns vc, int[] atomOfLine, int first, int n, int threads)
    {
        var seen = vc.Seen!;
        return ParallelLines.Read(src, n - first, threads, _ => { },
            (line, k) =>
            {
                if (!TryVelocity(line, first + k, vc, out int a, out var v)) return false;
                atomOfLine[first + k] = a;
                vc.V[0][a] = v.X; vc.V[1][a] = v.Y; vc.V[2][a] = v.Z;
                return true;
            },
            count =>
            {
                for (int j = first; j < first + count; j++)
                {
                    if (seen[atomOfLine[j]])
                    {
                        for (int u = first; u < j; u++) seen[atomOfLine[u]] = false;
                        return false;
                    }
                    seen[atomOfLine[j]] = true;
                }
                return true;
            });
    }
}
