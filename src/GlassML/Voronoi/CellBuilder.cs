using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GlassML.Voronoi;

/// <summary>
/// Per-thread scratch for cutting one convex cell (coordinates relative to the atom). The cell is a list of faces,
/// each a convex polygon of vertex indices ordered counter-clockwise seen from outside, plus its plane n·x ≤ c.
/// A cut classifies every vertex as inside / on / outside the new half-space with an absolute tolerance, clips the face
/// polygons that hold a vertex on or outside it (found through each vertex's face bit set, in ascending face order; new
/// vertices only on edges joining strictly-inside and strictly-outside vertices, shared through an edge table), and
/// closes the hole with a cap polygon chained from the in-plane edges of the clipped faces.
/// Vertices within the tolerance of the plane are kept as they are, so 4+ planes through one vertex (FCC, BCC, SC)
/// never create zero-length edges or zero-area faces. Arrays are reused across atoms (no allocation per atom).
/// </summary>
internal sealed class CellBuilder
{
    /// <summary>
    /// Widest vectors the cutter uses where the hardware has them: 512, 256 or 0 (scalar). Every width gives the same bits
    /// (the tests lower it to check that); only the speed differs.
    /// </summary>
    internal static int VectorBits = 512;

    /// <summary>Face tag of the initial bounding cube.</summary>
    public const int CubeTag = int.MinValue;

    public double[] Vx = new double[128], Vy = new double[128], Vz = new double[128];
    public int NV;
    private double[] _s = new double[128];
    private sbyte[] _cls = new sbyte[128 + 8]; // 8 bytes beyond the vertex capacity for the gathers of ClipFaceSimple
    private int[] _eo1 = new int[128], _en1 = new int[128]; // first edge (in a → out _eo1[a]) cut in this cut, and its new vertex
    private int[] _capNext = new int[128];
    // faces of each vertex as a bit set (bit f = face f), valid while the cell has at most 64 faces (_masks): a cut then
    // visits only the faces that hold a vertex on or outside its plane instead of every face
    private ulong[] _fmask = new ulong[128];
    private bool _masks;
    private ulong _liveFaces; // with valid masks: bit f set while face f is part of the cell (clear for a hole)
    private int[] _outList = new int[128];
    private int[] _pendFrom = new int[64], _pendTo = new int[64]; // in-plane edges of the polygon just clipped
    private int[] _tFace = new int[64], _tStart = new int[64], _tLen = new int[64];
    private int _live; // Σ FLen: face-vertex entries in use

    public int NF;
    public int[] Tag = new int[64];
    public double[] Nx = new double[64], Ny = new double[64], Nz = new double[64], C = new double[64];
    public int[] FStart = new int[64], FLen = new int[64];
    public int[] Pool = new int[512];

    private int[] _pool2 = new int[512];

    private int[] _eIn = new int[64], _eOut = new int[64], _eNew = new int[64];
    private int[] _free = new int[64];
    private int _freeTop;
    private const sbyte Dead = 2;
    /// <summary>Used length of <see cref="Pool"/> (append-only between compactions).</summary>
    public int PoolLen;
    private int _nE;
    private double _newR2; // largest squared distance of a vertex created by the current cut

    /// <summary>Largest squared vertex distance from the atom (Å²).</summary>
    public double MaxR2;
    /// <summary>Absolute tolerance on signed plane distances (Å).</summary>
    public double Tol;

    /// <summary>Starts from the cube [−h, h]³.</summary>
    public void InitCube(double h)
    {
        NV = 8;
        for (int v = 0; v < 8; v++)
        {
            _cls[v] = -1;
            Vx[v] = (v & 1) != 0 ? h : -h;
            Vy[v] = (v & 2) != 0 ? h : -h;
            Vz[v] = (v & 4) != 0 ? h : -h;
        }
        NF = 0;
        int p = 0;
        Array.Clear(_fmask, 0, 8);
        void Face(int a, int b, int c, int d, double nx, double ny, double nz)
        {
            Tag[NF] = CubeTag; Nx[NF] = nx; Ny[NF] = ny; Nz[NF] = nz; C[NF] = h;
            FStart[NF] = p; FLen[NF] = 4;
            Pool[p++] = a; Pool[p++] = b; Pool[p++] = c; Pool[p++] = d;
            ulong bit = 1UL << NF;
            _fmask[a] |= bit; _fmask[b] |= bit; _fmask[c] |= bit; _fmask[d] |= bit;
            NF++;
        }
        Face(1, 3, 7, 5, 1, 0, 0);
        Face(0, 4, 6, 2, -1, 0, 0);
        Face(2, 6, 7, 3, 0, 1, 0);
        Face(0, 1, 5, 4, 0, -1, 0);
        Face(4, 5, 7, 6, 0, 0, 1);
        Face(0, 2, 3, 1, 0, 0, -1);
        MaxR2 = 3 * h * h;
        PoolLen = p;
        _live = p;
        _masks = true;
        _liveFaces = 0x3F;
        _freeTop = 0;
    }

    /// <summary>True when a face of the starting cube is still part of the cell.</summary>
    public bool TouchesCube()
    {
        for (int f = 0; f < NF; f++) if (Tag[f] == CubeTag && FLen[f] > 0) return true;
        return false;
    }

