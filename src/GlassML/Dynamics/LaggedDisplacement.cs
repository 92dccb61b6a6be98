using System.Globalization;
using GlassML.Descriptors;
using GlassML.Structure;

namespace GlassML.Dynamics;

/// <summary>Cartesian components included in a mean squared displacement.</summary>
[Flags]
public enum Axes
{
    /// <summary>x only.</summary>
    X = 1,
    /// <summary>y only.</summary>
    Y = 2,
    /// <summary>z only.</summary>
    Z = 4,
    /// <summary>x and y (perpendicular to z).</summary>
    XY = X | Y,
    /// <summary>x and z (perpendicular to y).</summary>
    XZ = X | Z,
    /// <summary>y and z (perpendicular to x), e.g. MSD_YZ under loading along x.</summary>
    YZ = Y | Z,
    /// <summary>All three components.</summary>
    All = X | Y | Z,
}

/// <summary>Options of <see cref="LaggedDisplacement"/>.</summary>
public sealed record LaggedDisplacementOptions
{
    /// <summary>
    /// Spacing of time origins (ps): the first frame is an origin, then each first frame at least this long after the
    /// previous origin. NaN (default) = the largest lag, so that at most two origins are pending at any time.
    /// 0 = every frame is an origin (memory then grows with the number of frames within the largest lag).
    /// </summary>
    public double OriginInterval { get; init; } = double.NaN;
    /// <summary>Explicit origin times (ps); overrides <see cref="OriginInterval"/> when given.</summary>
    public IReadOnlyList<double>? OriginTimes { get; init; }
    /// <summary>Extra atom groups for MSD curves: name → atom ids (the groups "all" and one per species always exist).</summary>
    public IReadOnlyDictionary<string, long[]>? Groups { get; init; }
    /// <summary>Maximum degree of parallelism (0 = all cores).</summary>
    public int Threads { get; init; }
}

/// <summary>
/// Lagged squared displacements (spec physics.md "Displacements and flexibility"):
/// Δr²_i(Δt) = |r_i(t0+Δt) − r_i(t0)|² with unwrapped positions, averaged over the time origins t0 for which the
/// frame at t0+Δt exists; MSD curves per group (all atoms, each species, user groups) with any subset of
/// components (e.g. only those perpendicular to a loading axis). Frames are streamed once: memory is the
/// pending origins' positions plus one accumulator per lag and atom. Frame time = timestep × dt; a lag matches a
/// frame when the timestep difference equals round(lag/dt) exactly.
/// </summary>
public sealed class LaggedDisplacement
{
    private readonly long[] _lagSteps;
    private readonly int[] _order; // lag indices in increasing lag order

    /// <summary>Creates the calculator.</summary>
    /// <param name="lags">Lags Δt (ps), positive, distinct, each a whole number of timesteps.</param>
    /// <param name="dt">MD timestep (ps).</param>
    /// <param name="options">Origins, groups and threads.</param>
    public LaggedDisplacement(IReadOnlyList<double> lags, double dt, LaggedDisplacementOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(lags);
        if (lags.Count == 0) throw new ArgumentException("give at least one lag (ps)", nameof(lags));
        if (!(dt > 0) || double.IsInfinity(dt)) throw new ArgumentOutOfRangeException(nameof(dt), "dt must be a positive time step (ps)");
        Options = options ?? new LaggedDisplacementOptions();
        if (Options.Threads < 0) throw new ArgumentOutOfRangeException(nameof(options), "Threads must be ≥ 0 (0 = all cores)");
        Dt = dt;
        Lags = lags.ToArray();
        _lagSteps = new long[lags.Count];
        for (int k = 0; k < lags.Count; k++)
        {
            double q = lags[k] / dt;
            if (!(lags[k] > 0) || double.IsInfinity(q)) throw new ArgumentOutOfRangeException(nameof(lags), $"lag {lags[k]} ps is not a positive time");
            long st = (long)Math.Round(q);
            if (st < 1 || Math.Abs(q - st) > 1e-6 * Math.Max(1, q))
                throw new ArgumentException($"lag {lags[k].ToString(CultureInfo.InvariantCulture)} ps is not a whole number of timesteps dt = {dt.ToString(CultureInfo.InvariantCulture)} ps");
            for (int m = 0; m < k; m++) if (_lagSteps[m] == st) throw new ArgumentException($"lag {lags[k]} ps is given twice");
            _lagSteps[k] = st;
        }
        _order = Enumerable.Range(0, _lagSteps.Length).ToArray();
        Array.Sort(_order, (a, b) => _lagSteps[a].CompareTo(_lagSteps[b]));
        double maxLag = Lags.Max();
        if (Options.OriginTimes is null && !double.IsNaN(Options.OriginInterval) && !(Options.OriginInterval >= 0 && !double.IsInfinity(Options.OriginInterval)))
            throw new ArgumentOutOfRangeException(nameof(options), "OriginInterval must be a time ≥ 0 (ps) or NaN");
        OriginIntervalSteps = Options.OriginTimes is not null ? -1 : (long)Math.Round((double.IsNaN(Options.OriginInterval) ? maxLag : Options.OriginInterval) / dt);
    }

