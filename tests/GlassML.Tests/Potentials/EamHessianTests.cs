using GlassML.Dynamics;
using GlassML.Potentials;
using GlassML.Structure;

namespace GlassML.Tests.Potentials;

/// <summary>
/// The analytic EAM Hessian against central differences of the (LAMMPS-checked) forces, its symmetry, and the normal
/// modes of a tight LAMMPS inherent structure (tests/fixtures/eam/ortho500_is.dump.gz).
/// </summary>
public sealed class EamHessianTests
{
    /// <summary>Column c of −∂F/∂x by central differences with step h (Å).</summary>
    private static double[] FiniteDifferenceColumn(EamPotential pot, Frame f, int c, double h)
    {
        int a = c / 3, al = c % 3;
        double[] coord = al == 0 ? f.X : al == 1 ? f.Y : f.Z;
        double x0 = coord[a];
        coord[a] = x0 + h; var plus = pot.Compute(f, 1);
        coord[a] = x0 - h; var minus = pot.Compute(f, 1);
        coord[a] = x0;
        var col = new double[3 * f.Count];
        for (int i = 0; i < f.Count; i++)
        {
            col[3 * i] = -(plus.Fx[i] - minus.Fx[i]) / (2 * h);
            col[3 * i + 1] = -(plus.Fy[i] - minus.Fy[i]) / (2 * h);
            col[3 * i + 2] = -(plus.Fz[i] - minus.Fz[i]) / (2 * h);
        }
        return col;
    }

    public static TheoryData<string, string, int> FdCases => new()
    {
        { "small", "fs", 1 }, { "small", "alloy", 1 }, { "ortho500", "fs", 97 }, { "tilted500", "fs", 97 }, { "tilted500", "alloy", 131 },
    };

    [Theory]
    [MemberData(nameof(FdCases))]
    public void Hessian_is_symmetric_and_equals_central_differences_of_the_forces(string glass, string style, int stride)
    {
        var names = style == "fs" ? EamPotentialTests.FsNames : EamPotentialTests.AlloyNames;
        var pot = style == "fs" ? EamPotentialTests.Fs() : EamPotentialTests.Alloy();
        var frame = EamPotentialTests.Structure(glass, names);
        var h = EamHessian.Compute(pot.Compute(frame));
        double hmax = h.Blocks.Max(Math.Abs);
        Assert.True(h.MaxAsymmetry() <= 1e-10, $"asymmetry {h.MaxAsymmetry():G3}");
        // second neighbours couple through the embedding term: a row reaches beyond the cutoff
        if (glass != "small") Assert.Contains(Enumerable.Range(0, h.RowOffsets[1]), k => Distance(frame, 0, h.Columns[k]) > pot.Cutoff);
        // translation invariance: every block row sums to zero
        for (int a = 0; a < h.AtomCount; a += 7)
            for (int q = 0; q < 9; q++)
            {
                double s = 0;
                for (int k = h.RowOffsets[a]; k < h.RowOffsets[a + 1]; k++) s += h.Blocks[9 * k + q];
                Assert.True(Math.Abs(s) <= 1e-9 * hmax, $"row {a} sum {s:G3}");
            }
        int n3 = 3 * frame.Count;
        double worst = 0;
        for (int c = 0; c < n3; c += stride)
        {
            // h = 1e-6 Å: the spline's second derivative jumps at the knots (δr = 7.6e-4 Å for Cu–Zr, jumps of a few
            // meV/Å² per pair), so a step that straddles a knot measures an average; 1e-5 Å does so often enough to
            // reach 2e-3 relative on ortho500, 1e-6 Å stays below 1e-5 (round-off ≈ 1e-10 eV/Å²)
            var fd = FiniteDifferenceColumn(pot, frame, c, 1e-6);
            double colMax = 0, err = 0;
            for (int r = 0; r < n3; r++)
            {
                colMax = Math.Max(colMax, Math.Abs(fd[r]));
                err = Math.Max(err, Math.Abs(h[r, c] - fd[r]));
            }
            worst = Math.Max(worst, err / colMax);
        }
        Assert.True(worst <= 1e-4, $"max |H − FD| / max |column| = {worst:G3}");
    }

