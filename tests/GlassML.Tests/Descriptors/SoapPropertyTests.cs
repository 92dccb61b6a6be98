using System.Globalization;
using GlassML.Descriptors;
using GlassML.Neighbors;
using GlassML.Structure;
using Xunit.Abstractions;

namespace GlassML.Tests.Descriptors;

/// <summary>SOAP layout, invariances, continuity, options; definition checked by direct 3-D quadrature.</summary>
public class SoapPropertyTests(ITestOutputHelper output)
{
    private static readonly string[] CuZr = ["Cu", "Zr"];
    private static SoapOptions Small => new() { RCut = 5, NMax = 5, LMax = 5, Sigma = 0.5, Species = CuZr };

    private static PerAtomFeatures Run(Soap soap, Frame f, int threads = 0) =>
        soap.Compute(f, new NeighborSearch(threads).Ball(f, soap.RequiredCutoff));

    private static void AssertRowsEqual(ReadOnlySpan<double> a, ReadOnlySpan<double> b, double tol, string what)
    {
        double err = SoapTestData.RowRelativeError(a, b);
        Assert.True(err <= tol, $"{what}: row-relative difference {err:E3}");
    }

    [Theory]
    [InlineData("layout_r5_n8_l6.csv.gz", 8, 6)]
    [InlineData("layout_r5_n11_l12.csv.gz", 11, 12)]
    public void LayoutEqualsDScribe(string file, int nmax, int lmax)
    {
        var soap = new Soap(new SoapOptions { RCut = 5, NMax = nmax, LMax = lmax, Sigma = 0.5, Species = ["Zr", "Cu"] });
        Assert.Equal(["Cu", "Zr"], soap.Species!);
        var layout = soap.Layout;
        var rows = SoapTestData.Lines(file).Skip(1).Select(l => l.Split(',').Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray()).ToList();
        Assert.Equal(rows.Count, layout.Count);
        for (int k = 0; k < rows.Count; k++)
            Assert.Equal((rows[k][0], rows[k][1], rows[k][2], rows[k][3], rows[k][4], rows[k][5]), (layout[k].Column, layout[k].Z1, layout[k].Z2, layout[k].L, layout[k].N, layout[k].NPrime));
    }

    [Fact]
    public void InvariantUnderRotationTranslationAndPermutation()
    {
        var g = SoapTestData.GlassCopy();
        var soap = new Soap(Small);
        var baseRes = Run(soap, g);

        // rotation of positions and cell (a general, non-LAMMPS orientation)
        double a = 0.7, b = -1.1, c = 2.3;
        double[,] rz(double t) => new[,] { { Math.Cos(t), -Math.Sin(t), 0 }, { Math.Sin(t), Math.Cos(t), 0 }, { 0, 0, 1 } };
        double[,] ry(double t) => new[,] { { Math.Cos(t), 0, Math.Sin(t) }, { 0, 1, 0 }, { -Math.Sin(t), 0, Math.Cos(t) } };
        double[,] Mul(double[,] p, double[,] q) { var r = new double[3, 3]; for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 3; k++) r[i, j] += p[i, k] * q[k, j]; return r; }
        var R = Mul(rz(a), Mul(ry(b), rz(c)));
        Vec3 Rot(Vec3 v) => new(R[0, 0] * v.X + R[0, 1] * v.Y + R[0, 2] * v.Z, R[1, 0] * v.X + R[1, 1] * v.Y + R[1, 2] * v.Z, R[2, 0] * v.X + R[2, 1] * v.Y + R[2, 2] * v.Z);
        int n = g.Count;
        var xr = new double[n]; var yr = new double[n]; var zr = new double[n];
        for (int i = 0; i < n; i++) { var p = Rot(g.Position(i)); xr[i] = p.X; yr[i] = p.Y; zr[i] = p.Z; }
        var rotated = new Frame(new Box(Rot(g.Box.Origin), Rot(g.Box.A), Rot(g.Box.B), Rot(g.Box.C)), g.Species.Clone(), (long[])g.Ids.Clone(), (int[])g.SpeciesIndex.Clone(), xr, yr, zr);
        var rotRes = Run(soap, rotated);
        for (int i = 0; i < n; i++) AssertRowsEqual(rotRes.Row(i), baseRes.Row(i), 1e-10, $"rotation, atom {i}");