    /// <summary>Lags (ps) in the order given.</summary>
    public double[] Lags { get; }
    /// <summary>Timestep (ps).</summary>
    public double Dt { get; }
    /// <summary>The options.</summary>
    public LaggedDisplacementOptions Options { get; }
    /// <summary>Origin spacing in timesteps (−1 when explicit origin times are used).</summary>
    public long OriginIntervalSteps { get; }

    private sealed class Origin
    {
        public long Step;
        public double[] X = [], Y = [], Z = [];
        public int Next;
        public bool Used;
    }

    /// <summary>
    /// Streams the frames (time order, unwrapped: e.g. a <see cref="Trajectory"/>; frames with image flags are unwrapped
    /// here) and returns per-atom Δr² and group MSD curves. Atom order of the result = the first frame's order.
    /// </summary>
    /// <exception cref="ArgumentException">Wrapped frames without image flags, or atoms that change between frames.</exception>
    public LaggedDisplacementResult Compute(IEnumerable<Frame> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        int K = Lags.Length;
        long maxLagSteps = _lagSteps.Max();
        HashSet<long>? originSteps = Options.OriginTimes?.Select(t => (long)Math.Round(t / Dt)).ToHashSet();
        var po = new ParallelOptions { MaxDegreeOfParallelism = Options.Threads == 0 ? -1 : Options.Threads };

        Frame? first = null;
        double[][] sum = [];
        int[] originCount = new int[K];
        List<string> groupNames = [];
        List<int[]> groupMembers = [];
        double[,,] groupSum = new double[0, 0, 0];
        var pending = new List<Origin>();
        long lastOrigin = long.MinValue;
        long lastStep = long.MinValue;
        int originsUsed = 0;
        double[] dx = [], dy = [], dz = [];

        foreach (var f in frames)
        {
            if (first is not null && f.Timestep <= lastStep)
                throw new ArgumentException($"timestep {f.Timestep} does not follow {lastStep}: frames must be in increasing time order (use a Trajectory, which drops duplicates)");
            lastStep = f.Timestep;
            var (x, y, z) = Positions(f);
            if (first is null)
            {
                first = f;
                int n0 = f.Count;
                sum = new double[K][];
                for (int k = 0; k < K; k++) sum[k] = new double[n0];
                BuildGroups(f, groupNames, groupMembers);
                groupSum = new double[K, groupNames.Count, 3];
                dx = new double[n0]; dy = new double[n0]; dz = new double[n0];
            }
            else
            {
                int[] map = AtomMatching.Map(first, f);
                bool identity = true;
                for (int i = 0; i < map.Length && identity; i++) identity = map[i] == i;
                if (!identity) { x = Permute(x, map); y = Permute(y, map); z = Permute(z, map); }
            }
            int n = first.Count;
            for (int o = pending.Count - 1; o >= 0; o--)
            {
                var org = pending[o];
                long lag = f.Timestep - org.Step;
                while (org.Next < K && SortedLag(org.Next) < lag) org.Next++;
                if (org.Next < K && SortedLag(org.Next) == lag)
                {
                    int k = SortedIndex(org.Next);
                    var acc = sum[k];
                    Parallel.For(0, n, po, i =>
                    {
                        double a = x[i] - org.X[i], b = y[i] - org.Y[i], c = z[i] - org.Z[i];
                        dx[i] = a * a; dy[i] = b * b; dz[i] = c * c;
                        acc[i] += dx[i] + dy[i] + dz[i];
                    });
                    originCount[k]++;
                    if (!org.Used) { org.Used = true; originsUsed++; }
                    for (int g = 0; g < groupMembers.Count; g++)
                    {
                        double sx = 0, sy = 0, sz = 0;
                        foreach (int i in groupMembers[g]) { sx += dx[i]; sy += dy[i]; sz += dz[i]; }
                        int m = Math.Max(groupMembers[g].Length, 1);
                        groupSum[k, g, 0] += sx / m; groupSum[k, g, 1] += sy / m; groupSum[k, g, 2] += sz / m;
                    }
                    org.Next++;
                }
                if (org.Next >= K || lag >= maxLagSteps) pending.RemoveAt(o);
            }
            bool isOrigin = originSteps is not null ? originSteps.Contains(f.Timestep)
                          : lastOrigin == long.MinValue || f.Timestep - lastOrigin >= OriginIntervalSteps;
            if (isOrigin)
            {
                lastOrigin = f.Timestep;
                pending.Add(new Origin { Step = f.Timestep, X = (double[])x.Clone(), Y = (double[])y.Clone(), Z = (double[])z.Clone() });
            }
        }
        if (first is null) throw new ArgumentException("the trajectory holds no frames");

        int nAtoms = first.Count;
        var dr2 = new double[K][];
        var curves = new double[K, groupNames.Count, 3];
        for (int k = 0; k < K; k++)
        {
            dr2[k] = new double[nAtoms];
            int c = originCount[k];
            for (int i = 0; i < nAtoms; i++) dr2[k][i] = c == 0 ? double.NaN : sum[k][i] / c;
            for (int g = 0; g < groupNames.Count; g++)
                for (int a = 0; a < 3; a++) curves[k, g, a] = c == 0 ? double.NaN : groupSum[k, g, a] / c;
        }
        return new LaggedDisplacementResult((double[])Lags.Clone(), (long[])_lagSteps.Clone(), originCount, originsUsed,
            (long[])first.Ids.Clone(), (int[])first.SpeciesIndex.Clone(), dr2, groupNames.ToArray(), curves);
    }

