using System.Globalization;
using GlassML.Io;
using GlassML.Neighbors;
using GlassML.Structure;

namespace GlassML.Potentials;

/// <summary>The two multi-element EAM table formats of LAMMPS.</summary>
public enum EamFormat
{
    /// <summary><c>pair_style eam/alloy</c> (DYNAMO setfl): one density function per element.</summary>
    Alloy,
    /// <summary><c>pair_style eam/fs</c> (Finnis–Sinclair): one density function per (source, host) element pair.</summary>
    FinnisSinclair,
}

/// <summary>
/// An embedded-atom-method potential read from a LAMMPS <c>eam/alloy</c> (setfl) or <c>eam/fs</c> table file and
/// evaluated exactly as LAMMPS's <c>pair_eam</c> does: the tables are used on their own grids (no resampling), each is
/// splined by <see cref="EamSpline"/>, the pair term is tabulated as r·φ(r), a pair interacts when r² &lt; r_c², and an
/// embedding density above the table end ρ_max = (N_ρ−1)·δρ is continued linearly.
/// <para>E = Σ_i [F_i(ρ_i) + ½ Σ_j φ_ij(r_ij)], ρ_i = Σ_j ρ_{j→i}(r_ij), sums over every periodic image j ≠ i within
/// the cutoff. With eam/alloy ρ_{j→i} is the density function of j's element; with eam/fs it is the function listed
/// under j's element for i's element (LAMMPS's <c>type2rhor[jtype][itype]</c>). Units: Å, eV, amu.</para>
/// </summary>
public sealed class EamPotential
{
    private readonly EamSpline[] _frho;  // per element
    private readonly EamSpline[] _rhor;  // alloy: per source element; fs: source·N + host
    private readonly EamSpline[] _z2r;   // r·φ per unordered element pair, lower-triangle index

    private EamPotential(EamFormat format, string[] elements, int[] z, double[] mass, int nrho, double drho, int nr, double dr, double cutoff,
        EamSpline[] frho, EamSpline[] rhor, EamSpline[] z2r, string source)
    {
        Format = format; Elements = elements; AtomicNumbers = z; Masses = mass;
        DensityPoints = nrho; DensityStep = drho; RadiusPoints = nr; RadiusStep = dr; Cutoff = cutoff;
        _frho = frho; _rhor = rhor; _z2r = z2r; Source = source;
    }

    /// <summary>Table format.</summary>
    public EamFormat Format { get; }
    /// <summary>Element names in file order.</summary>
    public IReadOnlyList<string> Elements { get; }
    /// <summary>Atomic numbers from the file, by element.</summary>
    public IReadOnlyList<int> AtomicNumbers { get; }
    /// <summary>Masses from the file (amu), by element.</summary>
    public IReadOnlyList<double> Masses { get; }
    /// <summary>N_ρ, number of embedding-table points.</summary>
    public int DensityPoints { get; }
    /// <summary>δρ, embedding-table spacing.</summary>
    public double DensityStep { get; }
    /// <summary>N_r, number of points of the density and pair tables.</summary>
    public int RadiusPoints { get; }
    /// <summary>δr, radial table spacing (Å).</summary>
    public double RadiusStep { get; }
    /// <summary>Cutoff r_c (Å): pairs with r² &lt; r_c² interact.</summary>
    public double Cutoff { get; }
    /// <summary>End of the embedding table, ρ_max = (N_ρ − 1)·δρ; F is continued linearly beyond it.</summary>
    public double DensityMax => (DensityPoints - 1) * DensityStep;
    /// <summary>The file the tables came from (as given).</summary>
    public string Source { get; }

    /// <summary>
    /// Reads a table file (plain or gzip). The format is <paramref name="format"/> or, when null, taken from the name:
    /// <c>*.fs</c> (also <c>*.eam.fs.gz</c>) is Finnis–Sinclair, <c>*.alloy</c> or <c>*.setfl</c> is setfl; anything
    /// else must be told. Bad content is an <see cref="InputFormatException"/> naming file and line.
    /// </summary>
    public static EamPotential Read(string path, EamFormat? format = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var f = format ?? FormatFromName(path)
            ?? throw new ArgumentException($"{path}: cannot tell eam/alloy from eam/fs by the name (use a .eam.alloy or .eam.fs name, or say the format)");
        using var src = new LineSource(path);
        return Parse(src, f);
    }