    /// <summary>True when the cell has no volume left (possible in a power diagram).</summary>
    public bool Empty => NF == 0;

    /// <summary>Cuts the cell with the half-space n·x ≤ c. Returns false when nothing was removed.</summary>
    public bool Cut(double nx, double ny, double nz, double c, int tag)
    {
        if (NF == 0) return false;
        if (Cut(nx, ny, nz, c, tag, Tol)) return true;
        return false;
    }

    private bool Cut(double nx, double ny, double nz, double c, int tag, double tol)
    {
        int r = TryCut(nx, ny, nz, c, tag, tol);
        if (r >= 0) return r == 1;
        // inconsistent topology from near-degenerate classification: retry with coarser tolerances
        for (double t = tol * 100; t <= tol * 1e6; t *= 100)
        {
            r = TryCut(nx, ny, nz, c, tag, t);
            if (r >= 0) return r == 1;
        }
        throw new InvalidOperationException("Voronoi cell cutting failed on a degenerate configuration (inconsistent cap polygon)");
    }

    private void EnsureVertexCapacity(int need)
    {
        if (need <= Vx.Length) return;
        int cap = Math.Max(need, Vx.Length * 2);
        Array.Resize(ref Vx, cap); Array.Resize(ref Vy, cap); Array.Resize(ref Vz, cap);
        Array.Resize(ref _s, cap); Array.Resize(ref _cls, cap + 8); Array.Resize(ref _capNext, cap);
        Array.Resize(ref _eo1, cap); Array.Resize(ref _en1, cap);
        Array.Resize(ref _fmask, cap); Array.Resize(ref _outList, cap);
    }

    private void EnsureFaceCapacity(int need)
    {
        if (need <= _tFace.Length) return;
        int cap = Math.Max(need, _tFace.Length * 2);
        Array.Resize(ref Tag, cap); Array.Resize(ref Nx, cap); Array.Resize(ref Ny, cap); Array.Resize(ref Nz, cap);
        Array.Resize(ref C, cap); Array.Resize(ref FStart, cap); Array.Resize(ref FLen, cap);
        Array.Resize(ref _tFace, cap); Array.Resize(ref _tStart, cap); Array.Resize(ref _tLen, cap);
    }

    /// <summary>1 = cut, 0 = no change, −1 = inconsistent (state unchanged).</summary>
    // hot: jitted fully optimised at first call rather than the ReadyToRun code, ≈ 12 % slower here (docs/benchmarks.md, round 8)
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private int TryCut(double nx, double ny, double nz, double c, int tag, double tol)
    {
        double inv = 1 / Math.Sqrt(nx * nx + ny * ny + nz * nz);
        int nv = NV;
        int nOut = Classify(nx, ny, nz, c, inv, tol, nv, out int nIn, out double keptR2, out ulong touchedMask);
        if (nOut == 0) return 0;
        if (nIn == 0)
        {
            // the whole cell lies outside (only possible for power diagrams): nothing is left
            NF = 0; NV = 0; MaxR2 = 0; PoolLen = 0; _freeTop = 0; _live = 0;
            return 1;
        }
        _newR2 = 0;
        int freeTop0 = _freeTop, poolLen0 = PoolLen;
        // keep room for this cut: compact the append-only pool when it is mostly garbage
        if (PoolLen + 2 * _live + 3 * NF + 16 > Pool.Length) { CompactPool(_live); poolLen0 = PoolLen; }
        _nE = 0;
        int capEdges = 0, capFirst = int.MaxValue;
        EnsureFaceCapacity(NF + 1);
        // the faces that change, in ascending order (with valid masks exactly the set bits of touchedMask; otherwise
        // every face is checked): each clipped polygon replaces the face's (length 0 = removed) at once; the former start
        // and length are kept in _tStart/_tLen so that a failed cut can put them back
        int nt = 0, live0 = _live;
        ulong removed = 0;
        var tFace = _tFace; var tStart = _tStart; var tLen = _tLen;
        var fStart = FStart; var fLen = FLen;
        bool masks = _masks;
        touchedMask &= _liveFaces; // vertices of a hole keep its bit until the list is compacted
        for (int f = masks ? 0 : -1; ;)
        {
            if (masks)
            {
                if (touchedMask == 0) break;
                f = System.Numerics.BitOperations.TrailingZeroCount(touchedMask);
                touchedMask &= touchedMask - 1;
            }
            else if (++f >= NF) break;
            int st = fStart[f], m = fLen[f];
            if (!masks)
            {
                var pool = Pool; var cls = _cls;
                bool touched = false;
                for (int k = 0; k < m; k++) if (cls[pool[st + k]] >= 0) { touched = true; break; }
                if (!touched) continue;
            }
            int start = PoolLen;
            tFace[nt] = f; tStart[nt] = st; tLen[nt] = m; nt++;
            int cnt = ClipFaceSimple(f, st, m, start, out int q1, out int q2);
            if (cnt >= 3)
            {
                // one in-plane edge q1 → q2
                PoolLen = start + cnt;
                fStart[f] = start; fLen[f] = cnt; _live += cnt - m;
                var capNext = _capNext;
                if (capNext[q2] != -1) return Fail(nv, freeTop0, poolLen0, nt, live0);
                capNext[q2] = q1;
                if (q2 < capFirst) capFirst = q2;
                capEdges++;
                continue;
            }
            int nPend = 0;
            if (cnt < 0) cnt = ClipFace(f, st, m, start, out nPend);
            if (cnt < 3)
            {
                fLen[f] = 0; _live -= m;
                if (f < 64) removed |= 1UL << f;
                continue;
            }
            PoolLen = start + cnt;
            fStart[f] = start; fLen[f] = cnt; _live += cnt - m;
            // the in-plane edges pa → qa of the clipped polygon (both ends on the plane) chain the cap: qa's predecessor is pa
            {
                var capNext = _capNext; var pendFrom = _pendFrom; var pendTo = _pendTo;
                for (int k = 0; k < nPend; k++)
                {
                    int pa = pendFrom[k], qa = pendTo[k];
                    if (capNext[qa] != -1) return Fail(nv, freeTop0, poolLen0, nt, live0);
                    capNext[qa] = pa;
                    if (qa < capFirst) capFirst = qa;
                    capEdges++;
                }
            }
        }
        // cap polygon, from its lowest-numbered vertex
        int capStart = -1, capLen = 0;
        if (capEdges >= 3)
        {
            int first = capFirst;
            var pool = Pool;
            int start = PoolLen, p2 = start, v2 = first, steps = 0;
            do
            {
                pool[p2++] = v2;
                v2 = _capNext[v2];
                steps++;
            } while (v2 != first && v2 >= 0 && steps <= capEdges);
            if (v2 != first || steps != capEdges) return Fail(nv, freeTop0, poolLen0, nt, live0);
            PoolLen = p2;
            capStart = start; capLen = p2 - start;
        }
        else if (capEdges != 0) return Fail(nv, freeTop0, poolLen0, nt, live0);

        // vanished faces stay in the face list as holes (length 0, out of the live-face mask) while the masks are valid, so
        // that the list is compacted and the vertex masks renumbered only when it is full; the order of the faces is the
        // same either way (holes keep it, and the cap comes last)
        int w = NF;
        if (!masks) w = CompactFaces();
        else
        {
            _liveFaces &= ~removed;
            if (capLen > 0 && w == 64) w = CompactFaces(~_liveFaces);
        }
        if (capLen > 0)
        {
            Tag[w] = tag; Nx[w] = nx; Ny[w] = ny; Nz[w] = nz; C[w] = c; FStart[w] = capStart; FLen[w] = capLen;
            _live += capLen;
            if (w >= 64) _masks = false;
            else
            {
                ulong bit = 1UL << w;
                _liveFaces |= bit;
                for (int k = 0; k < capLen; k++) _fmask[Pool[capStart + k]] |= bit;
            }
            w++;
        }
        NF = w;

        // outside vertices die; their slots are reused by later cuts
        {
            if (_freeTop + nOut > _free.Length) Array.Resize(ref _free, Math.Max(_free.Length * 2, _freeTop + nOut));
            var free = _free; var cls = _cls; var outList = _outList;
            for (int k = 0; k < nOut; k++)
            {
                int v = outList[k];
                cls[v] = Dead;
                free[_freeTop++] = v;
            }
        }
        MaxR2 = Math.Max(keptR2, _newR2);
        return 1;
    }