    [Fact]
    public void Hessian_without_the_embedding_cross_term_fails_the_difference_check()
    {
        // the check can fail: F'' = 0 (dropping the cross term) must be detected on the small cell
        var pot = EamPotentialTests.Fs();
        var frame = EamPotentialTests.Structure("small", EamPotentialTests.FsNames);
        var res = pot.Compute(frame);
        Array.Clear(res.EmbeddingSecondDerivative);
        var h = EamHessian.Compute(res);
        var fd = FiniteDifferenceColumn(pot, frame, 4, 1e-5);
        double colMax = fd.Max(Math.Abs), err = 0;
        for (int r = 0; r < fd.Length; r++) err = Math.Max(err, Math.Abs(h[r, 4] - fd[r]));
        Assert.True(err / colMax > 1e-2, $"relative error only {err / colMax:G3}");
    }

    private static double Distance(Frame f, int i, int j)
    {
        var d = f.Box.MinimumImage(f.Position(j) - f.Position(i));
        return d.Length;
    }

    [Fact]
    public void Inherent_structure_has_exactly_three_zero_modes_and_participation_sums_to_three()
    {
        var pot = EamPotentialTests.Fs();
        var frame = EamPotentialTests.ReadDump("ortho500_is.dump.gz", EamPotentialTests.FsNames);
        var res = pot.Compute(frame);
        Assert.True(new[] { res.Fx, res.Fy, res.Fz }.SelectMany(a => a).Max(Math.Abs) < 1e-9, "not a tight minimum");
        var masses = frame.SpeciesIndex.Select(s => frame.Species[s].Mass).ToArray();
        var modes = NormalModes.Dense(EamHessian.Compute(res), masses, new NormalModesOptions { Fraction = 0.01, AllEigenvectors = true, Threads = 2 });
        Assert.Equal(3, modes.CountBelow(0.01));
        Assert.Equal([true, true, true], modes.IsTranslation.Take(3));
        Assert.Equal(3, modes.IsTranslation.Count(t => t));
        Assert.All(Enumerable.Range(0, modes.FrequenciesThz.Length).Where(k => !modes.IsTranslation[k]), k => Assert.True(modes.FrequenciesThz[k] > 0.01));
        Assert.All(modes.ParticipationAllModes!, p => Assert.Equal(3.0, p, 10));
        // only the selected vectors, one thread: the same participation bit for bit
        Assert.Equal(modes.Participation, NormalModes.Dense(EamHessian.Compute(res), masses, new NormalModesOptions { Fraction = 0.01, Threads = 1 }).Participation);
        Assert.Equal(15, modes.SelectedModes.Length); // ⌈0.01 · 1497⌉
        Assert.Equal(15.0, modes.Participation.Sum(), 9);
        // Cu–Zr glass: the highest frequencies are 8–11 THz
        Assert.InRange(modes.FrequenciesThz[^1], 7.0, 12.0);
    }

    public static TheoryData<string, string> OperatorCases => new() { { "small", "fs" }, { "small", "alloy" }, { "tilted500", "fs" }, { "ortho500", "alloy" } };

    /// <summary>The factored operator (pair blocks + density gradients) applies the same matrix as the assembled Hessian.</summary>
    [Theory]
    [MemberData(nameof(OperatorCases))]
    public void Factored_Hessian_operator_equals_the_assembled_Hessian(string glass, string style)
    {
        var names = style == "fs" ? EamPotentialTests.FsNames : EamPotentialTests.AlloyNames;
        var pot = style == "fs" ? EamPotentialTests.Fs() : EamPotentialTests.Alloy();
        var res = pot.Compute(EamPotentialTests.Structure(glass, names));
        var h = EamHessian.Compute(res);
        var op = EamHessianOperator.Create(res, 1);
        Assert.Equal(h.AtomCount, op.AtomCount);
        if (glass != "small") Assert.True(op.StoredEntries * 2 < 9L * h.Columns.Length, $"{op.StoredEntries} stored entries against {9L * h.Columns.Length}");
        int n3 = 3 * h.AtomCount;
        var rng = new Random(5);
        for (int trial = 0; trial < 3; trial++)
        {
            var x = Enumerable.Range(0, n3).Select(_ => rng.NextDouble() - 0.5).ToArray();
            var want = new double[n3]; h.Multiply(x, want);
            var y1 = new double[n3]; op.Multiply(x, y1, 1);
            var y2 = new double[n3]; op.Multiply(x, y2, 2);
            Assert.Equal(y1, y2);
            double scale = want.Max(Math.Abs), worst = 0;
            for (int r = 0; r < n3; r++) worst = Math.Max(worst, Math.Abs(y1[r] - want[r]));
            Assert.True(worst <= 1e-12 * scale, $"differs by {worst:G3} (scale {scale:G3})");
        }
        Assert.Throws<ArgumentException>(() => op.Multiply(new double[n3 - 1], new double[n3]));
    }

