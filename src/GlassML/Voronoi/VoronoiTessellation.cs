using GlassML.Neighbors;
using GlassML.Numerics;
using GlassML.Structure;

namespace GlassML.Voronoi;

/// <summary>
/// Plain or radical (power) Voronoi tessellation under periodic boundaries (orthogonal and triclinic) by cell cutting.
/// Each atom's cell starts as a cube around the atom and is cut by the half-spaces
/// |x − r_i|² − R_i² ≤ |x − r_j|² − R_j² of its neighbours (every periodic image) in order of distance, i.e. by the plane
/// at distance (d² + R_i² − R_j²)/(2d) from the atom. The cell is complete when no remaining candidate can cut it: a
/// candidate at distance d has its plane at least (d² + R_i² − R_max²)/(2d) away, and cutting needs a plane closer than the
/// farthest vertex; if the candidate list (a ball of radius r) runs out first, the ball is enlarged and the cell rebuilt.
/// Non-periodic box directions bound the cells by the box walls. Vertices within 1e-11 × (mean atomic spacing) of a
/// cutting plane are treated as lying on it, so perfect crystals give their ideal polyhedra (FCC ⟨0,12,0,0⟩, BCC
/// ⟨0,6,0,8⟩, SC 6 faces) without zero-area faces. Faces narrower than 100 tolerances (area &lt; 100·tol·diameter) are
/// numerical slivers and are left out of the face list (their volume stays in the cell). Limitation: crystals perturbed
/// by about 1e-9–1e-8 Å can give sliver faces near that threshold (areas ~1e-17 Å²) that appear in only one of the two
/// cells; real glass configurations are far from this regime. Parallel over atoms; results identical for any thread count.
/// </summary>
public sealed class VoronoiTessellation
{
    private const int Chunk = 2048;
    /// <summary>Radius of the first candidate shell in units of the mean atomic spacing (complete for the cells of dense glasses).</summary>
    private const double FirstShell = 1.8;

    /// <summary>Creates a tessellation with validated options.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A threshold is negative or not finite, a radius is negative or threads &lt; 0.</exception>
    public VoronoiTessellation(VoronoiOptions? options = null)
    {
        options ??= new VoronoiOptions();
        static void NonNeg(double v, string name)
        {
            if (!(v >= 0) || double.IsInfinity(v)) throw new ArgumentOutOfRangeException(name, $"{name} must be a finite value ≥ 0, got {v}");
        }
        NonNeg(options.MinFaceArea, nameof(options.MinFaceArea));
        NonNeg(options.MinRelativeFaceArea, nameof(options.MinRelativeFaceArea));
        NonNeg(options.SmallFaceFractionOfMean, nameof(options.SmallFaceFractionOfMean));
        NonNeg(options.MinEdgeLength, nameof(options.MinEdgeLength));
        if (options.MinRelativeFaceArea >= 1) throw new ArgumentOutOfRangeException(nameof(options.MinRelativeFaceArea), "MinRelativeFaceArea is a fraction of the cell area and must be < 1");
        if (options.Threads < 0) throw new ArgumentOutOfRangeException(nameof(options.Threads), "threads must be ≥ 0 (0 = all cores)");
        NonNeg(options.CutoffNeighbors, nameof(options.CutoffNeighbors));
        NonNeg(options.AmlearnSmallFaceThreshold, nameof(options.AmlearnSmallFaceThreshold));
        if (options.Radii is not null)
            foreach (var kv in options.Radii)
                if (!(kv.Value >= 0) || double.IsInfinity(kv.Value))
                    throw new ArgumentOutOfRangeException(nameof(options.Radii), $"radius of {kv.Key} must be a finite value ≥ 0, got {kv.Value}");
        Options = options;
    }

    /// <summary>The options in use.</summary>
    public VoronoiOptions Options { get; }

