using GlassML.Neighbors;
using GlassML.Structure;

namespace GlassML.Descriptors;

/// <summary>Result of <see cref="BondCrystallinity"/>.</summary>
/// <param name="Atoms">
/// Per-atom columns: <c>xtal_bonds</c> (number of bonds with s &gt; threshold), <c>xtal_bond_fraction</c> (that number over
/// the neighbour count; NaN without neighbours), <c>xtal_s_mean</c> (mean s over the bonds; NaN without neighbours).
/// </param>
/// <param name="Center">Centre atom index i of each bond (one entry per neighbour-list pair, CSR order).</param>
/// <param name="Neighbor">Neighbour atom index j of each bond.</param>
/// <param name="S">Bond order correlation s(i, j) of each bond (NaN when either q6 vector vanishes).</param>
/// <param name="Q6">Per-atom Steinhardt q6 = √(4π/13 Σ_m |q6m|²) of the same neighbours (a by-product).</param>
public sealed record BondCrystallinityResult(PerAtomFeatures Atoms, int[] Center, int[] Neighbor, double[] S, double[] Q6);

/// <summary>
/// Bond crystallinity (ten Wolde, Ruiz-Montero, Frenkel, J. Chem. Phys. 104, 9932 (1996)): with
/// q_lm(i) = (1/N_i) Σ_j Y_lm(r̂_ij) over the neighbours of the list, each bond gets
/// s(i, j) = Σ_m q_lm(i) q*_lm(j) / (|q_l(i)| |q_l(j)|) (real orthonormal harmonics give the same real value; |q_l| is the
/// Euclidean norm over m), and it is crystalline when s &gt; threshold (default l = 6, threshold 0.7).
/// Perfect FCC with 12 neighbours gives s = 1 on every bond. Neighbours come from the list passed in (cutoff, Voronoi…).
/// </summary>
public sealed class BondCrystallinity
{
    /// <summary>Creates the compute.</summary>
    /// <param name="threshold">Crystalline when s &gt; threshold, in (−1, 1). Default 0.7.</param>
    /// <param name="l">Degree l ≥ 1 (default 6).</param>
    /// <param name="threads">Maximum degree of parallelism (0 = all cores).</param>
    public BondCrystallinity(double threshold = 0.7, int l = 6, int threads = 0)
    {
        if (!(threshold > -1 && threshold < 1)) throw new ArgumentOutOfRangeException(nameof(threshold), "threshold must lie in (−1, 1)");
        if (l < 1 || l > 20) throw new ArgumentOutOfRangeException(nameof(l), "l must be in 1..20");
        if (threads < 0) throw new ArgumentOutOfRangeException(nameof(threads), "threads must be ≥ 0 (0 = all cores)");
        Threshold = threshold; L = l; Threads = threads;
    }

    /// <summary>Crystalline-bond threshold on s.</summary>
    public double Threshold { get; }
    /// <summary>Degree l.</summary>
    public int L { get; }
    /// <summary>Maximum degree of parallelism (0 = all cores).</summary>
    public int Threads { get; }

    /// <summary>Computes s for every pair of the list and the per-atom counts.</summary>
    public BondCrystallinityResult Compute(Frame frame, NeighborList neighbors)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(neighbors);
        int n = frame.Count;
        if (neighbors.AtomCount != n) throw new ArgumentException($"the neighbour list has {neighbors.AtomCount} atoms, the frame {n}");
        var harm = new SoapHarmonics(L);
        int K = harm.Count, off = L * L, len = 2 * L + 1;
        var q = new double[(long)n * len];
        var qnorm = new double[n];
        var q6 = new double[n];
        var po = new ParallelOptions { MaxDegreeOfParallelism = Threads == 0 ? -1 : Threads };
        Parallel.For(0, n, po, () => (new double[K], new double[harm.PointWorkSize]), (i, _, buf) =>
        {
            var (one, work) = buf;
            var qi = q.AsSpan(i * len, len);
            int c = neighbors.CountOf(i);
            for (int p = neighbors.Offsets[i]; p < neighbors.Offsets[i + 1]; p++)
            {
                double d = neighbors.Distance[p];
                if (!(d > 0)) continue;
                harm.SolidPoint(neighbors.Dx[p] / d, neighbors.Dy[p] / d, neighbors.Dz[p] / d, one, work);
                for (int m = 0; m < len; m++) qi[m] += one[off + m];
            }
            double s2 = 0;
            if (c > 0) for (int m = 0; m < len; m++) { qi[m] /= c; s2 += qi[m] * qi[m]; }
            qnorm[i] = Math.Sqrt(s2);
            q6[i] = Math.Sqrt(4 * Math.PI / (2 * L + 1) * s2);
            return buf;
        }, _ => { });

        int pairs = neighbors.PairCount;
        var center = new int[pairs]; var nb = new int[pairs]; var s = new double[pairs];
        var vals = new double[(long)n * 3];
        Parallel.For(0, n, po, i =>
        {
            var qi = q.AsSpan(i * len, len);
            int count = 0, xtal = 0;
            double sum = 0;
            for (int p = neighbors.Offsets[i]; p < neighbors.Offsets[i + 1]; p++)
            {
                int j = neighbors.Index[p];
                var qj = q.AsSpan(j * len, len);
                double dot = 0;
                for (int m = 0; m < len; m++) dot += qi[m] * qj[m];
                double den = qnorm[i] * qnorm[j];
                double sij = den > 0 ? dot / den : double.NaN;
                center[p] = i; nb[p] = j; s[p] = sij;
                count++;
                if (sij > Threshold) xtal++;
                sum += sij;
            }
            vals[i * 3] = xtal;
            vals[i * 3 + 1] = count > 0 ? (double)xtal / count : double.NaN;
            vals[i * 3 + 2] = count > 0 ? sum / count : double.NaN;
        });
        var atoms = new PerAtomFeatures(["xtal_bonds", "xtal_bond_fraction", "xtal_s_mean"], n, vals);
        return new BondCrystallinityResult(atoms, center, nb, s, q6);
    }
}