        // translation by an arbitrary vector (positions leave the cell: periodic images take over)
        var t = new Frame(g.Box, g.Species.Clone(), (long[])g.Ids.Clone(), (int[])g.SpeciesIndex.Clone(),
            g.X.Select(v => v + 7.31).ToArray(), g.Y.Select(v => v - 3.77).ToArray(), g.Z.Select(v => v + 12.9).ToArray());
        var trRes = Run(soap, t);
        for (int i = 0; i < n; i++) AssertRowsEqual(trRes.Row(i), baseRes.Row(i), 1e-10, $"translation, atom {i}");

        // permutation of atoms
        var perm = Enumerable.Range(0, n).OrderBy(i => (i * 7919) % n).ToArray();
        var pf = new Frame(g.Box, g.Species.Clone(), perm.Select(i => g.Ids[i]).ToArray(), perm.Select(i => g.SpeciesIndex[i]).ToArray(),
            perm.Select(i => g.X[i]).ToArray(), perm.Select(i => g.Y[i]).ToArray(), perm.Select(i => g.Z[i]).ToArray());
        var pRes = Run(soap, pf);
        for (int k = 0; k < n; k++) AssertRowsEqual(pRes.Row(k), baseRes.Row(perm[k]), 1e-10, $"permutation, atom {perm[k]}");
    }

    [Fact]
    public void SupercellLeavesVectorsUnchanged()
    {
        var g = SoapTestData.GlassCopy();
        var soap = new Soap(Small);
        var baseRes = Run(soap, g);
        var big = g.Replicate(2, 2, 2);
        var bigRes = Run(soap, big);
        for (int k = 0; k < big.Count; k++) AssertRowsEqual(bigRes.Row(k), baseRes.Row(k % g.Count), 1e-10, $"2×2×2 supercell, atom {k}");
    }

    [Fact]
    public void ThreadCountDoesNotChangeBits()
    {
        var g = SoapTestData.Glass;
        var one = Run(new Soap(Small with { Threads = 1 }), g, 1);
        var two = Run(new Soap(Small with { Threads = 2 }), g, 2);
        Assert.Equal(one.Values, two.Values);
    }

    /// <summary>A centre atom and neighbours at given offsets in a large non-periodic box (plus two far spectators).</summary>
    private static Frame Cluster(params (double x, double y, double z, int s)[] nb)
    {
        var box = new Box(Vec3.Zero, new Vec3(60, 0, 0), new Vec3(0, 60, 0), new Vec3(0, 0, 60), false, false, false);
        var x = new List<double> { 30 }; var y = new List<double> { 30 }; var z = new List<double> { 30 }; var s = new List<int> { 0 };
        foreach (var p in nb) { x.Add(30 + p.x); y.Add(30 + p.y); z.Add(30 + p.z); s.Add(p.s); }
        x.AddRange([1, 59]); y.AddRange([1, 59]); z.AddRange([1, 59]); s.AddRange([0, 1]);
        return new Frame(box, new SpeciesTable(["Cu", "Zr"]), Enumerable.Range(1, x.Count).Select(i => (long)i).ToArray(), s.ToArray(), x.ToArray(), y.ToArray(), z.ToArray());
    }

    [Fact]
    public void ContinuousAcrossRCutAndSmallJumpAtExtendedCutoff()
    {
        var soap = new Soap(Small);
        double[] At(double d)
        {
            var u = new Vec3(0.48, -0.6, 0.64); // unit vector
            var f = Cluster((1.2, 1.9, -0.5, 1), (u.X * d, u.Y * d, u.Z * d, 0));
            return Run(soap, f).Row(0).ToArray();
        }
        double max = At(4.0).Max(Math.Abs);
        double Diff(double[] p, double[] q) => p.Zip(q, (u, v) => Math.Abs(u - v)).Max() / max;
        // inside the extended cutoff the vector is smooth in the neighbour distance (r_cut itself is not special for gto)
        double atRcut = Diff(At(5.0 - 1e-7), At(5.0 + 1e-7));
        // at r_cut + σ√(2 ln 1000) DScribe's hard cut drops the neighbour's remaining contribution
        double re = soap.RequiredCutoff;
        double jump = Diff(At(re - 1e-9), At(re + 1e-9));
        output.WriteLine($"change for 2e-7 Å across r_cut: {atRcut:E2}; jump across r_cut + padding = {re:F4} Å: {jump:E2} (of max |p|)");
        Assert.True(atRcut < 1e-6);
        Assert.True(jump > 0 && jump < 1e-2);
    }

    [Fact]
    public void AveragingNormalisationAndCrossover()
    {
        var g = SoapTestData.Glass;
        var nl = new NeighborSearch().Ball(g, new Soap(Small).RequiredCutoff);
        var off = new Soap(Small).Compute(g, nl);
        var outer = new Soap(Small with { Average = SoapAverage.Outer }).Compute(g, nl);
        Assert.Equal(1, outer.AtomCount);
        for (int f = 0; f < off.FeatureCount; f += 7)
        {
            double mean = 0;
            for (int i = 0; i < g.Count; i++) mean += off[i, f];
            mean /= g.Count;
            Assert.Equal(mean, outer[0, f], 10);
        }
        // FCC: every atom equivalent, so inner = outer = each atom's vector
        var fcc = Lattices.Fcc(3, 3.6, "Cu");
        var fo = new SoapOptions { RCut = 5, NMax = 4, LMax = 4, Sigma = 0.5 };
        var fnl = new NeighborSearch().Ball(fcc, new Soap(fo).RequiredCutoff);
        var per = new Soap(fo).Compute(fcc, fnl);
        var inner = new Soap(fo with { Average = SoapAverage.Inner }).Compute(fcc, fnl);
        AssertRowsEqual(inner.Row(0), per.Row(0), 1e-12, "inner average of FCC");
        // normalisation: unit length, parallel to the raw vector
        var norm = new Soap(Small with { Normalize = true }).Compute(g, nl);
        for (int i = 0; i < g.Count; i += 50)
        {
            double len = Math.Sqrt(norm.Row(i).ToArray().Sum(v => v * v));
            Assert.Equal(1.0, len, 12);
            double raw = Math.Sqrt(off.Row(i).ToArray().Sum(v => v * v));
            for (int f = 0; f < off.FeatureCount; f++) Assert.Equal(off[i, f] / raw, norm[i, f], 12);
        }
        // crossover off keeps exactly the same-species blocks
        var soapNoX = new Soap(Small with { Crossover = false });
        var nox = soapNoX.Compute(g, nl);
        var full = new Soap(Small).Layout;
        var keep = full.Where(c => c.Z1 == c.Z2).Select(c => c.Column).ToArray();
        Assert.Equal(keep.Length, nox.FeatureCount);
        Assert.Equal(2 * 15 * 6, nox.FeatureCount);
        for (int i = 0; i < g.Count; i += 50)
            for (int k = 0; k < keep.Length; k++) Assert.Equal(off[i, keep[k]], nox[i, k]);
    }

    // ---------- the definition, by direct quadrature in 3-D ----------

    /// <summary>Real orthonormal Y_lm(θ, φ) from associated Legendre functions by the standard θ recurrence (independent code).</summary>
    private static double Ylm(int l, int m, double theta, double phi)
    {
        int am = Math.Abs(m);
        double x = Math.Cos(theta), sx = Math.Sin(theta);
        double pmm = 1;
        for (int k = 1; k <= am; k++) pmm *= (2 * k - 1) * sx;
        double plm = pmm;
        if (l > am)
        {
            double p1 = x * (2 * am + 1) * pmm, p0 = pmm;
            plm = p1;
            for (int ll = am + 2; ll <= l; ll++) { double p2 = ((2 * ll - 1) * x * p1 - (ll + am - 1) * p0) / (ll - am); p0 = p1; p1 = p2; plm = p2; }
        }
        double fr = 1; for (int k = l - am + 1; k <= l + am; k++) fr /= k;
        double nlm = Math.Sqrt((2 * l + 1) / (4 * Math.PI) * fr);
        if (m == 0) return nlm * plm;
        return Math.Sqrt(2) * nlm * plm * (m > 0 ? Math.Cos(am * phi) : Math.Sin(am * phi));
    }

    /// <summary>p[l, n ≤ n'] of species-0 density (single species) by quadrature of c_nlm = ∫ g_nl Y_lm ρ d³r.</summary>
    private static double[] QuadraturePowerSpectrum((double x, double y, double z, double w)[] atoms, double sigma, int nmax, int lmax, Func<int, int, double, double> g, double rmax)
    {
        var (xr, wr) = GaussLegendre(100);
        var (xt, wt) = GaussLegendre(48);
        int nphi = 96;
        var c = new double[nmax, lmax + 1, 2 * lmax + 1];
        for (int a = 0; a < xt.Length; a++)
        {
            double ct = xt[a], theta = Math.Acos(ct), st = Math.Sqrt(1 - ct * ct);
            for (int b = 0; b < nphi; b++)
            {
                double phi = 2 * Math.PI * b / nphi, wang = wt[a] * 2 * Math.PI / nphi;
                var y = new double[lmax + 1, 2 * lmax + 1];
                for (int l = 0; l <= lmax; l++) for (int m = -l; m <= l; m++) y[l, m + l] = Ylm(l, m, theta, phi);
                double ux = st * Math.Cos(phi), uy = st * Math.Sin(phi), uz = ct;
                for (int q = 0; q < xr.Length; q++)
                {
                    double r = 0.5 * rmax * (xr[q] + 1), w = 0.5 * rmax * wr[q] * r * r * wang;
                    double rho = 0;
                    foreach (var at in atoms)
                    {
                        double dx = r * ux - at.x, dy = r * uy - at.y, dz = r * uz - at.z;
                        rho += at.w * Math.Exp(-(dx * dx + dy * dy + dz * dz) / (2 * sigma * sigma));
                    }
                    if (rho < 1e-300) continue;
                    for (int l = 0; l <= lmax; l++)
                        for (int n = 0; n < nmax; n++)
                        {
                            double f = w * rho * g(n, l, r);
                            for (int m = 0; m <= 2 * l; m++) c[n, l, m] += f * y[l, m];
                        }
                }
            }
        }
        var p = new List<double>();
        for (int l = 0; l <= lmax; l++)
            for (int n = 0; n < nmax; n++)
                for (int np = n; np < nmax; np++)
                {
                    double s = 0;
                    for (int m = 0; m <= 2 * l; m++) s += c[n, l, m] * c[np, l, m];
                    p.Add(Math.PI * Math.Sqrt(8.0 / (2 * l + 1)) * s);
                }
        return p.ToArray();
    }

    private static (double[] x, double[] w) GaussLegendre(int n)
    {
        var x = new double[n]; var w = new double[n];
        for (int i = 0; i < n; i++)
        {
            double z = Math.Cos(Math.PI * (i + 0.75) / (n + 0.5)), pp = 0;
            for (int it = 0; it < 100; it++)
            {
                double p1 = 1, p2 = 0;
                for (int j = 1; j <= n; j++) { double p3 = p2; p2 = p1; p1 = ((2.0 * j - 1) * z * p2 - (j - 1.0) * p3) / j; }
                pp = n * (z * p1 - p2) / (z * z - 1);
                double dz = p1 / pp; z -= dz;
                if (Math.Abs(dz) < 1e-15) break;
            }
            x[i] = z; w[i] = 2 / ((1 - z * z) * pp * pp);
        }
        return (x, w);
    }

    private static readonly (double x, double y, double z)[] Offsets = [(1.9, 0.3, -0.4), (-1.2, 2.1, 0.8), (0.5, -0.7, -2.6), (3.1, 2.9, 1.0), (-3.9, -2.2, 3.3)];

    [Fact]
    public void PolynomialBasisMatchesQuadratureOfTheDefinition()
    {
        double rc = 4.0, sigma = 0.5; int nmax = 3, lmax = 4;
        var soap = new Soap(new SoapOptions { RCut = rc, NMax = nmax, LMax = lmax, Sigma = sigma, Rbf = SoapRadialBasis.Polynomial, Species = ["Cu"] });
        var f = Cluster(Offsets.Select(o => (o.x, o.y, o.z, 0)).ToArray());
        f = new Frame(f.Box, new SpeciesTable(["Cu"]), f.Ids, f.SpeciesIndex.Select(_ => 0).ToArray(), f.X, f.Y, f.Z);
        var row = Run(soap, f).Row(0).ToArray();
        // orthonormal polynomial basis on [0, rc] built here by Gram–Schmidt with exact r² overlaps (independent of Löwdin):
        // the power spectrum is invariant to the orthonormal mixing within the same span only when the basis is the same,
        // so build the Löwdin basis explicitly: β = S^{-1/2} via eigen-decomposition
        var S = new double[nmax, nmax];
        for (int i = 1; i <= nmax; i++) for (int j = 1; j <= nmax; j++) S[i - 1, j - 1] = 2 * Math.Pow(rc, 7 + i + j) / ((5.0 + i + j) * (6.0 + i + j) * (7.0 + i + j));
        var evd = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfArray(S).Evd();
        var beta = evd.EigenVectors * MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DiagonalOfDiagonalArray(evd.EigenValues.Select(v => 1 / Math.Sqrt(v.Real)).ToArray()) * evd.EigenVectors.Transpose();
        double G(int n, int l, double r) { if (r > rc) return 0; double s = 0; for (int k = 1; k <= nmax; k++) s += beta[n, k - 1] * Math.Pow(rc - r, k + 2); return s; }
        var atoms = new[] { (0.0, 0.0, 0.0, 1.0) }.Concat(Offsets.Where(o => Math.Sqrt(o.x * o.x + o.y * o.y + o.z * o.z) <= soap.RequiredCutoff).Select(o => (o.x, o.y, o.z, 1.0))).ToArray();
        var expect = QuadraturePowerSpectrum(atoms, sigma, nmax, lmax, G, rc);
        double err = SoapTestData.RowRelativeError(row, expect);
        output.WriteLine($"polynomial basis vs 3-D quadrature: {err:E2}");
        Assert.True(err < 1e-8);
    }

    [Fact]
    public void GtoWithPolyWeightingAndW0MatchesQuadratureOfTheDefinition()
    {
        double rc = 4.0, sigma = 0.5; int nmax = 3, lmax = 4;
        var wfun = new SoapPolyWeighting(R0: 5.5, C: 1.3, M: 2);
        var soap = new Soap(new SoapOptions { RCut = rc, NMax = nmax, LMax = lmax, Sigma = sigma, Species = ["Cu"], Weighting = wfun, W0 = 0.4 });
        var f = Cluster(Offsets.Select(o => (o.x, o.y, o.z, 0)).ToArray());
        f = new Frame(f.Box, new SpeciesTable(["Cu"]), f.Ids, f.SpeciesIndex.Select(_ => 0).ToArray(), f.X, f.Y, f.Z);
        var row = Run(soap, f).Row(0).ToArray();
        var basis = soap.Basis!;
        double G(int n, int l, double r) { double s = 0; for (int k = 0; k < nmax; k++) s += basis.Beta(l, n, k) * Math.Pow(r, l) * Math.Exp(-basis.Alpha(l, k) * r * r); return s; }
        double W(double x, double y, double z)
        {
            double r = Math.Sqrt(x * x + y * y + z * z);
            if (r > 5.5) return 0;
            double t = r / 5.5; return 1.3 * Math.Pow(1 + 2 * t * t * t - 3 * t * t, 2);
        }
        var atoms = new[] { (0.0, 0.0, 0.0, 0.4) }.Concat(Offsets.Where(o => Math.Sqrt(o.x * o.x + o.y * o.y + o.z * o.z) <= soap.RequiredCutoff).Select(o => (o.x, o.y, o.z, W(o.x, o.y, o.z)))).ToArray();
        var expect = QuadraturePowerSpectrum(atoms, sigma, nmax, lmax, G, 10.5);
        double err = SoapTestData.RowRelativeError(row, expect);
        output.WriteLine($"gto + poly weighting + w0 vs 3-D quadrature: {err:E2}");
        Assert.True(err < 1e-8);
    }

    [Fact]
    public void RejectsShortNeighbourListsAndUnknownSpecies()
    {
        var g = SoapTestData.Glass;
        var soap = new Soap(Small);
        Assert.Throws<ArgumentException>(() => soap.Compute(g, new NeighborSearch().Ball(g, 5.0)));
        var onlyCu = new Soap(Small with { Species = ["Cu"] });
        Assert.Throws<ArgumentException>(() => onlyCu.Compute(g, new NeighborSearch().Ball(g, onlyCu.RequiredCutoff)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Soap(Small with { LMax = 21 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Soap(Small with { RCut = 0.9 }));
        Assert.Equal(5 + 0.5 * Math.Sqrt(2 * Math.Log(1000)), soap.RequiredCutoff, 12);
    }

    [Fact]
    public void BasisFileFormatErrorsNameFileAndLine()
    {
        var ex = Assert.Throws<GlassML.Io.InputFormatException>(() => SoapGtoBasis.Parse(new StringReader("# alphas shape (1, 2)\n1.0 x\n"), "b.txt"));
        Assert.Contains("b.txt:2", ex.Message);
        var loaded = SoapGtoBasis.Load(SoapTestData.Path("basis_r5_n8_l6.txt.gz"));
        var own = SoapGtoBasis.Create(5, 8, 6);
        for (int k = 0; k < own.Alphas.Length; k++) Assert.Equal(loaded.Alphas[k], own.Alphas[k], 12);
    }

    [Fact]
    public void NonPeriodicOptionEqualsAnOpenBoxCopy()
    {
        var g = SoapTestData.Glass;
        var soap = new Soap(Small with { Periodic = false });
        var res = Run(soap, g);
        var open = new Frame(new Box(g.Box.Origin, g.Box.A, g.Box.B, g.Box.C, false, false, false), g.Species.Clone(),
            (long[])g.Ids.Clone(), (int[])g.SpeciesIndex.Clone(), (double[])g.X.Clone(), (double[])g.Y.Clone(), (double[])g.Z.Clone());
        var expect = Run(new Soap(Small), open);
        for (int i = 0; i < g.Count; i++) AssertRowsEqual(res.Row(i), expect.Row(i), 1e-12, $"periodic=false, atom {i}");
        // and it differs from the periodic result for atoms near a face
        Assert.True(SoapTestData.RowRelativeError(Run(new Soap(Small), g).Row(0), res.Row(0)) > 1e-3);
    }

    [Fact]
    public void CliParametersParseIntoOptions()
    {
        var o = DescriptorParameters.Soap(DescriptorParameters.Split("rcut=5,nmax=11,lmax=12,sigma=0.5,rbf=gto,species=Cu:Zr,average=outer,crossover=false"));
        Assert.Equal((5.0, 11, 12, 0.5, SoapRadialBasis.Gto, SoapAverage.Outer, false), (o.RCut!.Value, o.NMax, o.LMax, o.Sigma, o.Rbf, o.Average, o.Crossover));
        Assert.Equal(["Cu", "Zr"], o.Species!);
        var w = DescriptorParameters.Soap(DescriptorParameters.Split("weighting=poly,r0=4,m=2,w0=0"));
        Assert.Null(w.RCut);
        Assert.Equal(4.0, new Soap(w).RCut);
        Assert.Throws<ArgumentException>(() => DescriptorParameters.Soap(DescriptorParameters.Split("rcut=5,nmx=3")));
        Assert.Throws<ArgumentException>(() => DescriptorParameters.Soap(DescriptorParameters.Split("rbf=bessel")));
        var r = DescriptorParameters.Rsf(DescriptorParameters.Split("rp=2.7,sigma=0.05,rmin=0.6,rmax=3.0"));
        Assert.Equal((2.7, 0.05, 0.6, 3.0), (r.ReferenceDistance!.Value, r.Sigma, r.GridMin, r.GridMax));
        var rr = DescriptorParameters.Rsf(DescriptorParameters.Split("real=true,rp_Cu=2.5"));
        Assert.True(rr.RealDistance);
        Assert.Equal(2.5, rr.ReferenceDistances!["Cu"]);
        var a = DescriptorParameters.Asf(DescriptorParameters.Split("rc=6.5,xi=1:2,lambda=-1:1,zeta=1:4,kinds=g4:g5"));
        Assert.Equal([1.0, 2.0], a.Xi);
        Assert.Equal([AngularFunctionKind.G4, AngularFunctionKind.G5], a.Kinds);
    }

    [Fact]
    public void KernelExpMatchesMathExp()
    {
        // the inlined e^x (x ≤ 0) of the gto kernel against Math.Exp: a few ulp over the whole range, 0 below −708
        var rng = new Random(7);
        double worst = 0;
        for (int t = 0; t < 20000; t++)
        {
            double x = t < 10000 ? -80 * rng.NextDouble() : -708 * rng.NextDouble();
            var v = VectorMath.ExpNonPositive(System.Runtime.Intrinsics.Vector256.Create(x, x / 3, -x * x * 1e-3, 0));
            for (int q = 0; q < 4; q++)
            {
                double arg = q switch { 0 => x, 1 => x / 3, 2 => -x * x * 1e-3, _ => 0 };
                double e = Math.Exp(arg);
                if (arg < -708) continue;
                worst = Math.Max(worst, Math.Abs(v[q] - e) / e);
            }
        }
        output.WriteLine($"max relative error {worst:E3}");
        Assert.True(worst < 1e-15, $"max relative error {worst:E3}");
        Assert.Equal(1.0, VectorMath.ExpNonPositive(System.Runtime.Intrinsics.Vector256<double>.Zero)[0]);
        Assert.Equal(0.0, VectorMath.ExpNonPositive(System.Runtime.Intrinsics.Vector256.Create(-750.0))[0]);
    }
}