    /// <summary>
    /// <see cref="ClipFace"/> for the common case: no vertex of the polygon lies on the plane and its outside vertices are one
    /// run (a convex polygon cut once). Then the clipped polygon is the inside run with the two crossing vertices, in the
    /// order <see cref="ClipFace"/> writes it (created in the same order: the crossing met first from the polygon's first
    /// vertex first), and its one in-plane edge is <paramref name="q1"/> (on the edge leaving the inside run) →
    /// <paramref name="q2"/> (on the edge entering it). Returns the new vertex count (0 when every vertex is outside), or
    /// −1 when the polygon is not of this kind (nothing changed; <see cref="ClipFace"/> handles it).
    /// </summary>
    private int ClipFaceSimple(int f, int st, int m, int start, out int q1, out int q2)
    {
        q1 = q2 = -1;
        if (m > 64 || (uint)(st + m) > (uint)Pool.Length || (uint)(start + m + 2) > (uint)Pool.Length) return -1;
        ref int pool = ref MemoryMarshal.GetArrayDataReference(Pool);
        ref sbyte cls = ref MemoryMarshal.GetArrayDataReference(_cls);
        ulong outM = 0, onM = 0;
        ulong all = m == 64 ? ulong.MaxValue : (1UL << m) - 1;
        if (m <= 8 && st + 8 <= Pool.Length)
        {
            // eight entries without a loop (no mispredicted loop exit); the entries after the polygon are other polygons'
            // or unused ones (vertex numbers of this builder, clamped to the class array all the same) and are masked off
            ref int p0 = ref Unsafe.Add(ref pool, st);
            if (VectorBits >= 256 && Avx2.IsSupported)
            {
                // one gather of the eight class bytes (4 bytes read from each; the class array has 8 bytes beyond the vertex
                // capacity, so the clamped indices stay inside it)
                var idx = Vector256.Min(Vector256.LoadUnsafe(ref p0).AsUInt32(), Vector256.Create((uint)Vx.Length - 1)).AsInt32();
                var cv = Vector256.ShiftRightArithmetic(Vector256.ShiftLeft(GatherClasses(idx), 24), 24);
                outM = Vector256.GreaterThan(cv, Vector256<int>.Zero).ExtractMostSignificantBits() & all;
                onM = Vector256.Equals(cv, Vector256<int>.Zero).ExtractMostSignificantBits() & all;
            }
            else
            {
                nuint lim = (nuint)_cls.Length - 1;
                Bits(ref cls, lim, Unsafe.Add(ref p0, 7), ref outM, ref onM);
                Bits(ref cls, lim, Unsafe.Add(ref p0, 6), ref outM, ref onM);
                Bits(ref cls, lim, Unsafe.Add(ref p0, 5), ref outM, ref onM);
                Bits(ref cls, lim, Unsafe.Add(ref p0, 4), ref outM, ref onM);
                Bits(ref cls, lim, Unsafe.Add(ref p0, 3), ref outM, ref onM);
                Bits(ref cls, lim, Unsafe.Add(ref p0, 2), ref outM, ref onM);
                Bits(ref cls, lim, Unsafe.Add(ref p0, 1), ref outM, ref onM);
                Bits(ref cls, lim, p0, ref outM, ref onM);
                outM &= all; onM &= all;
            }
        }
        else
        {
            for (int k = 0; k < m; k++)
            {
                // a face's vertices are live (class −1, 0 or 1): u = 0 inside, 1 on, 2 outside
                uint u = (uint)(Unsafe.Add(ref cls, Unsafe.Add(ref pool, st + k)) + 1);
                outM |= (ulong)(u >> 1) << k;
                onM |= (ulong)(u & 1) << k;
            }
        }
        if (onM != 0) return -1;
        ulong inM = all & ~outM;
        if (inM == 0) return 0;
        ulong nextOut = (outM >> 1) | ((outM & 1) << (m - 1)); // bit k: vertex k + 1 (cyclically) is outside
        ulong t1 = inM & nextOut, t2 = outM & ~nextOut;        // k inside → k + 1 outside; k outside → k + 1 inside
        if (t1 == 0 || (t1 & (t1 - 1)) != 0) return -1;        // not exactly one crossing each way
        int k1 = System.Numerics.BitOperations.TrailingZeroCount(t1), k2 = System.Numerics.BitOperations.TrailingZeroCount(t2);
        int a1 = Unsafe.Add(ref pool, st + k1), b1 = Unsafe.Add(ref pool, st + (k1 + 1 == m ? 0 : k1 + 1));
        int b2 = Unsafe.Add(ref pool, st + k2), a2 = Unsafe.Add(ref pool, st + (k2 + 1 == m ? 0 : k2 + 1));
        if (k1 < k2) { q1 = NewVertex(a1, b1); q2 = NewVertex(a2, b2); }
        else { q2 = NewVertex(a2, b2); q1 = NewVertex(a1, b1); }
        ulong bit = 1UL << f;
        _fmask[q1] |= bit; _fmask[q2] |= bit;
        if (VectorBits >= 256 && m <= 8 && st + 16 <= Pool.Length && start + 18 <= Pool.Length)
        {
            // the inside runs as whole eight-entry blocks (no loop of data-dependent length): both are read before anything
            // is written, and the entries written past the new polygon lie in the unused tail of the pool
            ref int src = ref Unsafe.Add(ref pool, st);
            ref int dst = ref Unsafe.Add(ref pool, start);
            var tail = Vector256.LoadUnsafe(ref src, (nuint)(k2 + 1));
            if (k1 < k2)
            {
                // inside: 0..k1 and k2 + 1..m − 1
                Vector256.LoadUnsafe(ref src).StoreUnsafe(ref dst);
                Unsafe.Add(ref dst, k1 + 1) = q1;
                Unsafe.Add(ref dst, k1 + 2) = q2;
                tail.StoreUnsafe(ref dst, (nuint)(k1 + 3));
                return k1 + 2 + m - k2;
            }
            // inside: k2 + 1..k1
            dst = q2;
            tail.StoreUnsafe(ref dst, 1);
            Unsafe.Add(ref dst, k1 - k2 + 1) = q1;
            return k1 - k2 + 2;
        }
        int p = start;
        if (k1 < k2)
        {
            // inside: 0..k1 and k2 + 1..m − 1
            for (int k = 0; k <= k1; k++) Unsafe.Add(ref pool, p++) = Unsafe.Add(ref pool, st + k);
            Unsafe.Add(ref pool, p++) = q1;
            Unsafe.Add(ref pool, p++) = q2;
            for (int k = k2 + 1; k < m; k++) Unsafe.Add(ref pool, p++) = Unsafe.Add(ref pool, st + k);
        }
        else
        {
            // inside: k2 + 1..k1
            Unsafe.Add(ref pool, p++) = q2;
            for (int k = k2 + 1; k <= k1; k++) Unsafe.Add(ref pool, p++) = Unsafe.Add(ref pool, st + k);
            Unsafe.Add(ref pool, p++) = q1;
        }
        return p - start;
    }