    /// <summary>The format a file name implies (<c>.fs</c> / <c>.alloy</c> / <c>.setfl</c>, a trailing .gz ignored), or null.</summary>
    public static EamFormat? FormatFromName(string path)
    {
        string name = Path.GetFileName(path).ToLowerInvariant();
        if (name.EndsWith(".gz", StringComparison.Ordinal)) name = name[..^3];
        if (name.EndsWith(".fs", StringComparison.Ordinal)) return EamFormat.FinnisSinclair;
        if (name.EndsWith(".alloy", StringComparison.Ordinal) || name.EndsWith(".setfl", StringComparison.Ordinal)) return EamFormat.Alloy;
        return null;
    }

    private static EamPotential Parse(LineSource src, EamFormat format)
    {
        for (int k = 0; k < 3; k++)
            if (src.ReadLine() is null) throw src.Error("file ends inside the three comment lines");
        string line = src.ReadLine() ?? throw src.Error("missing the element line (N el1 el2 …)");
        var t = LineSource.Fields(line);
        if (t.Length < 2) throw src.Error("element line: expected 'N el1 … elN'");
        int ne = src.ParseInt(t[0], "number of elements");
        if (ne < 1) throw src.Error($"number of elements {ne} must be ≥ 1");
        if (t.Length < ne + 1) throw src.Error($"element line names {t.Length - 1} elements, expected {ne}");
        var elements = t[1..(ne + 1)];
        if (elements.Distinct(StringComparer.Ordinal).Count() != ne) throw src.Error("an element is named twice");

        line = src.ReadLine() ?? throw src.Error("missing the grid line (Nrho drho Nr dr cutoff)");
        t = LineSource.Fields(line);
        if (t.Length < 5) throw src.Error("grid line: expected 'Nrho drho Nr dr cutoff'");
        int nrho = src.ParseInt(t[0], "Nrho"), nr = src.ParseInt(t[2], "Nr");
        double drho = src.ParseFinite(t[1], "drho"), dr = src.ParseFinite(t[3], "dr"), cut = src.ParseFinite(t[4], "cutoff");
        if (nrho < 5 || nr < 5) throw src.Error($"Nrho = {nrho} and Nr = {nr} must both be ≥ 5");
        if (!(drho > 0) || !(dr > 0) || !(cut > 0)) throw src.Error("drho, dr and the cutoff must be positive");

        var tokens = new TokenStream(src);
        int nDensity = format == EamFormat.FinnisSinclair ? ne : 1;
        var z = new int[ne]; var mass = new double[ne];
        var frho = new EamSpline[ne];
        var rhor = new EamSpline[format == EamFormat.FinnisSinclair ? ne * ne : ne];
        var buf = new double[Math.Max(nrho, nr)];
        for (int e = 0; e < ne; e++)
        {
            line = tokens.HeaderLine() ?? throw src.Error($"file ends before the block of element {elements[e]}");
            t = LineSource.Fields(line);
            if (t.Length < 2) throw src.Error($"element {elements[e]}: expected 'Z mass [a lattice]'");
            z[e] = src.ParseInt(t[0], "atomic number");
            mass[e] = src.ParseFinite(t[1], "mass");
            tokens.Read(buf.AsSpan(0, nrho), $"F(rho) of {elements[e]}");
            frho[e] = new EamSpline(buf.AsSpan(0, nrho), drho);
            for (int h = 0; h < nDensity; h++)
            {
                string what = format == EamFormat.FinnisSinclair ? $"rho {elements[e]}→{elements[h]}" : $"rho(r) of {elements[e]}";
                tokens.Read(buf.AsSpan(0, nr), what);
                rhor[e * nDensity + h] = new EamSpline(buf.AsSpan(0, nr), dr);
            }
        }
        var z2r = new EamSpline[ne * (ne + 1) / 2];
        for (int i = 0; i < ne; i++)
            for (int j = 0; j <= i; j++)
            {
                tokens.Read(buf.AsSpan(0, nr), $"r*phi {elements[i]}-{elements[j]}");
                z2r[PairIndex(i, j)] = new EamSpline(buf.AsSpan(0, nr), dr);
            }
        return new EamPotential(format, elements, z, mass, nrho, drho, nr, dr, cut, frho, rhor, z2r, src.Path);
    }