    private int SortedIndex(int r) => _order[r];
    private long SortedLag(int r) => _lagSteps[SortedIndex(r)];

    private static (double[] X, double[] Y, double[] Z) Positions(Frame f)
    {
        if (f.PositionsUnwrapped) return (f.X, f.Y, f.Z);
        if (f.Images is not null) return f.UnwrappedPositions();
        throw new ArgumentException($"frame at timestep {f.Timestep} has wrapped positions and no image flags: read it through a Trajectory (continuity unwrapping) or dump xu yu zu");
    }

    private static double[] Permute(double[] a, int[] map)
    {
        var r = new double[a.Length];
        for (int i = 0; i < a.Length; i++) r[i] = a[map[i]];
        return r;
    }

    private void BuildGroups(Frame f, List<string> names, List<int[]> members)
    {
        int n = f.Count;
        names.Add("all");
        members.Add(Enumerable.Range(0, n).ToArray());
        for (int s = 0; s < f.Species.Count; s++)
        {
            var list = new List<int>();
            for (int i = 0; i < n; i++) if (f.SpeciesIndex[i] == s) list.Add(i);
            names.Add(f.Species[s].Name);
            members.Add(list.ToArray());
        }
        if (Options.Groups is null) return;
        var at = new Dictionary<long, int>(n);
        for (int i = 0; i < n; i++) at[f.Ids[i]] = i;
        foreach (var (name, ids) in Options.Groups.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (names.Contains(name)) throw new ArgumentException($"group name '{name}' clashes with a built-in group (all or a species name)");
            var idx = new List<int>(ids.Length);
            foreach (long id in ids)
                idx.Add(at.TryGetValue(id, out int i) ? i : throw new ArgumentException($"group '{name}': atom id {id} is not in the trajectory"));
            idx.Sort();
            names.Add(name);
            members.Add(idx.ToArray());
        }
    }
}

