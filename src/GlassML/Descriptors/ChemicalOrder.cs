using GlassML.Neighbors;
using GlassML.Structure;

namespace GlassML.Descriptors;

/// <summary>Parameters of <see cref="ChemicalOrder"/>.</summary>
public sealed record ChemicalOrderOptions
{
    /// <summary>Report the neighbour counts <c>csro_n_{S}_SRC</c>. Default true.</summary>
    public bool Counts { get; init; } = true;
    /// <summary>Report the neighbour fractions <c>csro_x_{S}_SRC</c>. Default true.</summary>
    public bool Fractions { get; init; } = true;
    /// <summary>Report the Warren–Cowley parameters <c>wc_{S}_SRC</c>. Default true.</summary>
    public bool WarrenCowley { get; init; } = true;
    /// <summary>Maximum degree of parallelism (0 = all cores).</summary>
    public int Threads { get; init; }
}

/// <summary>
/// Sample-level chemical order (seed 004): η_AB = 1 − ⟨Z_AB⟩ / Z*_AB with Z*_AB = c_B ⟨Z_A⟩⟨Z_B⟩ / ⟨Z⟩.
/// Matrices are row-major S × S over <see cref="Species"/> (row A = centre species, column B = neighbour species).
/// </summary>
/// <param name="Species">Species names in frame order.</param>
/// <param name="Concentration">c_S = N_S / N.</param>
/// <param name="MeanCoordination">⟨Z_A⟩: mean coordination number of atoms of species A.</param>
/// <param name="OverallMeanCoordination">⟨Z⟩: mean coordination number of all atoms.</param>
/// <param name="MeanPartialCoordination">⟨Z_AB⟩: mean number of B neighbours of an A atom (S × S).</param>
/// <param name="Eta">η_AB (S × S); NaN where a species is absent or Z*_AB = 0.</param>
public sealed record SampleChemicalOrder(IReadOnlyList<string> Species, double[] Concentration, double[] MeanCoordination,
    double OverallMeanCoordination, double[] MeanPartialCoordination, double[] Eta)
{
    /// <summary>η for centre species a and neighbour species b (by index).</summary>
    public double EtaOf(int a, int b) => Eta[a * Species.Count + b];
}

/// <summary>
/// Chemical short-range order per atom from any <see cref="NeighborList"/>: for every neighbour species S,
/// n_S(i) (<c>csro_n_{S}_SRC</c>), x_S(i) = n_S(i)/N_i (<c>csro_x_{S}_SRC</c>) and the Warren–Cowley parameter
/// α_S(i) = 1 − x_S(i)/c_S (<c>wc_{S}_SRC</c>), c_S the sample concentration of S (Cowley, Phys. Rev. 77, 669 (1950)).
/// Σ_S c_S α_S(i) = 0 for every atom with neighbours. Atoms without neighbours get n = 0 and NaN fractions;
/// species absent from the sample give NaN Warren–Cowley columns. Column groups in order n, x, wc, each over
/// species in frame order. Periodic images count as separate neighbours.
/// </summary>
public sealed class ChemicalOrder
{
    /// <summary>Creates the compute.</summary>
    public ChemicalOrder(ChemicalOrderOptions? options = null)
    {
        Options = options ?? new ChemicalOrderOptions();
        if (Options.Threads < 0) throw new ArgumentOutOfRangeException(nameof(options), "Threads must be ≥ 0 (0 = all cores)");
        if (!Options.Counts && !Options.Fractions && !Options.WarrenCowley) throw new ArgumentException("select at least one of Counts, Fractions, WarrenCowley", nameof(options));
    }

    /// <summary>The options in force.</summary>
    public ChemicalOrderOptions Options { get; }

    /// <summary>Column names for the species of a frame and a neighbour source suffix, in output order.</summary>
    public IReadOnlyList<string> FeatureNames(SpeciesTable species, string source)
    {
        var names = new List<string>();
        if (Options.Counts) foreach (var s in species.All) names.Add($"csro_n_{s.Name}_{source}");
        if (Options.Fractions) foreach (var s in species.All) names.Add($"csro_x_{s.Name}_{source}");
        if (Options.WarrenCowley) foreach (var s in species.All) names.Add($"wc_{s.Name}_{source}");
        return names;
    }

    /// <summary>Computes the per-atom columns (N × F, order of <see cref="FeatureNames"/>).</summary>
    public PerAtomFeatures Compute(Frame frame, NeighborList neighbors)
    {
        int n = DescriptorArguments.Check(frame, neighbors);
        var names = FeatureNames(frame.Species, neighbors.Source);
        var v = new double[(long)n * names.Count];
        ComputeInto(frame, neighbors, v, names.Count, 0);
        return new PerAtomFeatures(names, n, v);
    }