    /// <summary>Lower-triangle index of an unordered element pair (LAMMPS's type2z2r).</summary>
    private static int PairIndex(int a, int b)
    {
        if (a < b) (a, b) = (b, a);
        return a * (a + 1) / 2 + b;
    }

    /// <summary>Reads numbers across line breaks (the table sections); header lines are whole lines.</summary>
    private sealed class TokenStream(LineSource src)
    {
        private string[] _fields = [];
        private int _next;

        public string? HeaderLine()
        {
            if (_next < _fields.Length) throw src.Error($"{_fields.Length - _next} more number(s) on this line than the tables hold");
            string? l;
            do { l = src.ReadLine(); } while (l is not null && string.IsNullOrWhiteSpace(l));
            _fields = []; _next = 0;
            return l;
        }

        public void Read(Span<double> into, string what)
        {
            for (int k = 0; k < into.Length; k++)
            {
                while (_next >= _fields.Length)
                {
                    string l = src.ReadLine() ?? throw src.Error($"file ends inside {what} ({k} of {into.Length} values read)");
                    _fields = LineSource.Fields(l); _next = 0;
                }
                into[k] = src.ParseFinite(_fields[_next++], what);
            }
        }
    }

    // ---- evaluation -----------------------------------------------------------------------------------------------

    /// <summary>Per-atom masses (amu) of <paramref name="frame"/>: its species' masses, else this potential's element masses.</summary>
    /// <exception cref="ArgumentException">A species without a mass that is not an element of the potential.</exception>
    public double[] MassesOf(Frame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var map = ElementsOf(frame.Species);
        var m = new double[frame.Count];
        for (int i = 0; i < frame.Count; i++)
        {
            int s = frame.SpeciesIndex[i];
            double v = frame.Species[s].Mass;
            m[i] = v > 0 && double.IsFinite(v) ? v : Masses[map[s]];
        }
        return m;
    }

    /// <summary>
    /// The potential's element index of every species of <paramref name="species"/>, matched by name. A species the
    /// file does not define is an <see cref="ArgumentException"/> (map LAMMPS types to element names first, e.g.
    /// <c>--types 1:Cu,2:Zr</c>).
    /// </summary>
    public int[] ElementsOf(SpeciesTable species)
    {
        ArgumentNullException.ThrowIfNull(species);
        var map = new int[species.Count];
        for (int s = 0; s < species.Count; s++)
        {
            int e = -1;
            for (int k = 0; k < Elements.Count; k++) if (Elements[k] == species[s].Name) { e = k; break; }
            if (e < 0)
                throw new ArgumentException($"species '{species[s].Name}' is not an element of {Path.GetFileName(Source)} (its elements: {string.Join(", ", Elements)}); map LAMMPS types to elements, e.g. --types 1:{Elements[0]}");
            map[s] = e;
        }
        return map;
    }

    /// <summary>Interpolated r·φ of elements a, b at r (eV·Å).</summary>
    internal double RPhi(int a, int b, double r) => _z2r[PairIndex(a, b)].Value(r);

    /// <summary>Spline of the density that an atom of element <paramref name="source"/> puts on a host of element <paramref name="host"/>.</summary>
    internal EamSpline Density(int source, int host) => Format == EamFormat.FinnisSinclair ? _rhor[source * Elements.Count + host] : _rhor[source];

    /// <summary>Spline of r·φ for an element pair.</summary>
    internal EamSpline RPhiSpline(int a, int b) => _z2r[PairIndex(a, b)];

    /// <summary>φ(r) of elements a, b (eV), as LAMMPS evaluates it: (r·φ)·(1/r).</summary>
    public double PairPotential(int a, int b, double r) => _z2r[PairIndex(a, b)].Value(r) * (1.0 / r);

    /// <summary>Density contributed at a host of element <paramref name="host"/> by an atom of element <paramref name="source"/> at distance r.</summary>
    public double DensityFunction(int source, int host, double r) => Density(source, host).Value(r);