    /// <summary>Tessellates the frame.</summary>
    /// <exception cref="ArgumentException">Radii are given but a species of the frame has none; a position is not finite; two atoms coincide.</exception>
    public VoronoiResult Compute(Frame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        int n = frame.Count;
        var box = frame.Box;
        int nsp = Math.Max(frame.Species.Count, 1);
        var rad = new double[nsp];
        bool radical = Options.Radii is not null;
        if (radical)
        {
            for (int s = 0; s < frame.Species.Count; s++)
            {
                string name = frame.Species[s].Name;
                if (!Options.Radii!.TryGetValue(name, out double r))
                    throw new ArgumentException($"no radius given for species '{name}' (radii given for: {string.Join(", ", Options.Radii.Keys)}); give every species a radius with --radii, e.g. --radii {name}:1.0");
                rad[s] = r;
            }
        }
        double rMax = 0, rMin = double.PositiveInfinity;
        var present = frame.SpeciesCounts();
        for (int s = 0; s < frame.Species.Count; s++)
            if (present[s] > 0) { rMax = Math.Max(rMax, rad[s]); rMin = Math.Min(rMin, rad[s]); }
        if (double.IsInfinity(rMin)) rMin = 0;
        double rMax2 = rMax * rMax;

        if (n == 0)
            return new VoronoiResult([], [], [0], [], [], [], [], [], [], [], [], Options.KeepVertices ? [0] : null,
                Options.KeepVertices ? [] : null, Options.KeepVertices ? [] : null, Options.KeepVertices ? [] : null, radical, false)
            { CutoffNeighbors = Options.CutoffNeighbors > 0 ? new NeighborList([0], [], [], [], [], [], null, "cut", Options.CutoffNeighbors) : null };

        double spacing = Math.Cbrt(box.Volume / n);
        double r0 = 2.0 * spacing + 2 * (rMax - rMin);  // half-size of the starting cube
        double ballCut = Options.CutoffNeighbors;
        // radius of the first candidate shell (at least the cutoff of the collected neighbour list)
        double r1 = Math.Max(FirstShell * spacing + 2 * (rMax - rMin), ballCut);
        double tol = 1e-11 * spacing;
        // bins of half the first shell: a query visits 5×5×5 small bins (≈ 90 atoms) instead of 3×3×3 bins of r0 (≈ 220 atoms)
        SearchBudget.CheckBall(frame, r1, Options.Threads);
        var grid = new NeighborSearch.CellGrid(frame, 0.5 * r1, Options.Threads);

        // walls of non-periodic directions, in fractional coordinates
        bool anyWall = false;
        var sLo = new double[3]; var sHi = new double[3];
        for (int a = 0; a < 3; a++)
        {
            if (box.Periodic[a]) continue;
            anyWall = true;
            double lo = 0, hi = 1;
            for (int i = 0; i < n; i++)
            {
                double s = box.HInv(a, 0) * (frame.X[i] - box.Origin.X) + box.HInv(a, 1) * (frame.Y[i] - box.Origin.Y) + box.HInv(a, 2) * (frame.Z[i] - box.Origin.Z);
                lo = Math.Min(lo, s); hi = Math.Max(hi, s);
            }
            sLo[a] = lo; sHi[a] = hi;
        }

        int nChunks = (n + Chunk - 1) / Chunk;
        var chunks = new ChunkPlace[nChunks];
        var ballRuns = ballCut > 0 ? new PairRun[nChunks] : null;
        var volume = new double[n];
        var area = new double[n];
        var faceCount = new int[n];
        var vertCount = Options.KeepVertices ? new int[n] : null;
        var ballCount = ballCut > 0 ? new int[n] : null;
        double ballCut2 = ballCut * ballCut;
        var order = grid.SortedAtoms;
        var po = new ParallelOptions { MaxDegreeOfParallelism = Options.Threads == 0 ? -1 : Options.Threads };
        var ctx = new Context(frame, grid, rad, radical, rMax2, r0, r1, tol, anyWall, sLo, sHi, Options);
        // One long-lived worker per thread takes the chunks one after the other (a shared counter) and writes the faces of all
        // of them into its slabs (WorkerSlabs). (Parallel.For's thread-local state would not do: its workers yield and start
        // afresh every few hundred milliseconds.) A worker's share is planned as an equal part of the chunks; the slabs expect
        // ≈ 15 faces per atom (a metallic glass has ≈ 14), 6 vertices per face and the cutoff ball's atoms at the mean density.
        int workers = Math.Min(nChunks, Options.Threads == 0 ? Environment.ProcessorCount : Options.Threads);
        long share = Math.Min(n, (long)(nChunks + workers - 1) / workers * Chunk);
        var plan = Options.SlabRecords > 0
            ? new SlabPlan(Options.SlabRecords, Options.SlabRecords, Options.SlabRecords)
            : new SlabPlan(Slabs.Capacity(15, share), Slabs.Capacity(15 * 6, share), Slabs.Capacity(4 * Math.PI / 3 * ballCut * ballCut2 * n / box.Volume, share));
        // faces for per-atom statistics only: edge count, area and sub-volume, left in the slabs (VoronoiOptions.StatisticsOnly)
        bool statsOnly = Options.StatisticsOnly && Options.CompactDisplacements && !anyWall && !Options.KeepVertices;
        int nextChunk = -1;
        try
        {
            Parallel.For(0, workers, po, (_, state) =>
            {
                var w = new Worker(new WorkerSlabs(plan, anyWall, Options.KeepVertices, ballRuns is not null, statsOnly));
                var slabs = w.Slabs;
                int c;
                while (!state.ShouldExitCurrentIteration && (c = Interlocked.Increment(ref nextChunk)) < nChunks)
                {
                    int start = c * Chunk, end = Math.Min(n, start + Chunk);
                    slabs.BeginChunk();
                    for (int t = start; t < end; t++)
                    {
                        int i = order[t];
                        int before = slabs.ChunkFaces, vBefore = slabs.ChunkVertices;
                        (volume[i], area[i]) = ctx.Cell(i, w);
                        faceCount[i] = slabs.ChunkFaces - before;
                        if (vertCount is not null) vertCount[i] = slabs.ChunkVertices - vBefore;
                        if (ballCount is not null) ballCount[i] = CollectBall(ref w.Candidates, ref w.Ball, ballCut2, slabs);
                    }
                    chunks[c] = slabs.Place;
                    if (ballRuns is not null) ballRuns[c] = slabs.BallPlace;
                }
            });
        }
        catch (AggregateException ae) when (ae.InnerExceptions.Count > 0)
        {
            // report the first failure (e.g. coinciding atoms) as itself, not wrapped
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ae.InnerExceptions[0]).Throw();
            throw;
        }