    /// <summary>
    /// The Chebyshev-filtered Lanczos on the factored operator, the plain one (degree 1) and a fixed degree all give the
    /// dense solver's lowest modes; the filter needs far fewer Krylov vectors.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(16)]
    public void Filtered_and_plain_Lanczos_on_the_operator_equal_the_dense_solver(int degree)
    {
        var frame = EamPotentialTests.ReadDump("ortho500_is.dump.gz", EamPotentialTests.FsNames);
        var res = EamPotentialTests.Fs().Compute(frame);
        var masses = frame.SpeciesIndex.Select(s => frame.Species[s].Mass).ToArray();
        var opts = new NormalModesOptions { Fraction = 0.01, ChebyshevDegree = degree };
        var dense = NormalModes.Dense(EamHessian.Compute(res), masses, opts);
        var op = EamHessianOperator.Create(res);
        var lz = NormalModesLanczos.Compute(op, masses, opts with { Threads = 1 });
        var lz2 = NormalModesLanczos.Compute(op, masses, opts with { Threads = 2 });
        Assert.Equal(lz.Eigenvalues, lz2.Eigenvalues);
        Assert.Equal(lz.Participation, lz2.Participation);
        Assert.Equal(15, lz.SelectedModes.Length);
        for (int k = 3; k < 18; k++) Assert.True(Math.Abs(lz.Eigenvalues[k] - dense.Eigenvalues[k]) <= 1e-9 * dense.Eigenvalues[k], $"mode {k}: {lz.Eigenvalues[k]:R} vs {dense.Eigenvalues[k]:R}");
        double worst = 0;
        for (int i = 0; i < frame.Count; i++) worst = Math.Max(worst, Math.Abs(lz.Participation[i] - dense.Participation[i]));
        Assert.True(worst <= 1e-7, $"participation differs by {worst:G3}");
        if (degree != 1) Assert.True(lz.LanczosSteps <= 200, $"{lz.LanczosSteps} Krylov vectors with the filter");
        Assert.Throws<ArgumentOutOfRangeException>(() => NormalModesLanczos.Compute(op, masses, opts with { ChebyshevDegree = -1 }));
    }

    [Fact]
    public void Lanczos_lowest_modes_equal_the_dense_solver()
    {
        var pot = EamPotentialTests.Fs();
        var frame = EamPotentialTests.ReadDump("ortho500_is.dump.gz", EamPotentialTests.FsNames);
        var res = pot.Compute(frame);
        var masses = frame.SpeciesIndex.Select(s => frame.Species[s].Mass).ToArray();
        var h = EamHessian.Compute(res);
        var opts = new NormalModesOptions { Fraction = 0.02 };
        var dense = NormalModes.Dense(h, masses, opts);
        var lz = NormalModesLanczos.Compute(h, masses, opts with { Threads = 1 });
        var lz2 = NormalModesLanczos.Compute(h, masses, opts with { Threads = 2 });
        Assert.Equal(lz.Participation, lz2.Participation);
        Assert.Equal(lz.Eigenvalues, lz2.Eigenvalues);
        Assert.Equal(30, lz.SelectedModes.Length);
        Assert.True(lz.LanczosSteps < 1497, $"{lz.LanczosSteps} steps");
        for (int k = 3; k < 33; k++) Assert.True(Math.Abs(lz.Eigenvalues[k] - dense.Eigenvalues[k]) <= 1e-9 * dense.Eigenvalues[k], $"mode {k}: {lz.Eigenvalues[k]:R} vs {dense.Eigenvalues[k]:R}");
        double worst = 0;
        for (int i = 0; i < frame.Count; i++) worst = Math.Max(worst, Math.Abs(lz.Participation[i] - dense.Participation[i]));
        Assert.True(worst <= 1e-7, $"participation differs by {worst:G3}");
    }