    /// <summary>F(ρ) of an element (eV), with LAMMPS's linear continuation above ρ_max.</summary>
    public double EmbeddingEnergy(int element, double rho) => Embedding(element, rho, out _, out _);

    /// <summary>F, F′ and F″ at ρ (F″ = 0 on the linear continuation).</summary>
    internal double Embedding(int element, double rho, out double fp, out double fpp)
    {
        double f = _frho[element].Value(rho, out fp, out fpp);
        double rhomax = DensityMax;
        if (rho > rhomax) { f += fp * (rho - rhomax); fpp = 0.0; }
        return f;
    }

    /// <summary>φ, φ′, φ″ at r from the r·φ table: φ = z/r, φ′ = z′/r − φ/r, φ″ = (z″ − 2φ′)/r.</summary>
    internal void Pair(int a, int b, double r, out double phi, out double dphi, out double d2phi)
    {
        double z = _z2r[PairIndex(a, b)].Value(r, out double zp, out double zpp);
        double recip = 1.0 / r;
        phi = z * recip;
        dphi = zp * recip - phi * recip;
        d2phi = (zpp - 2.0 * dphi) * recip;
    }

    /// <summary>
    /// The neighbour list of <paramref name="frame"/> that this potential uses: every periodic image with
    /// r² &lt; r_c² (r² = Δx² + Δy² + Δz², LAMMPS's test), from <see cref="NeighborSearch"/> (triclinic cells and cells
    /// thinner than the cutoff included).
    /// </summary>
    public NeighborList Neighbors(Frame frame, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(frame);
        double cutsq = Cutoff * Cutoff;
        var wide = new NeighborSearch(threads).Ball(frame, Cutoff * (1 + 1e-9) + 1e-9);
        var nl = wide.Filter((_, p) => wide.Dx[p] * wide.Dx[p] + wide.Dy[p] * wide.Dy[p] + wide.Dz[p] * wide.Dz[p] < cutsq);
        return new NeighborList(nl.Offsets, nl.Index, nl.Dx, nl.Dy, nl.Dz, nl.Distance, null, "eam", Cutoff);
    }

    /// <summary>
    /// Energies and forces of <paramref name="frame"/> (species matched to elements by name). Per atom:
    /// E_i = F_i(ρ_i) + ½ Σ_j φ_ij (LAMMPS <c>compute pe/atom</c>) and f_i = −∂E/∂r_i. Identical for any thread count.
    /// </summary>
    public EamResult Compute(Frame frame, int threads = 0) => Compute(frame, Neighbors(frame, threads), threads);