        // the atom-ordered face offsets (not for statistics only: the faces are not placed, and FaceRuns has the counts)
        var offsets = statsOnly ? [] : new int[n + 1];
        long total = 0;
        for (int i = 0; i < n; i++)
        {
            total += faceCount[i];
            if (total > int.MaxValue) throw new InvalidOperationException("more than 2^31 Voronoi faces");
            if (!statsOnly) offsets[i + 1] = (int)total;
        }
        int m = (int)total;
        // compact: (neighbour, image) per face, displacements recomputed when read; else the displacement arrays themselves
        bool compact = Options.CompactDisplacements && !anyWall;

        NeighborList? ball = null;
        if (ballCount is not null)
        {
            ball = NeighborSearch.Assemble(grid, order, Chunk, ballCount, ballRuns!, "cut", ballCut, po, Options.CompactDisplacements);
        }
        if (statsOnly)
        {
            // the faces stay in the slabs, each atom's run found by its slab and start (VoronoiResult.FacesAt)
            var slabIds = new Dictionary<FaceSlab, int>(ReferenceEqualityComparer.Instance);
            var slabs = new List<FaceSlab>();
            var slabOf = new int[n]; var runStart = new int[n];
            for (int c = 0; c < nChunks; c++)
            {
                var (f, src, _, _) = chunks[c];
                if (!slabIds.TryGetValue(f, out int id)) { id = slabs.Count; slabIds.Add(f, id); slabs.Add(f); }
                for (int t = c * Chunk, end = Math.Min(n, t + Chunk); t < end; t++)
                {
                    int i = order[t];
                    slabOf[i] = id; runStart[i] = src;
                    src += faceCount[i];
                }
            }
            var runs = new FaceRuns(slabOf, runStart, faceCount, [.. slabs.Select(f => f.Edges8!)], [.. slabs.Select(f => f.Area)],
                [.. slabs.Select(f => f.SubVolume)]);
            return new VoronoiResult(volume, area, runs, m, radical) { CutoffNeighbors = ball };
        }
        // the atom-ordered arrays, each atom's run of faces copied from its slab: fresh arrays, every entry written once below,
        // not zeroed first, so that no page is touched before the advice and the copy fills them a huge page at a time
        // (Numerics.HugePages)
        var nb = HugePages.NewInts(m); var img = compact ? HugePages.NewInts(m) : null;
        double[] dx = compact ? [] : HugePages.NewDoubles(m), dy = compact ? [] : HugePages.NewDoubles(m),
            dz = compact ? [] : HugePages.NewDoubles(m), dist = compact ? [] : HugePages.NewDoubles(m);
        var fa = HugePages.NewDoubles(m); var fe = HugePages.NewInts(m); var sv = HugePages.NewDoubles(m);
        int[]? vOff = null; double[]? vx = null, vy = null, vz = null;
        int[]? vStartAtom = null;
        if (vertCount is not null)
        {
            vStartAtom = new int[n + 1];
            long vt = 0;
            for (int i = 0; i < n; i++) { vt += vertCount[i]; if (vt > int.MaxValue) throw new InvalidOperationException("too many vertices to keep"); vStartAtom[i + 1] = (int)vt; }
            vOff = new int[m + 1]; vx = new double[vt]; vy = new double[vt]; vz = new double[vt];
        }
        Parallel.For(0, nChunks, po, c =>
        {
            var (f, src, v, vsrc) = chunks[c];
            int start = c * Chunk, end = Math.Min(n, start + Chunk);
            for (int t = start; t < end; t++)
            {
                int i = order[t], cnt = faceCount[i], dst = offsets[i];
                Array.Copy(f.Nb!, src, nb, dst, cnt);
                if (img is not null) Array.Copy(f.Image!, src, img, dst, cnt);
                else if (f.Dist is not null)
                {
                    Array.Copy(f.Dx!, src, dx, dst, cnt);
                    Array.Copy(f.Dy!, src, dy, dst, cnt);
                    Array.Copy(f.Dz!, src, dz, dst, cnt);
                    Array.Copy(f.Dist, src, dist, dst, cnt);
                }
                else
                {
                    // periodic neighbours only: the displacement and distance of the neighbour's image as the query computed them
                    grid.Displacements(i, f.Nb!.AsSpan(src, cnt), f.Image!.AsSpan(src, cnt),
                        dx.AsSpan(dst, cnt), dy.AsSpan(dst, cnt), dz.AsSpan(dst, cnt), dist.AsSpan(dst, cnt));
                }
                Array.Copy(f.Area, src, fa, dst, cnt);
                Array.Copy(f.Edges!, src, fe, dst, cnt);
                Array.Copy(f.SubVolume, src, sv, dst, cnt);
                if (vOff is not null)
                {
                    int vdst = vStartAtom![i], vcnt = vertCount![i];
                    for (int k = 0, q = vdst; k < cnt; k++) { vOff[dst + k] = q; q += f.VertexCount![src + k]; }
                    Array.Copy(v!.X, vsrc, vx!, vdst, vcnt);
                    Array.Copy(v.Y, vsrc, vy!, vdst, vcnt);
                    Array.Copy(v.Z, vsrc, vz!, vdst, vcnt);
                    vsrc += vcnt;
                }
                src += cnt;
            }
            chunks[c] = default;
        });
        if (vOff is not null) vOff[m] = vx!.Length;
        if (img is not null)
            return new VoronoiResult(volume, area, offsets, nb, new PairImages(grid, offsets, nb, img, Options.Threads), fa, fe, sv, vOff, vx, vy, vz, radical)
            { CutoffNeighbors = ball };
        return new VoronoiResult(volume, area, offsets, nb, dx, dy, dz, dist, fa, fe, sv, vOff, vx, vy, vz, radical, anyWall) { CutoffNeighbors = ball };
    }

    /// <summary>
    /// Appends to the chunk the candidates closer than the cutoff (squared: <paramref name="cut2"/>, the same test on the same
    /// displacements as <c>NeighborSearch.Ball</c>) in that list's order; returns their number. The candidate list holds every
    /// atom within the first shell, whose radius is at least the cutoff.
    /// </summary>
    private static int CollectBall(ref NeighborSearch.Scratch cand, ref NeighborSearch.Scratch ball, double cut2, WorkerSlabs slabs)
    {
        ball.Count = 0;
        for (int k = 0; k < cand.Count; k++)
        {
            double ex = cand.Dx[k], ey = cand.Dy[k], ez = cand.Dz[k];
            if (ex * ex + ey * ey + ez * ez < cut2) ball.Add(cand.Index[k], cand.Image[k], ex, ey, ez, cand.D[k]);
        }
        ball.SortByDistance();
        slabs.AddBall(ref ball);
        return ball.Count;
    }

    /// <summary>Frame-level constants and the per-atom cell computation.</summary>
    private sealed class Context(Frame frame, NeighborSearch.CellGrid grid, double[] rad, bool radical, double rMax2, double r0, double r1, double tol,
        bool anyWall, double[] sLo, double[] sHi, VoronoiOptions options)
    {
        // hot: jitted fully optimised at first call rather than the ReadyToRun code, ≈ 12 % slower here (docs/benchmarks.md, round 8)
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public (double Volume, double Area) Cell(int i, Worker w)
        {
            var cb = w.Cell;
            cb.Tol = tol;
            int[] sp = frame.SpeciesIndex;
            double ri = rad[sp[i]], ri2 = ri * ri;
            // Candidates come in shells: first the ball of radius r1 (enough for almost every cell of a dense glass), then,
            // while the cell is not provably complete, the atoms between the previous radius and a larger one are appended
            // and cut in order of distance. Cuts commute, so the cell equals one built from the whole candidate set; only if
            // the cell still touches its bounding cube (of half-size h) at the end is it rebuilt in a larger cube.
            double h = r0;
            ref var sc = ref w.Candidates;
            while (true)
            {
                double r = r1;
                sc.Count = 0;
                grid.Query(i, r, ref sc);
                int done = 0, nc = sc.Count;
                cb.InitCube(h);
                if (anyWall) ApplyWalls(i, cb);
                bool complete = false;
                while (true)
                {
                    w.EnsureKeys(nc);
                    var keys = w.Keys; var ord = w.Order;
                    for (int k = done; k < nc; k++) { keys[k] = sc.D[k]; ord[k] = k; }
                    keys.AsSpan(done, nc - done).Sort(ord.AsSpan(done, nc - done));
                    for (int k = done; k < nc && !cb.Empty; k++)
                    {
                        double d = keys[k];
                        double pl = radical ? (d * d + ri2 - rMax2) / (2 * d) : 0.5 * d;
                        if (pl > 0 && pl * pl > cb.MaxR2) { complete = true; break; }
                        int q = ord[k];
                        if (d <= tol) throw new ArgumentException($"atoms {frame.Ids[i]} and {frame.Ids[sc.Index[q]]} (or a periodic image) are at the same position: no Voronoi cell");
                        // plain Voronoi: every radius is 0 (no look-up of the neighbour's species; the same bits)
                        double rj = radical ? rad[sp[sc.Index[q]]] : 0;
                        double c = 0.5 * (d * d + ri2 - rj * rj);
                        double p = c / d;
                        if (p > 0 && p * p > cb.MaxR2) continue;
                        cb.Cut(sc.Dx[q], sc.Dy[q], sc.Dz[q], c, q);
                    }
                    if (cb.Empty || complete) break;
                    double plr = radical ? (r * r + ri2 - rMax2) / (2 * r) : 0.5 * r;
                    if (plr > 0 && plr * plr > cb.MaxR2) { complete = true; break; }
                    // the next shell: atoms at r ≤ d < rNext (the same squared-distance test as the query, so none is lost or repeated)
                    double rNext = Math.Max(1.5 * r, 2.2 * Math.Sqrt(cb.MaxR2) + 2 * Math.Sqrt(rMax2));
                    if (rNext > 1e6 * r0) throw new InvalidOperationException($"Voronoi cell of atom {frame.Ids[i]} is unbounded (too few atoms or open directions?)");
                    ref var more = ref w.Shell;
                    more.Count = 0;
                    grid.Query(i, rNext, ref more);
                    double r2 = r * r;
                    done = nc;
                    for (int k = 0; k < more.Count; k++)
                    {
                        double ddx = more.Dx[k], ddy = more.Dy[k], ddz = more.Dz[k];
                        if (ddx * ddx + ddy * ddy + ddz * ddz >= r2) sc.Add(more.Index[k], more.Image[k], ddx, ddy, ddz, more.D[k]);
                    }
                    nc = sc.Count;
                    r = rNext;
                }
                if (cb.Empty || !cb.TouchesCube()) break;
                h = 2 * Math.Max(h, r);
            }
            return Emit(i, w, ref sc);
        }

        private void ApplyWalls(int i, CellBuilder cb)
        {
            var box = frame.Box;
            double x = frame.X[i] - box.Origin.X, y = frame.Y[i] - box.Origin.Y, z = frame.Z[i] - box.Origin.Z;
            for (int a = 0; a < 3; a++)
            {
                if (box.Periodic[a]) continue;
                double gx = box.HInv(a, 0), gy = box.HInv(a, 1), gz = box.HInv(a, 2);
                double s = gx * x + gy * y + gz * z;
                cb.Cut(-gx, -gy, -gz, s - sLo[a], -1 - 2 * a);
                cb.Cut(gx, gy, gz, sHi[a] - s, -2 - 2 * a);
            }
        }

        // hot: jitted fully optimised at first call rather than the ReadyToRun code, ≈ 12 % slower here (docs/benchmarks.md, round 8)
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        private (double, double) Emit(int i, Worker w, ref NeighborSearch.Scratch sc)
        {
            var cb = w.Cell;
            cb.Finish();
            int nf = cb.NF;
            w.EnsureFaces(nf);
            double vol = 0, totalArea = 0;
            double minEdge2 = options.MinEdgeLength * options.MinEdgeLength;
            double tiny2 = 1e4 * tol * tol;
            var pool = cb.Pool; var cvx = cb.Vx; var cvy = cb.Vy; var cvz = cb.Vz;
            for (int f = 0; f < nf; f++)
            {
                int st = cb.FStart[f], len = cb.FLen[f];
                int v0 = pool[st];
                double x0 = cvx[v0], y0 = cvy[v0], z0 = cvz[v0];
                double ax = 0, ay = 0, az = 0, diam2 = 0;
                // fan from the first vertex; each edge vector (and its squared length) is computed once and reused by the
                // next triangle (the same values as computing it again)
                if (len >= 3)
                {
                    int v1 = pool[st + 1];
                    double ux = cvx[v1] - x0, uy = cvy[v1] - y0, uz = cvz[v1] - z0;
                    double uu = ux * ux + uy * uy + uz * uz;
                    for (int k = 2; k < len; k++)
                    {
                        int v2 = pool[st + k];
                        double vx = cvx[v2] - x0, vy = cvy[v2] - y0, vz = cvz[v2] - z0;
                        double vv = vx * vx + vy * vy + vz * vz;
                        ax += uy * vz - uz * vy; ay += uz * vx - ux * vz; az += ux * vy - uy * vx;
                        diam2 = Math.Max(diam2, Math.Max(uu, vv));
                        ux = vx; uy = vy; uz = vz; uu = vv;
                    }
                }
                double nx = cb.Nx[f], ny = cb.Ny[f], nz = cb.Nz[f];
                double nlen = Math.Sqrt(nx * nx + ny * ny + nz * nz);
                double fArea = 0.5 * Math.Sqrt(ax * ax + ay * ay + az * az);
                double h = cb.C[f] / nlen;
                double sub = fArea * h / 3;
                int edges = len;
                if (minEdge2 > 0)
                {
                    edges = 0;
                    for (int k = 0; k < len; k++)
                    {
                        int a = pool[st + k], b = pool[st + (k + 1 == len ? 0 : k + 1)];
                        double ex = cvx[b] - cvx[a], ey = cvy[b] - cvy[a], ez = cvz[b] - cvz[a];
                        if (ex * ex + ey * ey + ez * ez >= minEdge2) edges++;
                    }
                }
                int tag = cb.Tag[f];
                if (tag == CellBuilder.CubeTag) throw new InvalidOperationException($"internal error: Voronoi cell of atom {frame.Ids[i]} still touches its bounding cube");
                int j, img = 0; double dx, dy, dz, dd;
                if (tag >= 0)
                {
                    j = sc.Index[tag]; img = sc.Image[tag]; dx = sc.Dx[tag]; dy = sc.Dy[tag]; dz = sc.Dz[tag]; dd = sc.D[tag];
                }
                else
                {
                    j = tag; double k2 = 2 * cb.C[f] / (nlen * nlen);
                    dx = k2 * nx; dy = k2 * ny; dz = k2 * nz; dd = 2 * h;
                }
                w.FNb[f] = j; w.FImage[f] = img; w.FDx[f] = dx; w.FDy[f] = dy; w.FDz[f] = dz; w.FDist[f] = dd;
                w.FArea[f] = fArea; w.FEdges[f] = edges; w.FSub[f] = sub; w.FOrder[f] = f;
                // a face narrower than 100 tolerances (area < 100·tol·diameter) is a numerical sliver: the neighbour's cell
                // may have judged the same plane as merely touching, so it is dropped from the face list (its volume is kept)
                w.FTiny[f] = fArea * fArea < tiny2 * diam2;
                vol += sub; totalArea += fArea;
            }
            // order faces: walls last, then distance, index, displacement (insertion sort: ~15 faces)
            var o = w.FOrder;
            for (int a = 1; a < nf; a++)
            {
                int key = o[a], b = a - 1;
                while (b >= 0 && w.Less(key, o[b])) { o[b + 1] = o[b]; b--; }
                o[b + 1] = key;
            }
            var slabs = w.Slabs;
            double mean = nf > 0 ? totalArea / nf : 0;
            double thr = Math.Max(options.MinFaceArea, Math.Max(options.MinRelativeFaceArea * totalArea, options.SmallFaceFractionOfMean * mean));
            // the faces kept, in order (FKept), then those amlearn's rule keeps of them
            var kept = w.FKept;
            int m = 0;
            for (int q = 0; q < nf; q++)
            {
                int f = o[q];
                if (w.FArea[f] < thr || w.FTiny[f]) continue;
                kept[m++] = f;
            }
            if (options.AmlearnSmallFaceThreshold > 0 && !anyWall) m = AmlearnKept(w, m);
            for (int q = 0; q < m; q++)
            {
                int f = kept[q];
                slabs.AddFace(w.FNb[f], w.FImage[f], w.FDx[f], w.FDy[f], w.FDz[f], w.FDist[f], w.FArea[f], w.FEdges[f], w.FSub[f], cb.FLen[f]);
                if (slabs.KeepVertices)
                {
                    int st = cb.FStart[f], len = cb.FLen[f];
                    for (int k = 0; k < len; k++) { int v = cb.Pool[st + k]; slabs.AddVertex(cb.Vx[v], cb.Vy[v], cb.Vz[v]); }
                }
            }
            return (vol, totalArea);
        }

        // amlearn's small-face rule over the cell's kept faces w.FKept[0..m), as AmlearnNeighbors.SmallFaceMask applies it to a
        // tessellation's face list (the same keys, sort call, sum and comparisons, so the same faces): the faces visited in the
        // order of their neighbours' ids, one dropped when its area is below threshold · (total area) / (faces not yet dropped).
        // Keeps the survivors in order in w.FKept; returns their number.
        private int AmlearnKept(Worker w, int m)
        {
            var kept = w.FKept; var keys = w.FIdKey; var order = w.FIdOrder; var keep = w.FKeep;
            var ids = frame.Ids;
            double total = 0;
            for (int k = 0; k < m; k++) { order[k] = k; keys[k] = ids[w.FNb[kept[k]]]; total += w.FArea[kept[k]]; keep[k] = false; }
            Array.Sort(keys, order, 0, m);
            double threshold = options.AmlearnSmallFaceThreshold;
            int n = m;
            for (int k = 0; k < m; k++)
            {
                int p = order[k];
                if (w.FArea[kept[p]] < threshold * total / n) n--;
                else keep[p] = true;
            }
            int j = 0;
            for (int k = 0; k < m; k++) if (keep[k]) kept[j++] = kept[k];
            return j;
        }
    }

    /// <summary>Per-thread scratch (candidate buffer, sort keys, the cell and per-face temporaries) and the thread's slabs.</summary>
    private sealed class Worker(WorkerSlabs slabs)
    {
        /// <summary>Where the faces (vertices, cutoff neighbours) of the thread's chunks go.</summary>
        public readonly WorkerSlabs Slabs = slabs;
        public NeighborSearch.Scratch Candidates = new(128);
        public NeighborSearch.Scratch Shell = new(128);
        public NeighborSearch.Scratch Ball = new(64);
        public double[] Keys = new double[128];
        public int[] Order = new int[128];
        public readonly CellBuilder Cell = new();
        public int[] FNb = new int[64], FImage = new int[64], FEdges = new int[64], FOrder = new int[64], FKept = new int[64], FIdOrder = new int[64];
        public long[] FIdKey = new long[64];
        public bool[] FTiny = new bool[64], FKeep = new bool[64];
        public double[] FDx = new double[64], FDy = new double[64], FDz = new double[64], FDist = new double[64], FArea = new double[64], FSub = new double[64];

        public void EnsureKeys(int n)
        {
            if (n <= Keys.Length) return;
            int cap = Math.Max(n, 2 * Keys.Length);
            Keys = new double[cap]; Order = new int[cap];
        }

        public void EnsureFaces(int n)
        {
            if (n <= FNb.Length) return;
            int cap = Math.Max(n, 2 * FNb.Length);
            FNb = new int[cap]; FImage = new int[cap]; FEdges = new int[cap]; FOrder = new int[cap]; FKept = new int[cap]; FIdOrder = new int[cap];
            FIdKey = new long[cap]; FTiny = new bool[cap]; FKeep = new bool[cap];
            FDx = new double[cap]; FDy = new double[cap]; FDz = new double[cap]; FDist = new double[cap]; FArea = new double[cap]; FSub = new double[cap];
        }

        public bool Less(int p, int q)
        {
            bool wp = FNb[p] < 0, wq = FNb[q] < 0;
            if (wp != wq) return wq;
            if (FDist[p] != FDist[q]) return FDist[p] < FDist[q];
            if (FNb[p] != FNb[q]) return FNb[p] < FNb[q];
            if (FDx[p] != FDx[q]) return FDx[p] < FDx[q];
            if (FDy[p] != FDy[q]) return FDy[p] < FDy[q];
            return FDz[p] < FDz[q];
        }
    }

    /// <summary>Planned capacities (records) of a worker's face, vertex and cutoff-pair slabs.</summary>
    private readonly record struct SlabPlan(int Faces, int Vertices, int Pairs);

    /// <summary>
    /// Where the output of a chunk of atoms lies: its faces from <paramref name="FaceStart"/> on in <paramref name="Faces"/>
    /// (faceCount[i] faces for atom i, in processing order), its vertices (when kept) from <paramref name="VertexStart"/> on.
    /// </summary>
    private readonly record struct ChunkPlace(FaceSlab Faces, int FaceStart, VertexSlab? Vertices, int VertexStart);

    /// <summary>
    /// One worker's slabs (<see cref="Slabs"/>) and, in each, the start of the run of the chunk being built. A cell's faces (and
    /// vertices, cutoff neighbours) are written once, in place, where the final placement reads them: no per-chunk buffer to
    /// trim and copy. A run that outgrows its slab moves to a new one; the slabs are made when the worker takes its first chunk.
    /// </summary>
    private sealed class WorkerSlabs(SlabPlan plan, bool walls, bool keepVertices, bool ball, bool statsOnly)
    {
        private FaceSlab? _faces;
        private VertexSlab? _vertices;
        private PairSlab? _ball;
        private int _faceRun, _vertexRun, _ballRun;

        /// <summary>Whether face vertices are kept.</summary>
        public bool KeepVertices => keepVertices;
        /// <summary>Faces of the chunk being built so far.</summary>
        public int ChunkFaces => _faces!.Used - _faceRun;
        /// <summary>Vertices of the chunk being built so far (0 when they are not kept).</summary>
        public int ChunkVertices => _vertices is null ? 0 : _vertices.Used - _vertexRun;
        /// <summary>Where the chunk just built lies.</summary>
        public ChunkPlace Place => new(_faces!, _faceRun, _vertices, _vertexRun);
        /// <summary>Where the cutoff neighbours of the chunk just built lie.</summary>
        public PairRun BallPlace => new(_ball!.Index, _ball.Image, _ballRun);

        /// <summary>Starts the runs of the next chunk (after the previous chunk's).</summary>
        public void BeginChunk()
        {
            _faces ??= new FaceSlab(plan.Faces, walls, keepVertices, statsOnly);
            if (keepVertices) _vertices ??= new VertexSlab(plan.Vertices);
            if (ball) _ball ??= new PairSlab(plan.Pairs);
            _faceRun = _faces.Used; _vertexRun = _vertices?.Used ?? 0; _ballRun = _ball?.Used ?? 0;
        }

        /// <summary>
        /// Appends a face of the cell: neighbour, area, edge and vertex counts, sub-volume, and either the neighbour's periodic
        /// image (periodic cells: the final placement recomputes the displacement from it) or the displacement and distance (walls);
        /// for statistics only, the edge count (at most 255), area and sub-volume.
        /// </summary>
        public void AddFace(int nb, int image, double dx, double dy, double dz, double dist, double area, int edges, double sub, int vertices)
        {
            var f = _faces!;
            if (f.Used == f.Area.Length) { f = _faces = f.MoveRun(_faceRun, plan.Faces); _faceRun = 0; }
            int p = f.Used++;
            f.Area[p] = area; f.SubVolume[p] = sub;
            if (f.Edges8 is not null) { f.Edges8[p] = (byte)Math.Min(edges, byte.MaxValue); return; }
            f.Nb![p] = nb; f.Edges![p] = edges;
            if (f.Dist is not null) { f.Dx![p] = dx; f.Dy![p] = dy; f.Dz![p] = dz; f.Dist[p] = dist; }
            else f.Image![p] = image;
            if (f.VertexCount is not null) f.VertexCount[p] = vertices;
        }

        /// <summary>Appends a vertex of the last face (kept vertices only).</summary>
        public void AddVertex(double x, double y, double z)
        {
            var v = _vertices!;
            if (v.Used == v.X.Length) { v = _vertices = v.MoveRun(_vertexRun, plan.Vertices); _vertexRun = 0; }
            int p = v.Used++;
            v.X[p] = x; v.Y[p] = y; v.Z[p] = z;
        }

        /// <summary>Appends an atom's cutoff neighbours.</summary>
        public void AddBall(ref NeighborSearch.Scratch s) => _ball = _ball!.Append(ref s, ref _ballRun, plan.Pairs);
    }

    /// <summary>
    /// A slab of faces: neighbour, area, edge count and sub-volume per face; with either the neighbour's periodic image
    /// (periodic cells) or the displacement and distance (cells bounded by walls); the vertex count when vertices are kept.
    /// For statistics only: area, sub-volume and the edge count as a byte (<see cref="Edges8"/>), nothing else.
    /// </summary>
    private sealed class FaceSlab
    {
        public readonly int[]? Nb, Edges, Image, VertexCount;
        public readonly byte[]? Edges8;
        public readonly double[] Area, SubVolume;
        public readonly double[]? Dx, Dy, Dz, Dist;
        /// <summary>Faces written.</summary>
        public int Used;

        public FaceSlab(int capacity, bool walls, bool vertices, bool statsOnly)
        {
            Area = Slabs.Doubles(capacity); SubVolume = Slabs.Doubles(capacity);
            if (statsOnly) { Edges8 = Slabs.Bytes(capacity); return; }
            Nb = Slabs.Ints(capacity); Edges = Slabs.Ints(capacity);
            if (walls) { Dx = Slabs.Doubles(capacity); Dy = Slabs.Doubles(capacity); Dz = Slabs.Doubles(capacity); Dist = Slabs.Doubles(capacity); }
            else Image = Slabs.Ints(capacity);
            if (vertices) VertexCount = Slabs.Ints(capacity);
        }

        /// <summary>A new slab (at least <paramref name="planned"/> faces) that holds this one's faces from <paramref name="start"/> on.</summary>
        public FaceSlab MoveRun(int start, int planned)
        {
            int run = Used - start;
            var s = new FaceSlab(Slabs.Next(planned, run), Dist is not null, VertexCount is not null, Edges8 is not null);
            s.Used = run;
            Array.Copy(Area, start, s.Area, 0, run); Array.Copy(SubVolume, start, s.SubVolume, 0, run);
            if (Edges8 is not null) { Array.Copy(Edges8, start, s.Edges8!, 0, run); return s; }
            Array.Copy(Nb!, start, s.Nb!, 0, run); Array.Copy(Edges!, start, s.Edges!, 0, run);
            if (Dist is not null)
            {
                Array.Copy(Dx!, start, s.Dx!, 0, run); Array.Copy(Dy!, start, s.Dy!, 0, run);
                Array.Copy(Dz!, start, s.Dz!, 0, run); Array.Copy(Dist, start, s.Dist!, 0, run);
            }
            else Array.Copy(Image!, start, s.Image!, 0, run);
            if (VertexCount is not null) Array.Copy(VertexCount, start, s.VertexCount!, 0, run);
            return s;
        }
    }

    /// <summary>A slab of face vertices (coordinates relative to the atom).</summary>
    private sealed class VertexSlab(int capacity)
    {
        public readonly double[] X = Slabs.Doubles(capacity), Y = Slabs.Doubles(capacity), Z = Slabs.Doubles(capacity);
        /// <summary>Vertices written.</summary>
        public int Used;

        /// <summary>A new slab (at least <paramref name="planned"/> vertices) that holds this one's vertices from <paramref name="start"/> on.</summary>
        public VertexSlab MoveRun(int start, int planned)
        {
            int run = Used - start;
            var s = new VertexSlab(Slabs.Next(planned, run)) { Used = run };
            Array.Copy(X, start, s.X, 0, run); Array.Copy(Y, start, s.Y, 0, run); Array.Copy(Z, start, s.Z, 0, run);
            return s;
        }
    }
}