    /// <summary>The four bytes of the class array at each of the eight vertex indices <paramref name="idx"/> (each ≤ the vertex capacity − 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private unsafe Vector256<int> GatherClasses(Vector256<int> idx)
    {
        fixed (sbyte* pc = _cls) return Avx2.GatherVector256((int*)pc, idx, 1);
    }

    /// <summary>Shifts the outside and on-plane bits of vertex <paramref name="v"/> (class −1, 0 or 1: u = 0, 1, 2) into the masks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Bits(ref sbyte cls, nuint lim, int v, ref ulong outM, ref ulong onM)
    {
        uint u = (uint)(Unsafe.Add(ref cls, Math.Min((nuint)(uint)v, lim)) + 1);
        outM = (outM << 1) | (u >> 1);
        onM = (onM << 1) | (u & 1);
    }

    /// <summary>
    /// Writes the part of face <paramref name="f"/> (polygon <paramref name="st"/>, <paramref name="m"/> vertices) inside the
    /// current plane to the pool at <paramref name="start"/>: kept vertices, and the crossing vertex of every edge from a
    /// strictly inside to a strictly outside vertex, in polygon order. Returns the new vertex count; the edges of the new
    /// polygon with both ends on the plane (cyclically, the last to the first included) are left in
    /// <see cref="_pendFrom"/> / <see cref="_pendTo"/> (<paramref name="nPend"/> of them).
    /// </summary>
    private int ClipFace(int f, int st, int m, int start, out int nPend)
    {
        ulong bit = 1UL << f;
        var pool = Pool;
        var cls = _cls;
        if (_pendFrom.Length < 2 * m + 1) { _pendFrom = new int[4 * m]; _pendTo = new int[4 * m]; }
        var pendFrom = _pendFrom; var pendTo = _pendTo;
        int p2 = start, np = 0, last = -1;
        bool lastOn = false, firstOn = false;
        for (int k = 0; k < m; k++)
        {
            int a = pool[st + k], b = pool[st + (k + 1 == m ? 0 : k + 1)];
            sbyte ca = cls[a], cb = cls[b];
            if (ca <= 0)
            {
                bool on = ca == 0;
                if (on && lastOn) { pendFrom[np] = last; pendTo[np] = a; np++; }
                if (p2 == start) firstOn = on;
                pool[p2++] = a; last = a; lastOn = on;
            }
            int q;
            if (ca < 0 && cb > 0) q = NewVertex(a, b);
            else if (ca > 0 && cb < 0) q = NewVertex(b, a);
            else continue;
            cls = _cls;
            _fmask[q] |= bit;
            // a new vertex lies on the plane
            if (lastOn) { pendFrom[np] = last; pendTo[np] = q; np++; }
            if (p2 == start) firstOn = true;
            pool[p2++] = q; last = q; lastOn = true;
        }
        if (lastOn && firstOn && p2 > start) { pendFrom[np] = last; pendTo[np] = pool[start]; np++; }
        nPend = np;
        return p2 - start;
    }

