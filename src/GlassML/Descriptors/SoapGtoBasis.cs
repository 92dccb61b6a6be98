using System.Globalization;
using System.IO.Compression;
using GlassML.Io;
using MathNet.Numerics.LinearAlgebra;

namespace GlassML.Descriptors;

/// <summary>
/// The l-dependent gto radial basis of DScribe's SOAP: primitives φ_lk(r) = r^l exp(−α_lk r²), k = 0..n_max−1,
/// with decay radii a_k = linspace(1 Å, r_cut, n_max) and α_lk = (ln 1000 + l ln a_k) / a_k² (the primitive
/// falls to 10⁻³ at a_k); orthonormalised on [0, ∞) with weight r² by Löwdin: g_nl = Σ_k β_lnk φ_lk,
/// β_l = S_l^{−1/2}, S_l,kk' = Γ(l + 3/2) / (2 (α_lk + α_lk')^{l+3/2}).
/// For large n_max the overlap matrices are ill-conditioned (condition numbers up to 1e14 at n_max 11,
/// l_max 12), so β computed here agrees with DScribe's (scipy sqrtm(inv(S))) only to ~1e-6 relative; load
/// DScribe's own coefficients with <see cref="Load"/> when bit-level agreement matters.
/// </summary>
public sealed class SoapGtoBasis
{
    private SoapGtoBasis(int nMax, int lMax, double rCut, double[] alphas, double[] betas)
    {
        NMax = nMax; LMax = lMax; RCut = rCut; Alphas = alphas; Betas = betas;
    }

    /// <summary>Number of radial functions n_max.</summary>
    public int NMax { get; }
    /// <summary>Largest l covered.</summary>
    public int LMax { get; }
    /// <summary>Radial cutoff the basis was built for (Å); NaN if the source did not say.</summary>
    public double RCut { get; }
    /// <summary>α_lk (Å⁻²), flat [l·n_max + k], (l_max+1)·n_max entries.</summary>
    public double[] Alphas { get; }
    /// <summary>β_lnk (Å^{−l−3/2}), flat [(l·n_max + n)·n_max + k], (l_max+1)·n_max² entries.</summary>
    public double[] Betas { get; }

    /// <summary>α of degree l, primitive k.</summary>
    public double Alpha(int l, int k) => Alphas[l * NMax + k];

    /// <summary>β of degree l, basis function n, primitive k.</summary>
    public double Beta(int l, int n, int k) => Betas[(l * NMax + n) * NMax + k];

    /// <summary>Builds DScribe's gto basis for the given cutoff (Å, &gt; 1), n_max ≥ 1 and l_max ≥ 0.</summary>
    public static SoapGtoBasis Create(double rCut, int nMax, int lMax)
    {
        if (!(rCut > 1)) throw new ArgumentOutOfRangeException(nameof(rCut), "the gto basis needs r_cut > 1 Å");
        if (nMax < 1) throw new ArgumentOutOfRangeException(nameof(nMax), "n_max must be at least 1");
        if (lMax < 0) throw new ArgumentOutOfRangeException(nameof(lMax), "l_max must be ≥ 0");
        var alphas = new double[(lMax + 1) * nMax];
        var betas = new double[(lMax + 1) * nMax * nMax];
        var a = new double[nMax];
        for (int k = 0; k < nMax; k++) a[k] = nMax == 1 ? 1.0 : 1.0 + (rCut - 1.0) * k / (nMax - 1);
        if (nMax > 1) a[nMax - 1] = rCut;
        double ln1000 = -Math.Log(1e-3);
        for (int l = 0; l <= lMax; l++)
        {
            for (int k = 0; k < nMax; k++) alphas[l * nMax + k] = (ln1000 + l * Math.Log(a[k])) / (a[k] * a[k]);
            double g = MathNet.Numerics.SpecialFunctions.Gamma(l + 1.5);
            var s = Matrix<double>.Build.Dense(nMax, nMax);
            for (int k = 0; k < nMax; k++)
            for (int q = 0; q < nMax; q++)
                s[k, q] = 0.5 * g * Math.Pow(alphas[l * nMax + k] + alphas[l * nMax + q], -l - 1.5);
            var b = InverseSqrt(s);
            for (int n = 0; n < nMax; n++)
            for (int k = 0; k < nMax; k++)
                betas[(l * nMax + n) * nMax + k] = b[n, k];
        }
        return new SoapGtoBasis(nMax, lMax, rCut, alphas, betas);
    }

