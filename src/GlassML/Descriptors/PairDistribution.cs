using GlassML.Neighbors;
using GlassML.Structure;

namespace GlassML.Descriptors;

/// <summary>Total and partial radial distribution functions on a uniform grid.</summary>
/// <param name="R">Bin centres (Å).</param>
/// <param name="Total">Total g(r).</param>
/// <param name="PairNames">Names of the partials, "A-B" for species indices a ≤ b.</param>
/// <param name="Partial">Partial g_ab(r) per pair name (same order as <paramref name="PairNames"/>).</param>
/// <param name="Coordination">Running coordination number per partial (neighbours of species b around a), as LAMMPS prints.</param>
public sealed record PairDistributionResult(double[] R, double[] Total, IReadOnlyList<string> PairNames, double[][] Partial, double[][] Coordination);

/// <summary>
/// Radial distribution function g(r), normalised exactly as LAMMPS <c>compute rdf</c>:
/// bins of width Δ = rmax/bins, g_ab(bin) = H_ab / (V_shell · (N_b − δ_ab) · N_a / V) with
/// V_shell = 4π/3 (r_hi³ − r_lo³); pairs counted over every periodic image closer than rmax.
/// Needs a neighbour list with cutoff ≥ rmax.
/// </summary>
public sealed class PairDistribution
{
    /// <summary>Creates the compute.</summary>
    /// <param name="rMax">Largest distance (Å).</param>
    /// <param name="bins">Number of bins.</param>
    public PairDistribution(double rMax, int bins)
    {
        if (!(rMax > 0)) throw new ArgumentOutOfRangeException(nameof(rMax), "rmax must be positive");
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins), "bins must be at least 1");
        RMax = rMax; Bins = bins;
    }

    /// <summary>Largest distance (Å).</summary>
    public double RMax { get; }
    /// <summary>Number of bins.</summary>
    public int Bins { get; }

    /// <summary>Computes g(r) of a frame from a cutoff neighbour list with cutoff ≥ <see cref="RMax"/>.</summary>
    public PairDistributionResult Compute(Frame frame, NeighborList neighbors)
    {
        if (!(neighbors.Cutoff >= RMax)) throw new ArgumentException($"the neighbour list cutoff ({neighbors.Cutoff}) must be at least rmax ({RMax})");
        int ns = frame.Species.Count, n = frame.Count;
        double delr = RMax / Bins, delrinv = 1.0 / delr;
        // hist[a, b, bin] counts ordered pairs (i of species a, j of species b)
        var hist = new long[ns * ns * Bins];
        var sp = frame.SpeciesIndex;
        for (int i = 0; i < n; i++)
        {
            int a = sp[i];
            for (int p = neighbors.Offsets[i]; p < neighbors.Offsets[i + 1]; p++)
            {
                double r = neighbors.Distance[p];
                if (r >= RMax) continue;
                int bin = (int)(r * delrinv);
                if (bin >= Bins) continue;
                hist[(a * ns + sp[neighbors.Index[p]]) * Bins + bin]++;
            }
        }
        var counts = frame.SpeciesCounts();
        double constant = 4.0 * Math.PI / (3.0 * frame.Box.Volume);
        var rr = new double[Bins];
        for (int b = 0; b < Bins; b++) rr[b] = (b + 0.5) * delr;

        (double[] g, double[] coord) Normalise(Func<int, long> h, double icount, double jcount, double dup)
        {
            var g = new double[Bins]; var c = new double[Bins];
            double normfac = icount > 0 ? jcount - dup / icount : 0.0;
            double ncoord = 0;
            for (int b = 0; b < Bins; b++)
            {
                double rlower = b * delr, rupper = (b + 1) * delr;
                double vfrac = constant * (rupper * rupper * rupper - rlower * rlower * rlower);
                double gr = vfrac * normfac != 0.0 ? h(b) / (vfrac * normfac * icount) : 0.0;
                if (icount != 0) ncoord += gr * vfrac * normfac;
                g[b] = gr; c[b] = ncoord;
            }
            return (g, c);
        }

        var (total, _) = Normalise(b =>
        {
            long s = 0;
            for (int x = 0; x < ns * ns; x++) s += hist[x * Bins + b];
            return s;
        }, n, n, n);
        var names = new List<string>(); var partial = new List<double[]>(); var coordination = new List<double[]>();
        for (int a = 0; a < ns; a++)
        for (int b = a; b < ns; b++)
        {
            int aa = a, bb = b;
            var (g, c) = Normalise(bin => hist[(aa * ns + bb) * Bins + bin], counts[a], counts[b], a == b ? counts[a] : 0);
            names.Add($"{frame.Species[a].Name}-{frame.Species[b].Name}");
            partial.Add(g); coordination.Add(c);
        }
        return new PairDistributionResult(rr, total, names, partial.ToArray(), coordination.ToArray());
    }
}