    /// <summary>
    /// Signed distances and classes of every live vertex, the cut-state reset, the outside vertices (ascending) in
    /// <see cref="_outList"/>, the farthest kept vertex and the faces holding a vertex on or outside the plane. Kept out of
    /// <see cref="TryCut"/> so that no call inside its loop forces the plane into memory. Returns the number outside.
    /// </summary>
    private int Classify(double nx, double ny, double nz, double c, double inv, double tol, int nv, out int nInside, out double keptR2Out, out ulong touched)
    {
        int nOut = 0, nIn = 0;
        double keptR2 = 0;
        ulong touchedMask = 0;
        // every per-vertex array holds at least NV entries (EnsureVertexCapacity), so the loop reads them unchecked
        if (nv > Vx.Length) throw new InvalidOperationException("internal error: vertex count beyond capacity");
        ref double vx = ref MemoryMarshal.GetArrayDataReference(Vx);
        ref double vy = ref MemoryMarshal.GetArrayDataReference(Vy);
        ref double vz = ref MemoryMarshal.GetArrayDataReference(Vz);
        ref double sArr = ref MemoryMarshal.GetArrayDataReference(_s);
        ref sbyte cls = ref MemoryMarshal.GetArrayDataReference(_cls);
        ref int capNext = ref MemoryMarshal.GetArrayDataReference(_capNext);
        ref int eo1 = ref MemoryMarshal.GetArrayDataReference(_eo1);
        ref ulong fmask = ref MemoryMarshal.GetArrayDataReference(_fmask);
        ref int outList = ref MemoryMarshal.GetArrayDataReference(_outList);
        int v = 0;
        if (VectorBits >= 512 && Vector512.IsHardwareAccelerated && Avx512F.IsSupported && Bmi2.X64.IsSupported)
        {
            // eight vertices at a time where 512-bit vectors are fast: per lane the same products, sums and comparisons as the
            // four-lane and scalar loops below (the same bits); the reductions are exact (bitwise or, maximum of squares ≥ 0),
            // so the result does not depend on the vector width; classes of eight vertices are one 64-bit word. The last block
            // may reach past NV (every per-vertex array has a multiple of 8 entries: 128 · 2^k): its lanes from NV on count as
            // dead, and what is written to those unused slots is overwritten when a slot is taken (CreateVertex)
            if ((Vx.Length & 7) != 0) throw new InvalidOperationException("internal error: vertex capacity not a multiple of 8");
            var pnx = Vector512.Create(nx); var pny = Vector512.Create(ny); var pnz = Vector512.Create(nz);
            var pc = Vector512.Create(c); var pinv = Vector512.Create(inv);
            var ptol = Vector512.Create(tol); var pntol = Vector512.Create(-tol);
            var none = Vector256.Create(-1);
            var dead2 = Vector512.Create((long)Dead);
            var lane = Vector512.Create(0L, 1, 2, 3, 4, 5, 6, 7);
            var pnv = Vector512.Create((long)nv);
            var keptAcc = Vector512<double>.Zero;
            var touchAcc = Vector512<ulong>.Zero;
            const ulong Lsb = 0x0101010101010101UL;
            for (; v < nv; v += 8)
            {
                var x = Vector512.LoadUnsafe(ref vx, (nuint)v);
                var y = Vector512.LoadUnsafe(ref vy, (nuint)v);
                var z = Vector512.LoadUnsafe(ref vz, (nuint)v);
                var s = (pnx * x + pny * y + pnz * z - pc) * pinv;
                s.StoreUnsafe(ref sArr, (nuint)v);
                none.StoreUnsafe(ref capNext, (nuint)v);
                none.StoreUnsafe(ref eo1, (nuint)v);
                ref byte cw = ref Unsafe.As<sbyte, byte>(ref Unsafe.Add(ref cls, v));
                ulong old = Unsafe.ReadUnaligned<ulong>(ref cw);
                ulong deadBytes = (old >> 1) & ~(old >> 7) & Lsb; // 1 in the bytes that hold Dead (bit 1 set, sign clear)
                var deadV = (Vector512.Equals(Avx512F.ConvertToVector512Int64(Vector128.CreateScalarUnsafe(old).AsSByte()), dead2)
                    | Vector512.GreaterThanOrEqual(lane + Vector512.Create((long)v), pnv)).AsDouble();
                var outV = Vector512.GreaterThan(s, ptol);
                var inV = Vector512.LessThan(s, pntol);
                ulong dead8 = deadV.ExtractMostSignificantBits();
                ulong o8 = outV.ExtractMostSignificantBits() & ~dead8;
                ulong i8 = inV.ExtractMostSignificantBits() & ~dead8;
                Unsafe.WriteUnaligned(ref cw,
                    Bmi2.X64.ParallelBitDeposit(o8, Lsb) | Bmi2.X64.ParallelBitDeposit(i8, Lsb) * 0xFF | (deadBytes << 1));
                Unsafe.Add(ref outList, nOut) = v; nOut += (int)(o8 & 1);
                Unsafe.Add(ref outList, nOut) = v + 1; nOut += (int)((o8 >> 1) & 1);
                Unsafe.Add(ref outList, nOut) = v + 2; nOut += (int)((o8 >> 2) & 1);
                Unsafe.Add(ref outList, nOut) = v + 3; nOut += (int)((o8 >> 3) & 1);
                Unsafe.Add(ref outList, nOut) = v + 4; nOut += (int)((o8 >> 4) & 1);
                Unsafe.Add(ref outList, nOut) = v + 5; nOut += (int)((o8 >> 5) & 1);
                Unsafe.Add(ref outList, nOut) = v + 6; nOut += (int)((o8 >> 6) & 1);
                Unsafe.Add(ref outList, nOut) = v + 7; nOut += (int)(o8 >> 7);
                nIn += System.Numerics.BitOperations.PopCount(i8);
                touchAcc |= Vector512.LoadUnsafe(ref fmask, (nuint)v) & ~(inV | deadV).AsUInt64(); // on or outside
                var r2 = x * x + y * y + z * z;
                keptAcc = Avx512F.Max(keptAcc, Vector512.AndNot(r2, outV | deadV)); // r2 ≥ 0: a dropped lane adds 0
            }
            var kq = Avx.Max(keptAcc.GetLower(), keptAcc.GetUpper());
            var kh = Avx.Max(kq.GetLower(), kq.GetUpper());
            keptR2 = Math.Max(kh.ToScalar(), kh.GetElement(1));
            var tq = touchAcc.GetLower() | touchAcc.GetUpper();
            var th = tq.GetLower() | tq.GetUpper();
            touchedMask = th.ToScalar() | th.GetElement(1);
            nInside = nIn; keptR2Out = keptR2; touched = touchedMask;
            return nOut;
        }
        if (VectorBits >= 256 && Avx2.IsSupported && Bmi2.IsSupported && nv >= 4)
        {
            // four vertices at a time: the same products, sums and comparisons per lane as the scalar loop below (the same
            // bits); classes of four vertices are one 32-bit word (−1, 0, 1 or Dead = 2 per byte)
            var pnx = Vector256.Create(nx); var pny = Vector256.Create(ny); var pnz = Vector256.Create(nz);
            var pc = Vector256.Create(c); var pinv = Vector256.Create(inv);
            var ptol = Vector256.Create(tol); var pntol = Vector256.Create(-tol);
            var none = Vector128.Create(-1);
            var dead2 = Vector256.Create((long)Dead);
            var keptAcc = Vector256<double>.Zero;
            var touchAcc = Vector256<ulong>.Zero;
            ref uint cls4 = ref Unsafe.As<sbyte, uint>(ref cls);
            for (; v <= nv - 4; v += 4)
            {
                var x = Vector256.LoadUnsafe(ref vx, (nuint)v);
                var y = Vector256.LoadUnsafe(ref vy, (nuint)v);
                var z = Vector256.LoadUnsafe(ref vz, (nuint)v);
                var s = (pnx * x + pny * y + pnz * z - pc) * pinv;
                s.StoreUnsafe(ref sArr, (nuint)v);
                none.StoreUnsafe(ref capNext, (nuint)v);
                none.StoreUnsafe(ref eo1, (nuint)v);
                ref uint cw = ref Unsafe.AddByteOffset(ref cls4, (nint)v);
                uint old = Unsafe.ReadUnaligned<uint>(ref Unsafe.As<uint, byte>(ref cw));
                uint deadBytes = (old >> 1) & ~(old >> 7) & 0x01010101u; // 1 in the bytes that hold Dead (bit 1 set, sign clear)
                var deadV = Vector256.Equals(Avx2.ConvertToVector256Int64(Vector128.CreateScalarUnsafe(old).AsSByte()), dead2).AsDouble();
                var outV = Avx.CompareGreaterThan(s, ptol);
                var inV = Avx.CompareLessThan(s, pntol);
                uint dead4 = Bmi2.ParallelBitExtract(deadBytes, 0x01010101u);
                uint o4 = (uint)outV.ExtractMostSignificantBits() & ~dead4;
                uint i4 = (uint)inV.ExtractMostSignificantBits() & ~dead4;
                Unsafe.WriteUnaligned(ref Unsafe.As<uint, byte>(ref cw),
                    Bmi2.ParallelBitDeposit(o4, 0x01010101u) | Bmi2.ParallelBitDeposit(i4, 0x01010101u) * 0xFF | (deadBytes << 1));
                Unsafe.Add(ref outList, nOut) = v; nOut += (int)(o4 & 1);
                Unsafe.Add(ref outList, nOut) = v + 1; nOut += (int)((o4 >> 1) & 1);
                Unsafe.Add(ref outList, nOut) = v + 2; nOut += (int)((o4 >> 2) & 1);
                Unsafe.Add(ref outList, nOut) = v + 3; nOut += (int)(o4 >> 3);
                nIn += System.Numerics.BitOperations.PopCount(i4);
                touchAcc |= Vector256.LoadUnsafe(ref fmask, (nuint)v) & ~(inV | deadV).AsUInt64(); // on or outside
                var r2 = x * x + y * y + z * z;
                keptAcc = Avx.Max(keptAcc, Avx.AndNot(Avx.Or(outV, deadV), r2)); // r2 ≥ 0: a dropped lane adds 0
            }
            var kh = Avx.Max(keptAcc.GetLower(), keptAcc.GetUpper());
            keptR2 = Math.Max(kh.ToScalar(), kh.GetElement(1));
            var th = touchAcc.GetLower() | touchAcc.GetUpper();
            touchedMask = th.ToScalar() | th.GetElement(1);
        }
        for (; v < nv; v++)
        {
            ref sbyte cv = ref Unsafe.Add(ref cls, v);
            if (cv == Dead) continue;
            double x = Unsafe.Add(ref vx, v), y = Unsafe.Add(ref vy, v), z = Unsafe.Add(ref vz, v);
            double s = (nx * x + ny * y + nz * z - c) * inv;
            Unsafe.Add(ref sArr, v) = s;
            Unsafe.Add(ref capNext, v) = -1;
            Unsafe.Add(ref eo1, v) = -1;
            // branch-free: the class of a vertex is unpredictable, the stores are cheap
            int o = s > tol ? 1 : 0, i = s < -tol ? 1 : 0;
            cv = (sbyte)(o - i);
            Unsafe.Add(ref outList, nOut) = v;
            nOut += o;
            nIn += i;
            touchedMask |= Unsafe.Add(ref fmask, v) & ((ulong)i - 1); // on or outside
            double r2 = x * x + y * y + z * z;
            keptR2 = o == 0 && r2 > keptR2 ? r2 : keptR2;
        }
        nInside = nIn; keptR2Out = keptR2; touched = touchedMask;
        return nOut;
    }