    /// <summary>As <see cref="Compute(Frame, int)"/> with a list from <see cref="Neighbors"/> (pairs at or beyond the cutoff are ignored).</summary>
    public EamResult Compute(Frame frame, NeighborList neighbors, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(neighbors);
        if (neighbors.AtomCount != frame.Count) throw new ArgumentException("the neighbour list is not of this frame");
        if (threads < 0) throw new ArgumentOutOfRangeException(nameof(threads), "threads must be ≥ 0 (0 = all cores)");
        int n = frame.Count;
        var map = ElementsOf(frame.Species);
        var el = new int[n];
        for (int i = 0; i < n; i++) el[i] = map[frame.SpeciesIndex[i]];
        var po = new ParallelOptions { MaxDegreeOfParallelism = threads == 0 ? -1 : threads };
        double cutsq = Cutoff * Cutoff;
        var off = neighbors.Offsets; var idx = neighbors.Index; var dx = neighbors.Dx; var dy = neighbors.Dy; var dz = neighbors.Dz;

        var rho = new double[n]; var emb = new double[n]; var fp = new double[n]; var fpp = new double[n];
        Parallel.For(0, n, po, i =>
        {
            double s = 0;
            int ei = el[i];
            for (int p = off[i]; p < off[i + 1]; p++)
            {
                double rsq = dx[p] * dx[p] + dy[p] * dy[p] + dz[p] * dz[p];
                if (rsq >= cutsq) continue;
                s += Density(el[idx[p]], ei).Value(Math.Sqrt(rsq));
            }
            rho[i] = s;
            emb[i] = Embedding(ei, s, out fp[i], out fpp[i]);
        });

        var pair = new double[n]; var fx = new double[n]; var fy = new double[n]; var fz = new double[n];
        Parallel.For(0, n, po, i =>
        {
            int ei = el[i];
            double e = 0, gx = 0, gy = 0, gz = 0;
            for (int p = off[i]; p < off[i + 1]; p++)
            {
                double rsq = dx[p] * dx[p] + dy[p] * dy[p] + dz[p] * dz[p];
                if (rsq >= cutsq) continue;
                int j = idx[p], ej = el[j];
                double r = Math.Sqrt(rsq);
                Density(ei, ej).Value(r, out double rhoip);
                Density(ej, ei).Value(r, out double rhojp);
                double z2 = _z2r[PairIndex(ei, ej)].Value(r, out double z2p);
                double recip = 1.0 / r;
                double phi = z2 * recip;
                double phip = z2p * recip - phi * recip;
                double psip = fp[i] * rhojp + fp[j] * rhoip + phip;
                double fpair = psip * recip; // d = r_j − r_i, so f_i = +ψ′ d / r
                gx += dx[p] * fpair; gy += dy[p] * fpair; gz += dz[p] * fpair;
                e += phi;
            }
            pair[i] = 0.5 * e;
            fx[i] = gx; fy[i] = gy; fz[i] = gz;
        });
        var energy = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) { energy[i] = emb[i] + pair[i]; total += energy[i]; }
        return new EamResult(this, neighbors, el, rho, emb, fp, fpp, pair, energy, fx, fy, fz, total);
    }

    /// <summary>
    /// Bond-cutting energy of the pair entry <paramref name="pair"/> of atom <paramref name="i"/> in
    /// <paramref name="state"/>.Neighbors: b = E(that pair removed, all else fixed) − E
    /// = −φ_ij + [F_i(ρ_i − ρ_{j→i}) − F_i(ρ_i)] + [F_j(ρ_j − ρ_{i→j}) − F_j(ρ_j)], positive when the pair binds.
    /// Each periodic image of j is its own bond. An atom's bond with its own image (cells thinner than the cutoff)
    /// removes that image on both sides (±Δ), so ρ_i loses 2ρ_{i→i} and the pair term φ once.
    /// </summary>
    public static double BondCuttingEnergy(EamResult state, int i, int pair)
    {
        ArgumentNullException.ThrowIfNull(state);
        var nl = state.Neighbors;
        if ((uint)i >= (uint)nl.AtomCount) throw new ArgumentOutOfRangeException(nameof(i));
        if (pair < nl.Offsets[i] || pair >= nl.Offsets[i + 1]) throw new ArgumentOutOfRangeException(nameof(pair), "the pair entry is not one of atom i's");
        var pot = state.Potential;
        double rsq = nl.Dx[pair] * nl.Dx[pair] + nl.Dy[pair] * nl.Dy[pair] + nl.Dz[pair] * nl.Dz[pair];
        if (rsq >= pot.Cutoff * pot.Cutoff) return 0.0;
        int j = nl.Index[pair], ei = state.Element[i], ej = state.Element[j];
        double r = Math.Sqrt(rsq);
        double phi = pot.PairPotential(ei, ej, r);
        if (i == j)
        {
            double lost = 2.0 * pot.Density(ei, ei).Value(r);
            return -phi + pot.EmbeddingEnergy(ei, state.Density[i] - lost) - state.Embedding[i];
        }
        double bi = pot.EmbeddingEnergy(ei, state.Density[i] - pot.Density(ej, ei).Value(r)) - state.Embedding[i];
        double bj = pot.EmbeddingEnergy(ej, state.Density[j] - pot.Density(ei, ej).Value(r)) - state.Embedding[j];
        return -phi + bi + bj;
    }

    /// <summary>
    /// Bond-cutting energies of every entry of <paramref name="state"/>.Neighbors (aligned with its pair arrays; the two
    /// directions of a bond get the same value). See <see cref="BondCuttingEnergy"/>.
    /// </summary>
    public static double[] BondCuttingEnergies(EamResult state, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(state);
        var nl = state.Neighbors;
        var b = new double[nl.PairCount];
        var po = new ParallelOptions { MaxDegreeOfParallelism = threads == 0 ? -1 : threads };
        Parallel.For(0, nl.AtomCount, po, i =>
        {
            for (int p = nl.Offsets[i]; p < nl.Offsets[i + 1]; p++) b[p] = BondCuttingEnergy(state, i, p);
        });
        return b;
    }

    /// <summary>
    /// The pair entry of atom <paramref name="i"/> for atom <paramref name="j"/>: the only periodic image of j within the
    /// cutoff, or, when several are, the one whose displacement r_j − r_i is within 1e-6 Å of <paramref name="displacement"/>.
    /// No such entry is an <see cref="ArgumentException"/>.
    /// </summary>
    public static int FindPair(EamResult state, int i, int j, Vec3? displacement = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        var nl = state.Neighbors;
        int found = -1, count = 0;
        for (int p = nl.Offsets[i]; p < nl.Offsets[i + 1]; p++)
        {
            if (nl.Index[p] != j) continue;
            if (displacement is Vec3 d)
            {
                if (Math.Abs(nl.Dx[p] - d.X) <= 1e-6 && Math.Abs(nl.Dy[p] - d.Y) <= 1e-6 && Math.Abs(nl.Dz[p] - d.Z) <= 1e-6) return p;
                continue;
            }
            found = p; count++;
        }
        string a = state.Neighbors.AtomCount > 0 ? $"atoms {i} and {j}" : "";
        if (count == 1) return found;
        if (count == 0) throw new ArgumentException($"{a}: no periodic image within the cutoff {state.Potential.Cutoff.ToString(CultureInfo.InvariantCulture)} Å" + (displacement is null ? "" : " with that displacement"));
        throw new ArgumentException($"{a}: {count} periodic images within the cutoff; give the displacement of the one meant");
    }
}

