namespace GlassML.Dynamics;

/// <summary>Small dense 3×3 helpers (row-major spans of 9 doubles) used by the strain kernels.</summary>
internal static class Matrix3
{
    /// <summary>det(m).</summary>
    public static double Det(ReadOnlySpan<double> m) =>
        m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);

    /// <summary>inv = m⁻¹ by the adjugate; returns det(m).</summary>
    public static double Invert(ReadOnlySpan<double> m, Span<double> inv)
    {
        double c00 = m[4] * m[8] - m[5] * m[7], c01 = m[5] * m[6] - m[3] * m[8], c02 = m[3] * m[7] - m[4] * m[6];
        double det = m[0] * c00 + m[1] * c01 + m[2] * c02;
        double r = 1.0 / det;
        inv[0] = c00 * r; inv[1] = (m[2] * m[7] - m[1] * m[8]) * r; inv[2] = (m[1] * m[5] - m[2] * m[4]) * r;
        inv[3] = c01 * r; inv[4] = (m[0] * m[8] - m[2] * m[6]) * r; inv[5] = (m[2] * m[3] - m[0] * m[5]) * r;
        inv[6] = c02 * r; inv[7] = (m[1] * m[6] - m[0] * m[7]) * r; inv[8] = (m[0] * m[4] - m[1] * m[3]) * r;
        return det;
    }

    /// <summary>c = a·b.</summary>
    public static void Mul(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c)
    {
        for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            c[3 * i + j] = a[3 * i] * b[j] + a[3 * i + 1] * b[3 + j] + a[3 * i + 2] * b[6 + j];
    }

    /// <summary>
    /// Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations: on return <paramref name="values"/>
    /// holds the eigenvalues and the columns of <paramref name="vectors"/> the orthonormal eigenvectors.
    /// Deterministic (fixed sweep order); converges to machine precision in a few sweeps.
    /// </summary>
    public static void SymmetricEigen(ReadOnlySpan<double> s, Span<double> values, Span<double> vectors)
    {
        Span<double> a = stackalloc double[9];
        s.CopyTo(a);
        vectors.Clear(); vectors[0] = vectors[4] = vectors[8] = 1;
        for (int sweep = 0; sweep < 50; sweep++)
        {
            double off = a[1] * a[1] + a[2] * a[2] + a[5] * a[5];
            double diag = a[0] * a[0] + a[4] * a[4] + a[8] * a[8];
            if (off <= 1e-36 * diag || off == 0) break;
            for (int p = 0; p < 2; p++)
            for (int q = p + 1; q < 3; q++)
            {
                double apq = a[3 * p + q];
                if (apq == 0) continue;
                double app = a[3 * p + p], aqq = a[3 * q + q];
                double theta = (aqq - app) / (2 * apq);
                double t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                if (theta == 0) t = 1;
                double c = 1 / Math.Sqrt(t * t + 1), sn = t * c;
                for (int k = 0; k < 3; k++)
                {
                    double akp = a[3 * k + p], akq = a[3 * k + q];
                    a[3 * k + p] = c * akp - sn * akq; a[3 * k + q] = sn * akp + c * akq;
                }
                for (int k = 0; k < 3; k++)
                {
                    double apk = a[3 * p + k], aqk = a[3 * q + k];
                    a[3 * p + k] = c * apk - sn * aqk; a[3 * q + k] = sn * apk + c * aqk;
                }
                for (int k = 0; k < 3; k++)
                {
                    double vkp = vectors[3 * k + p], vkq = vectors[3 * k + q];
                    vectors[3 * k + p] = c * vkp - sn * vkq; vectors[3 * k + q] = sn * vkp + c * vkq;
                }
            }
        }
        values[0] = a[0]; values[1] = a[4]; values[2] = a[8];
    }

    /// <summary>
    /// Rotation angle (radians, in [0, π]) of the rotation R of the polar decomposition F = R·U,
    /// U = (FᵀF)^½. Returns NaN when det F ≤ 0 (no proper rotation).
    /// </summary>
    public static double PolarRotationAngle(ReadOnlySpan<double> f)
    {
        if (!(Det(f) > 0)) return double.NaN;
        Span<double> c = stackalloc double[9];
        for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            c[3 * i + j] = f[i] * f[j] + f[3 + i] * f[3 + j] + f[6 + i] * f[6 + j];
        Span<double> w = stackalloc double[3];
        Span<double> q = stackalloc double[9];
        SymmetricEigen(c, w, q);
        // U⁻¹ = Q diag(1/√λ) Qᵀ, R = F U⁻¹
        Span<double> uinv = stackalloc double[9];
        for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
        {
            double sum = 0;
            for (int k = 0; k < 3; k++) sum += q[3 * i + k] * q[3 * j + k] / Math.Sqrt(w[k]);
            uinv[3 * i + j] = sum;
        }
        Span<double> r = stackalloc double[9];
        Mul(f, uinv, r);
        double cos = (r[0] + r[4] + r[8] - 1) / 2;
        double ax = r[7] - r[5], ay = r[2] - r[6], az = r[3] - r[1];
        double sin = Math.Sqrt(ax * ax + ay * ay + az * az) / 2;
        return Math.Atan2(sin, cos);
    }
}
