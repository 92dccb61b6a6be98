using GlassML.Dynamics;
using MathNet.Numerics.LinearAlgebra;

namespace GlassML.Tests.Dynamics;

/// <summary>The dense symmetric eigensolver of the normal modes against MathNet's (independent EISPACK-style) solver.</summary>
public sealed class SymmetricEigensolverTests
{
    private static double[] RandomSymmetric(int n, int seed, int degenerate)
    {
        var rng = new Random(seed);
        // Q diag(λ) Qᵀ with chosen eigenvalues (some repeated, some clustered) and a random orthogonal Q
        var lam = new double[n];
        for (int i = 0; i < n; i++) lam[i] = rng.NextDouble() * 4 - 1;
        for (int i = 0; i < degenerate; i++) lam[i] = 0.25;                 // exact multiplicity
        for (int i = degenerate; i < degenerate + 3; i++) lam[i] = 0.5 + 1e-12 * i; // a tight cluster
        var g = Matrix<double>.Build.Dense(n, n, (_, _) => rng.NextDouble() - 0.5);
        var q = g.QR().Q;
        var a = q * Matrix<double>.Build.DenseOfDiagonalArray(lam) * q.Transpose();
        a = 0.5 * (a + a.Transpose());
        return a.ToRowMajorArray();
    }

    [Theory]
    [InlineData(5, 1, 0)]
    [InlineData(60, 2, 3)]
    [InlineData(201, 3, 5)]
    public void Eigenpairs_equal_MathNet_and_vectors_are_orthonormal(int n, int seed, int degenerate)
    {
        var a = RandomSymmetric(n, seed, degenerate);
        var m = Matrix<double>.Build.Dense(n, n, (i, j) => a[i * n + j]);
        var reference = m.Evd(Symmetricity.Symmetric).EigenValues.Select(z => z.Real).Order().ToArray();
        var (values, vecs) = SymmetricEigensolver.Solve((double[])a.Clone(), n, n, 2);
        for (int k = 0; k < n; k++) Assert.True(Math.Abs(values[k] - reference[k]) <= 1e-12 * 4, $"λ{k}: {values[k]:R} vs {reference[k]:R}");
        var v = Matrix<double>.Build.Dense(n, n, (k, i) => vecs[k * n + i]); // rows = eigenvectors
        var vvt = v * v.Transpose();
        Assert.True((vvt - Matrix<double>.Build.DenseIdentity(n)).InfinityNorm() <= 1e-11, $"orthonormality {(vvt - Matrix<double>.Build.DenseIdentity(n)).InfinityNorm():G3}");
        for (int k = 0; k < n; k++)
        {
            var x = v.Row(k);
            double res = (m * x - values[k] * x).InfinityNorm();
            Assert.True(res <= 1e-12 * 4 * n, $"residual of pair {k}: {res:G3}");
        }
    }

    [Fact]
    public void Some_vectors_and_thread_counts_give_the_same_bits()
    {
        int n = 150;
        var a = RandomSymmetric(n, 7, 2);
        var (v1, z1) = SymmetricEigensolver.Solve((double[])a.Clone(), n, 10, 1);
        var (v2, z2) = SymmetricEigensolver.Solve((double[])a.Clone(), n, 10, 2);
        var (v3, z3) = SymmetricEigensolver.Solve((double[])a.Clone(), n, n, 2);
        Assert.Equal(v1, v2);
        Assert.Equal(z1, z2);
        Assert.Equal(v1, v3);
        Assert.Equal(z1, z3.AsSpan(0, 10 * n).ToArray());
    }
}