    /// <summary>
    /// A 16-atom Cu–Zr cell (B2 positions jittered by up to ±0.2 Å, axes stretched 1 : 1.04 : 1.09, no symmetry)
    /// replicated 3×3×3: 432 atoms whose modes at wave vectors q and −q are exactly degenerate pairs.
    /// </summary>
    private static Frame ReplicatedCell()
    {
        const double a = 3.2; double[] stretch = [1.0, 1.04, 1.09];
        var rng = new Random(7);
        var basis = new List<(double X, double Y, double Z, int S)>();
        for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) for (int k = 0; k < 2; k++)
                    for (int b = 0; b < 2; b++)
                    {
                        double J() => (rng.NextDouble() - 0.5) * 0.4;
                        basis.Add(((i + 0.5 * b) * a + J(), (j + 0.5 * b) * a + J(), (k + 0.5 * b) * a + J(), b));
                    }
        var x = new List<double>(); var y = new List<double>(); var z = new List<double>(); var sp = new List<int>();
        for (int u = 0; u < 3; u++) for (int v = 0; v < 3; v++) for (int w = 0; w < 3; w++)
                    foreach (var (bx, by, bz, s) in basis)
                    {
                        x.Add((bx + 2 * a * u) * stretch[0]); y.Add((by + 2 * a * v) * stretch[1]); z.Add((bz + 2 * a * w) * stretch[2]); sp.Add(s);
                    }
        var box = new Box(Vec3.Zero, new(6 * a * stretch[0], 0, 0), new(0, 6 * a * stretch[1], 0), new(0, 0, 6 * a * stretch[2]));
        return new Frame(box, new SpeciesTable(EamPotentialTests.FsNames), Enumerable.Range(1, x.Count).Select(i => (long)i).ToArray(),
            sp.ToArray(), x.ToArray(), y.ToArray(), z.ToArray());
    }

    [Fact]
    public void Block_Lanczos_finds_every_degenerate_mode_of_a_replicated_cell()
    {
        var frame = ReplicatedCell();
        var res = EamPotentialTests.Fs().Compute(frame);
        var masses = frame.SpeciesIndex.Select(s => frame.Species[s].Mass).ToArray();
        var h = EamHessian.Compute(res);
        int nVib = 3 * frame.Count - 3;
        var dense = NormalModes.Dense(h, masses, new NormalModesOptions { Fraction = 0.1, Threads = 2 });
        var lam = dense.Eigenvalues;
        double scale = lam.Max(Math.Abs);
        // the spectrum really has exact pairs
        int pairs = Enumerable.Range(4, 150).Count(k => Math.Abs(lam[k] - lam[k - 1]) <= 1e-10 * scale);
        Assert.True(pairs >= 40, $"only {pairs} degenerate pairs among the lowest 150 modes");
        // a mode count that does not split a degenerate pair (participation is then basis independent)
        int want = Enumerable.Range(100, 60).First(k => lam[3 + k] - lam[2 + k] > 1e-6 * scale);
        var opts = new NormalModesOptions { Fraction = (double)want / nVib };
        var lz = NormalModesLanczos.Compute(h, masses, opts with { Threads = 1 });
        var lz2 = NormalModesLanczos.Compute(h, masses, opts with { Threads = 2 });
        Assert.Equal(lz.Eigenvalues, lz2.Eigenvalues);
        Assert.Equal(lz.Participation, lz2.Participation);
        Assert.Equal(want, lz.SelectedModes.Length);
        for (int k = 3; k < 3 + want; k++)
            Assert.True(Math.Abs(lz.Eigenvalues[k] - lam[k]) <= 1e-9 * scale, $"mode {k}: {lz.Eigenvalues[k]:R} vs dense {lam[k]:R}");
        for (int k = 3; k < 3 + want; k++) Assert.Equal(dense.FrequenciesThz[k], lz.FrequenciesThz[k], 6);
        var denseSel = NormalModes.Dense(h, masses, opts with { Threads = 2 });
        double worst = 0;
        for (int i = 0; i < frame.Count; i++) worst = Math.Max(worst, Math.Abs(lz.Participation[i] - denseSel.Participation[i]));
        Assert.True(worst <= 1e-7, $"participation differs by {worst:G3}");
        Assert.Equal(want, lz.Participation.Sum(), 8);
        Assert.True(lz.LanczosSteps < nVib, $"{lz.LanczosSteps} Krylov vectors (the whole space would make any Lanczos exact)");
    }
}
