using System.Globalization;
using GlassML.Neighbors;
using GlassML.Structure;

namespace GlassML.Descriptors;

/// <summary>Which Behler angular symmetry function.</summary>
public enum AngularFunctionKind
{
    /// <summary>G4: includes exp(−η r_jk²) f_c(r_jk) of the third side.</summary>
    G4,
    /// <summary>G5: only the two bonds from the centre.</summary>
    G5,
}

/// <summary>Parameters of the angular structure functions.</summary>
public sealed record AngularStructureFunctionOptions
{
    /// <summary>Cutoff R_c (Å) of the cosine cutoff function and of the neighbours used. Default 6.0.</summary>
    public double Cutoff { get; init; } = 6.0;
    /// <summary>Length scales ξ (Å), η = 1/ξ². Default 1.5, 2.5, 4.0.</summary>
    public IReadOnlyList<double> Xi { get; init; } = [1.5, 2.5, 4.0];
    /// <summary>λ values (±1). Default −1, +1.</summary>
    public IReadOnlyList<double> Lambda { get; init; } = [-1.0, 1.0];
    /// <summary>ζ exponents (≥ 1). Default 1, 2, 4.</summary>
    public IReadOnlyList<double> Zeta { get; init; } = [1.0, 2.0, 4.0];
    /// <summary>Functions to compute. Default G4 only.</summary>
    public IReadOnlyList<AngularFunctionKind> Kinds { get; init; } = [AngularFunctionKind.G4];
    /// <summary>Neighbour species (names) whose pairs make the blocks; null: the frame's species in table order.</summary>
    public IReadOnlyList<string>? Species { get; init; }
    /// <summary>Maximum degree of parallelism (0 = all cores).</summary>
    public int Threads { get; init; }
}