    /// <summary>
    /// Removes the holes (vanished faces, length 0) from the face list, keeping the order; with valid masks the bits of the
    /// faces <paramref name="removed"/> are dropped from the masks of the vertices not dying in this cut (class ≤ 0) and the
    /// higher bits moved down. Returns the new face count.
    /// </summary>
    private int CompactFaces(ulong removed = 0)
    {
        int w = 0;
        for (int f = 0; f < NF; f++)
        {
            if (FLen[f] == 0) continue;
            if (w != f) { Tag[w] = Tag[f]; Nx[w] = Nx[f]; Ny[w] = Ny[f]; Nz[w] = Nz[f]; C[w] = C[f]; FStart[w] = FStart[f]; FLen[w] = FLen[f]; }
            w++;
        }
        if (!_masks) return w;
        _liveFaces = w >= 64 ? ulong.MaxValue : (1UL << w) - 1;
        if (removed == 0) return w;
        if (Bmi2.X64.IsSupported)
        {
            // one bit extraction per vertex
            var cls = _cls.AsSpan(0, NV); var fmask = _fmask.AsSpan(0, cls.Length);
            ulong keep = ~removed;
            for (int v = 0; v < cls.Length; v++)
                if (cls[v] <= 0) fmask[v] = Bmi2.X64.ParallelBitExtract(fmask[v], keep);
        }
        else
        {
            var cls = _cls.AsSpan(0, NV); var fmask = _fmask;
            for (int v = 0; v < cls.Length; v++)
            {
                if (cls[v] > 0) continue; // outside (dies in this cut) or dead
                ulong mk = fmask[v], r = removed;
                while (r != 0)
                {
                    int f = 63 - System.Numerics.BitOperations.LeadingZeroCount(r);
                    r &= ~(1UL << f);
                    ulong low = (1UL << f) - 1;
                    mk = (mk & low) | ((mk >> 1) & ~low);
                }
                fmask[v] = mk;
            }
        }
        return w;
    }