/// <summary>Result of <see cref="LaggedDisplacement.Compute"/>.</summary>
public sealed class LaggedDisplacementResult
{
    private readonly double[,,] _curves;

    internal LaggedDisplacementResult(double[] lags, long[] lagSteps, int[] originCount, int origins, long[] ids, int[] species,
        double[][] dr2, string[] groups, double[,,] curves)
    {
        Lags = lags; LagSteps = lagSteps; OriginCount = originCount; OriginsUsed = origins; Ids = ids; SpeciesIndex = species;
        Dr2 = dr2; GroupNames = groups; _curves = curves;
    }

    /// <summary>Lags (ps).</summary>
    public double[] Lags { get; }
    /// <summary>Lags in timesteps.</summary>
    public long[] LagSteps { get; }
    /// <summary>Number of origins that contributed to each lag (0 → NaN values).</summary>
    public int[] OriginCount { get; }
    /// <summary>Number of time origins that contributed to at least one lag.</summary>
    public int OriginsUsed { get; }
    /// <summary>Atom ids (first frame's order).</summary>
    public long[] Ids { get; }
    /// <summary>Species index per atom.</summary>
    public int[] SpeciesIndex { get; }
    /// <summary>Δr²_i(lag) averaged over origins (Å²): Dr2[lag][atom].</summary>
    public double[][] Dr2 { get; }
    /// <summary>Groups of the MSD curves: "all", each species name, then user groups (ordinal order).</summary>
    public IReadOnlyList<string> GroupNames { get; }

    /// <summary>
    /// Group MSD (Å²) at lag index <paramref name="lagIndex"/>: the mean over origins of the mean over the group's atoms
    /// of the selected squared components (e.g. <see cref="Axes.YZ"/> for MSD_YZ).
    /// </summary>
    public double Msd(string group, int lagIndex, Axes components = Axes.All)
    {
        int g = -1;
        for (int k = 0; k < GroupNames.Count; k++) if (GroupNames[k] == group) g = k;
        if (g < 0) throw new KeyNotFoundException($"no group '{group}' (known: {string.Join(", ", GroupNames)})");
        double s = 0;
        if ((components & Axes.X) != 0) s += _curves[lagIndex, g, 0];
        if ((components & Axes.Y) != 0) s += _curves[lagIndex, g, 1];
        if ((components & Axes.Z) != 0) s += _curves[lagIndex, g, 2];
        return s;
    }

    /// <summary>Components perpendicular to a loading axis (0 = x, 1 = y, 2 = z).</summary>
    public static Axes PerpendicularTo(int axis) => axis switch
    {
        0 => Axes.YZ, 1 => Axes.XZ, 2 => Axes.XY,
        _ => throw new ArgumentOutOfRangeException(nameof(axis), "axis must be 0 (x), 1 (y) or 2 (z)"),
    };

    /// <summary>Lag formatted for column names: invariant culture, shortest round-trip form ("0.01", "1", "200").</summary>
    public static string FormatLag(double lag) => lag.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// Per-atom features <c>dr2_{lag}</c> (Å²) and <c>lg_dr2_over_T_{lag}</c> = log10(Δr²/T) for each lag
    /// (docs/names.md "displacements").
    /// </summary>
    /// <param name="temperature">Temperature T (K), positive.</param>
    public PerAtomFeatures ToFeatures(double temperature)
    {
        if (!(temperature > 0) || double.IsInfinity(temperature)) throw new ArgumentOutOfRangeException(nameof(temperature), "temperature must be positive (K)");
        int k = Lags.Length, n = Ids.Length, f = 2 * k;
        var names = new List<string>(f);
        foreach (var l in Lags) names.Add("dr2_" + FormatLag(l));
        foreach (var l in Lags) names.Add("lg_dr2_over_T_" + FormatLag(l));
        var v = new double[(long)n * f];
        for (int i = 0; i < n; i++)
            for (int a = 0; a < k; a++)
            {
                double d = Dr2[a][i];
                v[(long)i * f + a] = d;
                v[(long)i * f + k + a] = Math.Log10(d / temperature);
            }
        return new PerAtomFeatures(names, n, v);
    }
}