/// <summary>
/// Behler angular symmetry functions per neighbour-species pair (Behler, J. Chem. Phys. 134, 074106 (2011),
/// doi:10.1063/1.3553717), with length scale ξ (η = 1/ξ²) as in the softness literature (Cubuk et al., PRL 114, 108001 (2015)):
/// <para>G4_i = 2^{1−ζ} Σ_{j&lt;k} (1 + λ cos θ_jik)^ζ exp(−η (r_ij² + r_ik² + r_jk²)) f_c(r_ij) f_c(r_ik) f_c(r_jk)</para>
/// <para>G5_i = 2^{1−ζ} Σ_{j&lt;k} (1 + λ cos θ_jik)^ζ exp(−η (r_ij² + r_ik²)) f_c(r_ij) f_c(r_ik)</para>
/// f_c(r) = ½(cos(π r/R_c) + 1) for r ≤ R_c, else 0. Sums run over unordered pairs of neighbour images {j, k} of i
/// (each triplet once) with r_ij, r_ik ≤ R_c whose species are the block's pair {S1, S2} (S1 ≤ S2 in species order);
/// r_jk is |d_ik − d_ij| of the images concerned. Names:
/// <c>asf_{g4|g5}_{S1}-{S2}_xi{ξ:0.00}_lam{λ:+0;-0}_zeta{ζ:0.##}</c>, ordered by kind, species pair, ξ, λ, ζ.
/// </summary>
public sealed class AngularStructureFunctions
{
    /// <summary>Creates the compute; parameters validated here.</summary>
    public AngularStructureFunctions(AngularStructureFunctionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!(options.Cutoff > 0) || double.IsInfinity(options.Cutoff)) throw new ArgumentOutOfRangeException(nameof(options), "Cutoff must be positive and finite (Å)");
        if (options.Xi.Count == 0 || options.Xi.Any(x => !(x > 0))) throw new ArgumentOutOfRangeException(nameof(options), "Xi must be a non-empty list of positive lengths (Å)");
        if (options.Lambda.Count == 0 || options.Lambda.Any(l => l != 1 && l != -1)) throw new ArgumentOutOfRangeException(nameof(options), "Lambda values must be +1 or −1");
        if (options.Zeta.Count == 0 || options.Zeta.Any(z => !(z >= 1))) throw new ArgumentOutOfRangeException(nameof(options), "Zeta values must be ≥ 1");
        if (options.Kinds.Count == 0 || options.Kinds.Any(k => !Enum.IsDefined(k))) throw new ArgumentOutOfRangeException(nameof(options), "Kinds must be G4 and/or G5");
        if (options.Threads < 0) throw new ArgumentOutOfRangeException(nameof(options), "Threads must be ≥ 0 (0 = all cores)");
        Options = options;
    }

    /// <summary>The options given.</summary>
    public AngularStructureFunctionOptions Options { get; }

    /// <summary>The neighbour-list cutoff (Å) needed: R_c.</summary>
    public double RequiredCutoff => Options.Cutoff;

    /// <summary>Feature names for the given species list.</summary>
    public IReadOnlyList<string> FeatureNames(IReadOnlyList<string> species)
    {
        var names = new List<string>();
        var ci = CultureInfo.InvariantCulture;
        foreach (var kind in Options.Kinds)
            for (int a = 0; a < species.Count; a++)
                for (int b = a; b < species.Count; b++)
                    foreach (var xi in Options.Xi)
                        foreach (var lam in Options.Lambda)
                            foreach (var z in Options.Zeta)
                                names.Add($"asf_{(kind == AngularFunctionKind.G4 ? "g4" : "g5")}_{species[a]}-{species[b]}_xi{xi.ToString("0.00", ci)}_lam{lam.ToString("+0;-0", ci)}_zeta{z.ToString("0.##", ci)}");
        return names;
    }

    /// <summary>Computes the functions of every atom (rows in frame order) from a cutoff list with cutoff ≥ R_c (all images).</summary>
    public PerAtomFeatures Compute(Frame frame, NeighborList neighbors)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(neighbors);
        if (neighbors.AtomCount != frame.Count) throw new ArgumentException($"the neighbour list has {neighbors.AtomCount} atoms, the frame {frame.Count}");
        if (!(neighbors.Cutoff >= Options.Cutoff * (1 - 1e-12)))
            throw new ArgumentException($"angular structure functions need a cutoff neighbour list with cutoff ≥ {Options.Cutoff:G6} Å (got {neighbors.Cutoff:G6})");
        var species = Options.Species ?? frame.Species.All.Select(s => s.Name).ToList();
        int ns = species.Count;
        var map = new int[frame.Species.Count];
        for (int t = 0; t < map.Length; t++)
        {
            map[t] = -1;
            for (int k = 0; k < ns; k++) if (species[k] == frame.Species[t].Name) map[t] = k;
        }
        var names = FeatureNames(species);
        int F = names.Count, n = frame.Count;
        int nPairs = ns * (ns + 1) / 2;
        var xi = Options.Xi.ToArray(); var lam = Options.Lambda.ToArray(); var zeta = Options.Zeta.ToArray();
        int nx = xi.Length, nl = lam.Length, nz = zeta.Length, perPair = nx * nl * nz;
        var eta = xi.Select(x => 1.0 / (x * x)).ToArray();
        var norm = zeta.Select(z => Math.Pow(2, 1 - z)).ToArray();
        // block index of species pair (a ≤ b)
        var pairIndex = new int[ns, ns];
        for (int a = 0, q = 0; a < ns; a++) for (int b = a; b < ns; b++) { pairIndex[a, b] = q; pairIndex[b, a] = q; q++; }
        var kinds = Options.Kinds.ToArray();
        double rc = Options.Cutoff;
        var values = new double[(long)n * F];
        var po = new ParallelOptions { MaxDegreeOfParallelism = Options.Threads == 0 ? -1 : Options.Threads };
        Parallel.For(0, n, po, () => new Scratch(), (i, _, sc) =>
        {
            int start = neighbors.Offsets[i], end = neighbors.Offsets[i + 1];
            sc.Ensure(end - start);
            var bx = sc.X; var by = sc.Y; var bz = sc.Z; var fc = sc.Fc; var idx = sc.Species;
            int cnt = 0;
            for (int p = start; p < end; p++)
            {
                double d = neighbors.Distance[p];
                if (d > rc) continue;
                int s = map[frame.SpeciesIndex[neighbors.Index[p]]];
                if (s < 0) continue;
                bx[cnt] = neighbors.Dx[p]; by[cnt] = neighbors.Dy[p]; bz[cnt] = neighbors.Dz[p];
                fc[cnt] = 0.5 * (Math.Cos(Math.PI * d / rc) + 1);
                idx[cnt] = s;
                cnt++;
            }
            var row = values.AsSpan((int)((long)i * F), F);
            for (int j = 0; j < cnt; j++)
            {
                double rij2 = bx[j] * bx[j] + by[j] * by[j] + bz[j] * bz[j];
                for (int k = j + 1; k < cnt; k++)
                {
                    double rik2 = bx[k] * bx[k] + by[k] * by[k] + bz[k] * bz[k];
                    double ex = bx[k] - bx[j], ey = by[k] - by[j], ez = bz[k] - bz[j];
                    double rjk2 = ex * ex + ey * ey + ez * ez, rjk = Math.Sqrt(rjk2);
                    double cos = (bx[j] * bx[k] + by[j] * by[k] + bz[j] * bz[k]) / Math.Sqrt(rij2 * rik2);
                    double fcjk = rjk <= rc ? 0.5 * (Math.Cos(Math.PI * rjk / rc) + 1) : 0;
                    double f2 = fc[j] * fc[k];
                    int blk = pairIndex[idx[j], idx[k]];
                    for (int kk = 0; kk < kinds.Length; kk++)
                    {
                        bool g4 = kinds[kk] == AngularFunctionKind.G4;
                        double fcut = g4 ? f2 * fcjk : f2;
                        if (fcut == 0) continue;
                        double r2sum = g4 ? rij2 + rik2 + rjk2 : rij2 + rik2;
                        int baseCol = (kk * nPairs + blk) * perPair;
                        for (int a = 0; a < nx; a++)
                        {
                            double radial = Math.Exp(-eta[a] * r2sum) * fcut;
                            for (int b = 0; b < nl; b++)
                            {
                                double ang = Math.Max(0, 1 + lam[b] * cos);
                                for (int c = 0; c < nz; c++)
                                    row[baseCol + (a * nl + b) * nz + c] += norm[c] * Math.Pow(ang, zeta[c]) * radial;
                            }
                        }
                    }
                }
            }
            return sc;
        }, _ => { });
        return new PerAtomFeatures(names, n, values);
    }

    /// <summary>Per-thread neighbour buffers.</summary>
    private sealed class Scratch
    {
        public double[] X = [], Y = [], Z = [], Fc = [];
        public int[] Species = [];

        public void Ensure(int cap)
        {
            if (X.Length >= cap) return;
            cap = Math.Max(cap, 2 * X.Length);
            X = new double[cap]; Y = new double[cap]; Z = new double[cap]; Fc = new double[cap]; Species = new int[cap];
        }
    }
}