    /// <summary>
    /// S^{−1/2} of a symmetric positive-definite matrix by symmetric eigendecomposition, S = V Λ Vᵀ →
    /// V Λ^{−1/2} Vᵀ (symmetrised).
    /// </summary>
    private static Matrix<double> InverseSqrt(Matrix<double> s)
    {
        var evd = s.Evd(Symmetricity.Symmetric);
        var v = evd.EigenVectors;
        var d = evd.EigenValues;
        int n = s.RowCount;
        var dm = Matrix<double>.Build.Dense(n, n);
        for (int i = 0; i < n; i++)
        {
            double lam = d[i].Real;
            if (!(lam > 0)) throw new ArgumentException("the gto overlap matrix is not positive definite: lower n_max or raise r_cut");
            dm[i, i] = 1.0 / Math.Sqrt(lam);
        }
        var x = v * dm * v.Transpose();
        return 0.5 * (x + x.Transpose());
    }

    /// <summary>
    /// Reads a basis in the text format of the DScribe reference files (<c>basis_*.txt</c>, optionally gzip):
    /// blocks "# NAME shape (dims)" followed by one line of whitespace-separated values, for alphas (l_max+1, n_max),
    /// betas (l_max+1, n_max, n_max) and optionally r_cut, n_max, l_max, sigma, eta, cutoff_padding.
    /// </summary>
    /// <exception cref="InputFormatException">The file is malformed (message names file and line).</exception>
    public static SoapGtoBasis Load(string path)
    {
        using var fs = File.OpenRead(path);
        Stream st = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(fs, CompressionMode.Decompress) : fs;
        using var reader = new StreamReader(st);
        return Parse(reader, path);
    }

    /// <summary>Parses the text format described at <see cref="Load"/>; <paramref name="fileName"/> is used in error messages.</summary>
    public static SoapGtoBasis Parse(TextReader reader, string fileName)
    {
        var blocks = new Dictionary<string, (int[] shape, double[] values, int line)>(StringComparer.Ordinal);
        string? header = null; int[]? shape = null; int headerLine = 0;
        int lineNo = 0;
        var vals = new List<double>();
        string? line;
        void Flush()
        {
            if (header is null) return;
            long expect = 1;
            foreach (int d in shape!) expect *= d;
            if (vals.Count != expect) throw new InputFormatException(fileName, headerLine, $"block '{header}' has {vals.Count} values, its shape needs {expect}");
            blocks[header] = (shape, vals.ToArray(), headerLine);
            vals.Clear();
        }
        while ((line = reader.ReadLine()) is not null)
        {
            lineNo++;
            var t = line.Trim();
            if (t.Length == 0) continue;
            if (t.StartsWith('#'))
            {
                Flush();
                // "# name shape (a, b)"
                var body = t[1..].Trim();
                int sp = body.IndexOf(" shape", StringComparison.Ordinal);
                int lp = body.IndexOf('('), rp = body.LastIndexOf(')');
                if (sp <= 0 || lp < 0 || rp < lp) throw new InputFormatException(fileName, lineNo, "expected a header '# name shape (dims)'");
                header = body[..sp].Trim();
                var dims = body[(lp + 1)..rp].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                shape = new int[dims.Length];
                for (int i = 0; i < dims.Length; i++)
                    if (!int.TryParse(dims[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out shape[i]) || shape[i] < 0)
                        throw new InputFormatException(fileName, lineNo, $"bad dimension '{dims[i]}'");
                headerLine = lineNo;
                continue;
            }
            if (header is null) throw new InputFormatException(fileName, lineNo, "values before any '# name shape (...)' header");
            foreach (var tok in t.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            {
                if (!double.TryParse(tok, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                    throw new InputFormatException(fileName, lineNo, $"'{tok}' is not a number");
                vals.Add(v);
            }
        }
        Flush();
        if (!blocks.TryGetValue("alphas", out var al)) throw new InputFormatException(fileName, lineNo, "no 'alphas' block");
        if (!blocks.TryGetValue("betas", out var be)) throw new InputFormatException(fileName, lineNo, "no 'betas' block");
        if (al.shape.Length != 2) throw new InputFormatException(fileName, al.line, "alphas must have shape (l_max+1, n_max)");
        int lp1 = al.shape[0], nm = al.shape[1];
        if (lp1 < 1 || nm < 1) throw new InputFormatException(fileName, al.line, "alphas is empty");
        if (be.shape.Length != 3 || be.shape[0] != lp1 || be.shape[1] != nm || be.shape[2] != nm)
            throw new InputFormatException(fileName, be.line, $"betas must have shape ({lp1}, {nm}, {nm})");
        double rcut = blocks.TryGetValue("r_cut", out var rc) && rc.values.Length == 1 ? rc.values[0] : double.NaN;
        return new SoapGtoBasis(nm, lp1 - 1, rcut, al.values, be.values);
    }
}