/// <summary>
/// EAM energies and forces of one frame (<see cref="EamPotential.Compute(Frame, int)"/>). Per-atom arrays are in frame
/// order. Energies in eV, forces in eV/Å, densities in the table's units.
/// </summary>
public sealed class EamResult
{
    internal EamResult(EamPotential potential, NeighborList neighbors, int[] element, double[] density, double[] embedding, double[] fp, double[] fpp,
        double[] pair, double[] energy, double[] fx, double[] fy, double[] fz, double total)
    {
        Potential = potential; Neighbors = neighbors; Element = element; Density = density; Embedding = embedding;
        EmbeddingDerivative = fp; EmbeddingSecondDerivative = fpp; PairEnergy = pair; Energy = energy;
        Fx = fx; Fy = fy; Fz = fz; TotalEnergy = total;
    }

    /// <summary>The potential.</summary>
    public EamPotential Potential { get; }
    /// <summary>The pairs used (full list: each pair in both directions, every periodic image).</summary>
    public NeighborList Neighbors { get; }
    /// <summary>Element index (into <see cref="EamPotential.Elements"/>) per atom.</summary>
    public int[] Element { get; }
    /// <summary>Host density ρ_i.</summary>
    public double[] Density { get; }
    /// <summary>Embedding energy F_i(ρ_i) (eV).</summary>
    public double[] Embedding { get; }
    /// <summary>F′_i(ρ_i).</summary>
    public double[] EmbeddingDerivative { get; }
    /// <summary>F″_i(ρ_i) (zero on the linear continuation above ρ_max).</summary>
    public double[] EmbeddingSecondDerivative { get; }
    /// <summary>½ Σ_j φ_ij (eV).</summary>
    public double[] PairEnergy { get; }
    /// <summary>Per-atom energy F_i + ½ Σ_j φ_ij (eV), LAMMPS's pe/atom.</summary>
    public double[] Energy { get; }
    /// <summary>Force x components (eV/Å).</summary>
    public double[] Fx { get; }
    /// <summary>Force y components (eV/Å).</summary>
    public double[] Fy { get; }
    /// <summary>Force z components (eV/Å).</summary>
    public double[] Fz { get; }
    /// <summary>Total energy Σ_i E_i (eV), summed in atom order.</summary>
    public double TotalEnergy { get; }
}
