using GlassML.Io;
using GlassML.Learning;
using GlassML.Structure;

namespace GlassML.Tests.Learning;

/// <summary>
/// The MD glass feature table of the learning tests, built from the committed LAMMPS trajectory
/// (fixtures/learning/gbdt_md_s1.dump.gz: 321 NVT frames of the 500-atom Cu50Zr50 glass s1, positions rounded to
/// 1e-3 Å, per-atom pe to 1e-4 eV; tests/fixtures/learning/README.md). The 40 features are the definitions of
/// tools/make_gbdt_fixtures.py (<c>frame_features</c>), computed here independently with the same floating-point
/// operations for the pair distances (minimum image d −= L·round(d/L), r = √((dx²+dy²)+dz²)) so shell counts at the
/// bin edges agree with numpy exactly; sums may differ from numpy's pairwise summation in the last bits.
/// Rows: frame-major, atoms in id order; group = frame index; id = atom id + 1000·frame.
/// </summary>
internal static class GlassMdTable
{
    private static readonly double[] Shells = [0.0, 2.8, 3.2, 3.6, 4.2];
    private static readonly double[] Mus = [2.5, 2.75, 3.0, 3.25, 3.5, 3.75, 4.0, 4.5, 5.0, 5.5];
    private const double Rc = 6.0;

    /// <summary>The 40 feature names in table order (as in the Python script).</summary>
    public static readonly string[] FeatureNames = Names();

    private static string[] Names()
    {
        var n = new List<string> { "zr" };
        for (int s = 0; s + 1 < Shells.Length; s++)
            foreach (var sp in new[] { "cu", "zr" }) n.Add(FormattableString.Invariant($"n_{sp}_{Shells[s]:F1}_{Shells[s + 1]:F1}"));
        n.AddRange(["cn_3.6", "dmean_cu", "dmean_zr", "dmin", "dstd"]);
        foreach (var sp in new[] { "cu", "zr" })
            foreach (double mu in Mus) n.Add(FormattableString.Invariant($"g2_{sp}_{mu:F2}"));
        n.AddRange(["n2_cu", "n2_zr", "n3_cu", "n3_zr", "dmax", "density_6"]);
        return [.. n];
    }

    /// <summary>Features (row-major, rows × 40), pe (eV), high_pe (0/1), group and id of every atom-frame.</summary>
    public sealed record Data(int Rows, double[] X, double[] Pe, double[] HighPe, int[] Group, long[] Ids)
    {
        /// <summary>The first <paramref name="rows"/> rows as a feature table with labels <paramref name="target"/> ("pe" or "high_pe") and groups (no ids, like the CSV table it replaced).</summary>
        public FeatureTable Table(string target, int rows)
        {
            var y = target switch { "pe" => Pe, "high_pe" => HighPe, _ => throw new ArgumentException(target) };
            int nf = FeatureNames.Length;
            return new FeatureTable(FeatureNames, rows, X.AsSpan(0, rows * nf).ToArray(), y.AsSpan(0, rows).ToArray(),
                Group.AsSpan(0, rows).ToArray());
        }
    }

    private static readonly Lazy<Data> All = new(() => Build(Fixtures.Path("learning", "gbdt_md_s1.dump.gz")));

    /// <summary>All 160,500 rows (321 frames × 500 atoms), computed once per test run.</summary>
    public static Data Full => All.Value;

    /// <summary>Reads the dump with the library reader and computes the table (frames in parallel, results by index).</summary>
    public static Data Build(string path)
    {
        var frames = new List<Frame>();
        using (var reader = new LammpsDumpReader(path, new ReadOptions { TypeNames = new Dictionary<int, string> { [1] = "Cu", [2] = "Zr" } }))
            foreach (var f in reader.Frames()) frames.Add(f);
        int n = frames[0].Count, nf = FeatureNames.Length, rows = frames.Count * n;
        var x = new double[(long)rows * nf];
        var pe = new double[rows]; var hi = new double[rows]; var group = new int[rows]; var ids = new long[rows];
        Parallel.For(0, frames.Count, k =>
        {
            var f = frames[k];
            if (f.Count != n) throw new InvalidOperationException("atom count changes");
            f.SortById();
            Featurize(f, x.AsSpan(k * n * nf, n * nf));
            var p = f.Columns["c_pe"];
            int zr = f.Species.IndexOf("Zr");
            for (int i = 0; i < n; i++) { pe[k * n + i] = p[i]; group[k * n + i] = k; ids[k * n + i] = f.Ids[i] + 1000L * k; }
            // high_pe: pe above the median of the atom's species in its frame (numpy median: mean of the middle pair)
            foreach (bool isZr in new[] { false, true })
            {
                var v = new List<double>();
                for (int i = 0; i < n; i++) if ((f.SpeciesIndex[i] == zr) == isZr) v.Add(p[i]);
                v.Sort();
                int m = v.Count;
                double med = m % 2 == 1 ? v[m / 2] : (v[m / 2 - 1] + v[m / 2]) / 2;
                for (int i = 0; i < n; i++) if ((f.SpeciesIndex[i] == zr) == isZr) hi[k * n + i] = p[i] > med ? 1 : 0;
            }
        });
        return new Data(rows, x, pe, hi, group, ids);
    }

