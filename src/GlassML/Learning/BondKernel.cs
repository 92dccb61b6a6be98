namespace GlassML.Learning;

/// <summary>
/// A bond m = (i, j) as a kernel sample: its length d and the SOAP vectors of its two atoms.
/// </summary>
public sealed class BondRecord
{
    /// <summary>Creates a bond record.</summary>
    /// <param name="distance">Bond length d (Å).</param>
    /// <param name="soapI">SOAP vector of atom i.</param>
    /// <param name="soapJ">SOAP vector of atom j (same length).</param>
    /// <param name="normalize">Scale both vectors to unit Euclidean norm (the bond kernel assumes unit vectors);
    /// false when they already are.</param>
    public BondRecord(double distance, double[] soapI, double[] soapJ, bool normalize = true)
    {
        ArgumentNullException.ThrowIfNull(soapI); ArgumentNullException.ThrowIfNull(soapJ);
        if (soapI.Length != soapJ.Length || soapI.Length == 0) throw new ArgumentException("SOAP vectors must be non-empty and of equal length");
        if (!double.IsFinite(distance) || distance < 0) throw new ArgumentOutOfRangeException(nameof(distance), "distance must be ≥ 0");
        Distance = distance;
        SoapI = normalize ? Unit(soapI) : soapI;
        SoapJ = normalize ? Unit(soapJ) : soapJ;
    }

    /// <summary>d (Å).</summary>
    public double Distance { get; }
    /// <summary>SOAP vector of atom i (unit norm when normalised).</summary>
    public double[] SoapI { get; }
    /// <summary>SOAP vector of atom j.</summary>
    public double[] SoapJ { get; }

    private static double[] Unit(double[] v)
    {
        double n = Math.Sqrt(Kernels.Dot(v, v));
        if (n == 0) throw new ArgumentException("a SOAP vector is zero and cannot be normalised");
        var o = new double[v.Length];
        for (int i = 0; i < v.Length; i++) o[i] = v[i] / n;
        return o;
    }
}

/// <summary>
/// Bond kernel of seed method 1 (bond strength by GPR):
/// k(m, n) = [exp(−(d_m − d_n)² / 2θ²) · ¼(s_i^m·s_i^n + s_i^m·s_j^n + s_j^m·s_i^n + s_j^m·s_j^n)]^ζ,
/// invariant to swapping the atoms of either bond.
/// </summary>
public sealed class BondKernel : IKernel<BondRecord>
{
    /// <summary>Creates the kernel.</summary>
    /// <param name="theta">Distance width θ &gt; 0 (Å).</param>
    /// <param name="zeta">Power ζ &gt; 0.</param>
    public BondKernel(double theta, double zeta)
    {
        if (!(theta > 0) || !double.IsFinite(theta)) throw new ArgumentOutOfRangeException(nameof(theta), "theta must be > 0");
        if (!(zeta > 0) || !double.IsFinite(zeta)) throw new ArgumentOutOfRangeException(nameof(zeta), "zeta must be > 0");
        Theta = theta; Zeta = zeta;
    }

    /// <summary>θ (Å).</summary>
    public double Theta { get; }
    /// <summary>ζ.</summary>
    public double Zeta { get; }

    /// <inheritdoc/>
    public double Evaluate(BondRecord m, BondRecord n)
    {
        double dd = m.Distance - n.Distance;
        double radial = Math.Exp(-dd * dd / (2 * Theta * Theta));
        ReadOnlySpan<double> ai = m.SoapI, aj = m.SoapJ, bi = n.SoapI, bj = n.SoapJ;
        if (ai.Length != bi.Length) throw new ArgumentException("SOAP vector lengths differ between bonds");
        double ii = 0, ij = 0, ji = 0, jj = 0;
        for (int t = 0; t < ai.Length; t++)
        {
            ii += ai[t] * bi[t]; ij += ai[t] * bj[t]; ji += aj[t] * bi[t]; jj += aj[t] * bj[t];
        }
        return PowerKernel<BondRecord>.Pow(radial * 0.25 * (ii + ij + ji + jj), Zeta);
    }
}

/// <summary>
/// <see cref="BondKernel"/> on table rows laid out as [d, s_i (m values), s_j (m values)] (a bond per row: its length and the
/// SOAP vectors of its two atoms), so the table GPR (<c>gpr kernel=bond</c>) can use it. Rows must be prepared with
/// <see cref="Prepare"/> (both SOAP halves scaled to unit norm, as <see cref="BondRecord"/> does).
/// </summary>
public sealed class BondRowKernel : IKernel<double[]>
{
    /// <summary>Creates the kernel.</summary>
    /// <param name="theta">Distance width θ &gt; 0 (Å).</param>
    /// <param name="zeta">Power ζ &gt; 0.</param>
    public BondRowKernel(double theta, double zeta) => Bond = new BondKernel(theta, zeta);

    /// <summary>The underlying bond kernel (θ, ζ).</summary>
    public BondKernel Bond { get; }

    /// <summary>A copy of a row with both SOAP halves at unit norm.</summary>
    /// <exception cref="ArgumentException">The row length is not 1 + 2m (m ≥ 1), or a SOAP half is zero.</exception>
    public static double[] Prepare(ReadOnlySpan<double> row)
    {
        if (row.Length < 3 || row.Length % 2 == 0)
            throw new ArgumentException($"a bond row is [distance, m SOAP values of atom i, m of atom j]: 1 + 2m columns, got {row.Length}");
        int m = (row.Length - 1) / 2;
        var o = row.ToArray();
        for (int h = 0; h < 2; h++)
        {
            var s = o.AsSpan(1 + h * m, m);
            double n = Math.Sqrt(Kernels.Dot(s, s));
            if (n == 0) throw new ArgumentException("a SOAP half of a bond row is zero and cannot be normalised");
            for (int t = 0; t < m; t++) s[t] /= n;
        }
        return o;
    }

    /// <inheritdoc/>
    public double Evaluate(double[] a, double[] b)
    {
        if (a.Length != b.Length) throw new ArgumentException("bond rows differ in length");
        int m = (a.Length - 1) / 2;
        double dd = a[0] - b[0];
        double radial = Math.Exp(-dd * dd / (2 * Bond.Theta * Bond.Theta));
        ReadOnlySpan<double> ai = a.AsSpan(1, m), aj = a.AsSpan(1 + m, m), bi = b.AsSpan(1, m), bj = b.AsSpan(1 + m, m);
        double ii = 0, ij = 0, ji = 0, jj = 0;
        for (int t = 0; t < m; t++)
        {
            ii += ai[t] * bi[t]; ij += ai[t] * bj[t]; ji += aj[t] * bi[t]; jj += aj[t] * bj[t];
        }
        return PowerKernel<double[]>.Pow(radial * 0.25 * (ii + ij + ji + jj), Bond.Zeta);
    }
}