    /// <summary>The finished cell's faces without holes (<see cref="NF"/> live faces, in order), for reading them out.</summary>
    public void Finish()
    {
        if (NF > 0 && _masks && _liveFaces != (NF >= 64 ? ulong.MaxValue : (1UL << NF) - 1)) NF = CompactFaces();
    }

    /// <summary>Undoes the vertex, pool and face changes of a failed cut (the first <paramref name="nt"/> changed faces).</summary>
    private int Fail(int nv, int freeTop0, int poolLen0, int nt, int live0)
    {
        for (int k = 0; k < nt; k++) { FStart[_tFace[k]] = _tStart[k]; FLen[_tFace[k]] = _tLen[k]; }
        _live = live0;
        for (int k = _freeTop; k < freeTop0; k++) _cls[_free[k]] = Dead;
        _freeTop = freeTop0;
        NV = nv;
        PoolLen = poolLen0;
        return -1;
    }

    /// <summary>Copies the live face polygons to the front of a pool large enough for the next cut.</summary>
    private void CompactPool(int live)
    {
        int need = 3 * live + 3 * NF + 64;
        if (_pool2.Length < need) _pool2 = new int[Math.Max(need, 2 * _pool2.Length)];
        int p = 0;
        for (int f = 0; f < NF; f++)
        {
            int st = FStart[f], m = FLen[f];
            for (int k = 0; k < m; k++) _pool2[p + k] = Pool[st + k];
            FStart[f] = p; p += m;
        }
        (Pool, _pool2) = (_pool2, Pool);
        PoolLen = p;
        if (Pool.Length < need) { Array.Resize(ref Pool, need); }
    }