    /// <summary>The 40 features of every atom of one orthogonal periodic frame (brute force over all pairs, minimum image).</summary>
    private static void Featurize(Frame f, Span<double> output)
    {
        var box = f.Box;
        if (box.A.Y != 0 || box.A.Z != 0 || box.B.X != 0 || box.B.Z != 0 || box.C.X != 0 || box.C.Y != 0)
            throw new InvalidOperationException("orthogonal box expected");
        double lx = box.A.X, ly = box.B.Y, lz = box.C.Z;
        if (2 * Rc >= Math.Min(lx, Math.Min(ly, lz))) throw new InvalidOperationException("box too small for the minimum image");
        int n = f.Count, nf = FeatureNames.Length, zrIndex = f.Species.IndexOf("Zr");
        var X = f.X; var Y = f.Y; var Z = f.Z;
        double sphere = 4.0 / 3.0 * Math.PI * (Rc * Rc * Rc);
        var near = new double[n];
        for (int i = 0; i < n; i++)
        {
            var o = output.Slice(i * nf, nf);
            o.Clear();
            o[0] = f.SpeciesIndex[i] == zrIndex ? 1 : 0;
            // o[1..8]: shells (cu, zr); 9: cn; 10,11: dmean; 12 dmin; 13 dstd; 14..23 g2 cu; 24..33 g2 zr; 34..37 n2/n3; 38 dmax; 39 density
            double sumCu = 0, sumZr = 0, dmin = double.PositiveInfinity, dmax = 0, sumNear = 0;
            int nCu = 0, nZr = 0, nNear = 0, nRc = 0;
            for (int j = 0; j < n; j++)
            {
                if (j == i) continue;
                double dx = X[j] - X[i], dy = Y[j] - Y[i], dz = Z[j] - Z[i];
                dx -= lx * Math.Round(dx / lx); dy -= ly * Math.Round(dy / ly); dz -= lz * Math.Round(dz / lz);
                double r = Math.Sqrt(dx * dx + dy * dy + dz * dz);
                if (r < dmin) dmin = r;
                if (r >= Rc) continue;
                bool jz = f.SpeciesIndex[j] == zrIndex;
                int sp = jz ? 1 : 0;
                nRc++;
                for (int s = 0; s + 1 < Shells.Length; s++)
                    if (r >= Shells[s] && r < Shells[s + 1]) o[1 + 2 * s + sp] += 1;
                if (r < 3.6)
                {
                    near[nNear++] = r; sumNear += r;
                    if (jz) { sumZr += r; nZr++; } else { sumCu += r; nCu++; }
                    if (r > dmax) dmax = r;
                }
                double fc = 0.5 * (Math.Cos(Math.PI * r / Rc) + 1.0);
                for (int m = 0; m < Mus.Length; m++)
                {
                    double u = (r - Mus[m]) / 0.25;
                    o[14 + 10 * sp + m] += Math.Exp(-(u * u)) * fc;
                }
                if (r >= 4.2 && r < 5.5) o[34 + sp] += 1;
                else if (r >= 5.5) o[36 + sp] += 1;
            }
            o[9] = nNear;
            o[10] = nCu > 0 ? sumCu / nCu : double.NaN;   // NaN: no Cu neighbour within 3.6 Å (a real missing value)
            o[11] = nZr > 0 ? sumZr / nZr : double.NaN;
            o[12] = dmin;
            double mean = sumNear / nNear, ss = 0;
            for (int q = 0; q < nNear; q++) ss += (near[q] - mean) * (near[q] - mean);
            o[13] = Math.Sqrt(Math.Max(ss / nNear, 0.0));
            o[38] = dmax;
            o[39] = nRc / sphere;
        }
    }
}