    /// <summary>Number of columns for a species count (order of <see cref="FeatureNames"/>).</summary>
    internal int FeatureCount(int species) => species * ((Options.Counts ? 1 : 0) + (Options.Fractions ? 1 : 0) + (Options.WarrenCowley ? 1 : 0));

    /// <summary>Writes the columns of atom i to dest[i·stride + offset ..) for every atom (values of <see cref="Compute"/>).</summary>
    internal void ComputeInto(Frame frame, NeighborList neighbors, double[] dest, int stride, int offset) =>
        ComputeRows(frame, neighbors, AtomRows.All(frame.Count), dest, stride, offset);

    /// <summary>The rows of the given atoms only (row k ← atom rows.Atom(k)), values identical to <see cref="ComputeInto"/>'s.</summary>
    internal void ComputeRows(Frame frame, NeighborList neighbors, AtomRows rows, double[] dest, int stride, int offset)
    {
        int n = DescriptorArguments.Check(frame, neighbors), ns = frame.Species.Count;
        RowLayout.Check(dest, rows.Count, stride, offset, FeatureCount(ns));
        var counts = frame.SpeciesCounts();
        var conc = new double[ns];
        for (int s = 0; s < ns; s++) conc[s] = n > 0 ? (double)counts[s] / n : double.NaN;
        var v = dest;
        var off = neighbors.Offsets; var idx = neighbors.Index; var sp = frame.SpeciesIndex;
        int cN = 0, cX = Options.Counts ? ns : 0, cW = cX + (Options.Fractions ? ns : 0);
        ParallelChunks.Run(rows.Count, Options.Threads, () => new int[ns], (lo, hi, cnt) =>
        {
            for (int k = lo; k < hi; k++)
            {
                int i = rows.Atom(k);
                Array.Clear(cnt);
                int p0 = off[i], p1 = off[i + 1], c = p1 - p0;
                for (int p = p0; p < p1; p++) cnt[sp[idx[p]]]++;
                long r = (long)k * stride + offset;
                for (int s = 0; s < ns; s++)
                {
                    double x = c > 0 ? (double)cnt[s] / c : double.NaN;
                    if (Options.Counts) v[r + cN + s] = cnt[s];
                    if (Options.Fractions) v[r + cX + s] = x;
                    if (Options.WarrenCowley) v[r + cW + s] = counts[s] > 0 ? 1.0 - x / conc[s] : double.NaN;
                }
            }
        });
    }

    /// <summary>
    /// Sample-level chemical order η_AB = 1 − ⟨Z_AB⟩/Z*_AB, Z*_AB = c_B ⟨Z_A⟩⟨Z_B⟩/⟨Z⟩ (physics.md, seed 004), from
    /// integer neighbour counts (exact, independent of threads).
    /// </summary>
    public static SampleChemicalOrder SampleEta(Frame frame, NeighborList neighbors)
    {
        int n = DescriptorArguments.Check(frame, neighbors), ns = frame.Species.Count;
        var counts = frame.SpeciesCounts();
        var zab = new long[ns * ns];
        var za = new long[ns];
        long z = 0;
        var sp = frame.SpeciesIndex;
        for (int i = 0; i < n; i++)
        {
            int a = sp[i];
            for (int p = neighbors.Offsets[i]; p < neighbors.Offsets[i + 1]; p++) zab[a * ns + sp[neighbors.Index[p]]]++;
            int c = neighbors.CountOf(i);
            za[a] += c; z += c;
        }
        var conc = new double[ns]; var meanZa = new double[ns]; var meanZab = new double[ns * ns]; var eta = new double[ns * ns];
        double meanZ = n > 0 ? (double)z / n : double.NaN;
        for (int a = 0; a < ns; a++)
        {
            conc[a] = n > 0 ? (double)counts[a] / n : double.NaN;
            meanZa[a] = counts[a] > 0 ? (double)za[a] / counts[a] : double.NaN;
        }
        for (int a = 0; a < ns; a++)
            for (int b = 0; b < ns; b++)
            {
                meanZab[a * ns + b] = counts[a] > 0 ? (double)zab[a * ns + b] / counts[a] : double.NaN;
                double zStar = conc[b] * meanZa[a] * meanZa[b] / meanZ;
                eta[a * ns + b] = zStar > 0 ? 1.0 - meanZab[a * ns + b] / zStar : double.NaN;
            }
        return new SampleChemicalOrder(frame.Species.All.Select(s => s.Name).ToArray(), conc, meanZa, meanZ, meanZab, eta);
    }
}