    /// <summary>The vertex where edge (inside a, outside b) crosses the plane; shared by the two faces of the edge.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int NewVertex(int a, int b)
    {
        int o1 = _eo1[a];
        if (o1 == b) return _en1[a];
        return CreateVertex(a, b, o1);
    }

    /// <summary>The slow path of <see cref="NewVertex"/>: the edge was not cut yet by the first face of its inside end.</summary>
    // hot: jitted fully optimised at first call rather than the ReadyToRun code, ≈ 12 % slower here (docs/benchmarks.md, round 8)
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private int CreateVertex(int a, int b, int o1)
    {
        if (o1 >= 0)
        {
            var eIn = _eIn; var eOut = _eOut;
            for (int e = 0; e < _nE; e++) if (eIn[e] == a && eOut[e] == b) return _eNew[e];
        }
        int v;
        if (_freeTop > 0) v = _free[--_freeTop];
        else { v = NV; EnsureVertexCapacity(v + 1); NV = v + 1; }
        // every per-vertex array holds as many entries as Vx (EnsureVertexCapacity); a and b are live vertices below NV
        var vxa = Vx;
        if ((uint)a >= (uint)vxa.Length || (uint)b >= (uint)vxa.Length || (uint)v >= (uint)vxa.Length)
            throw new InvalidOperationException("internal error: vertex index beyond capacity");
        ref double px = ref MemoryMarshal.GetArrayDataReference(vxa);
        ref double py = ref MemoryMarshal.GetArrayDataReference(Vy);
        ref double pz = ref MemoryMarshal.GetArrayDataReference(Vz);
        ref double ps = ref MemoryMarshal.GetArrayDataReference(_s);
        double sa = Unsafe.Add(ref ps, a), sb = Unsafe.Add(ref ps, b);
        double t = sa / (sa - sb);
        double xa = Unsafe.Add(ref px, a), ya = Unsafe.Add(ref py, a), za = Unsafe.Add(ref pz, a);
        double x = xa + t * (Unsafe.Add(ref px, b) - xa), y = ya + t * (Unsafe.Add(ref py, b) - ya), z = za + t * (Unsafe.Add(ref pz, b) - za);
        Unsafe.Add(ref px, v) = x; Unsafe.Add(ref py, v) = y; Unsafe.Add(ref pz, v) = z;
        Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_cls), v) = 0;
        Unsafe.Add(ref ps, v) = 0;
        Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_capNext), v) = -1;
        ref int eo1 = ref MemoryMarshal.GetArrayDataReference(_eo1);
        Unsafe.Add(ref eo1, v) = -1;
        Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_fmask), v) = 0;
        double r2 = x * x + y * y + z * z;
        if (r2 > _newR2) _newR2 = r2;
        if (o1 < 0)
        {
            Unsafe.Add(ref eo1, a) = b;
            Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_en1), a) = v;
            return v;
        }
        if (_nE == _eIn.Length)
        {
            int cap = _nE * 2;
            Array.Resize(ref _eIn, cap); Array.Resize(ref _eOut, cap); Array.Resize(ref _eNew, cap);
        }
        _eIn[_nE] = a; _eOut[_nE] = b; _eNew[_nE] = v; _nE++;
        return v;
    }
}
