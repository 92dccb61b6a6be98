namespace GlassML.Voronoi;

/// <summary>
/// Per-thread scratch for cutting one convex cell (coordinates relative to the atom). The cell is a list of faces,
/// each a convex polygon of vertex indices ordered counter-clockwise seen from outside, plus its plane n·x ≤ c.
/// A cut classifies every vertex as inside / on / outside the new half-space with an absolute tolerance, clips every
/// face polygon (new vertices only on edges joining strictly-inside and strictly-outside vertices, shared through an
/// edge table), and closes the hole with a cap polygon chained from the in-plane edges of the clipped faces.
/// Vertices within the tolerance of the plane are kept as they are, so 4+ planes through one vertex (FCC, BCC, SC)
/// never create zero-length edges or zero-area faces. Arrays are reused across atoms (no allocation per atom).
/// </summary>
internal sealed class CellBuilder
{
    /// <summary>Face tag of the initial bounding cube.</summary>
    public const int CubeTag = int.MinValue;

    public double[] Vx = new double[128], Vy = new double[128], Vz = new double[128];
    public int NV;
    private double[] _s = new double[128];
    private sbyte[] _cls = new sbyte[128];
    private int[] _remap = new int[128];
    private int[] _capNext = new int[128];

    public int NF;
    public int[] Tag = new int[64];
    public double[] Nx = new double[64], Ny = new double[64], Nz = new double[64], C = new double[64];
    public int[] FStart = new int[64], FLen = new int[64];
    public int[] Pool = new int[512];

    private int[] _tag2 = new int[64];
    private double[] _nx2 = new double[64], _ny2 = new double[64], _nz2 = new double[64], _c2 = new double[64];
    private int[] _fstart2 = new int[64], _flen2 = new int[64];
    private int[] _pool2 = new int[512];

    private int[] _eIn = new int[64], _eOut = new int[64], _eNew = new int[64];
    private int _nE;

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
            Vx[v] = (v & 1) != 0 ? h : -h;
            Vy[v] = (v & 2) != 0 ? h : -h;
            Vz[v] = (v & 4) != 0 ? h : -h;
        }
        NF = 0;
        int p = 0;
        void Face(int a, int b, int c, int d, double nx, double ny, double nz)
        {
            Tag[NF] = CubeTag; Nx[NF] = nx; Ny[NF] = ny; Nz[NF] = nz; C[NF] = h;
            FStart[NF] = p; FLen[NF] = 4;
            Pool[p++] = a; Pool[p++] = b; Pool[p++] = c; Pool[p++] = d;
            NF++;
        }
        Face(1, 3, 7, 5, 1, 0, 0);
        Face(0, 4, 6, 2, -1, 0, 0);
        Face(2, 6, 7, 3, 0, 1, 0);
        Face(0, 1, 5, 4, 0, -1, 0);
        Face(4, 5, 7, 6, 0, 0, 1);
        Face(0, 2, 3, 1, 0, 0, -1);
        MaxR2 = 3 * h * h;
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
        Array.Resize(ref _s, cap); Array.Resize(ref _cls, cap); Array.Resize(ref _remap, cap); Array.Resize(ref _capNext, cap);
    }

    private void EnsureFaceCapacity(int need)
    {
        if (need <= _tag2.Length) return;
        int cap = Math.Max(need, _tag2.Length * 2);
        Array.Resize(ref _tag2, cap); Array.Resize(ref _nx2, cap); Array.Resize(ref _ny2, cap); Array.Resize(ref _nz2, cap);
        Array.Resize(ref _c2, cap); Array.Resize(ref _fstart2, cap); Array.Resize(ref _flen2, cap);
        Array.Resize(ref Tag, cap); Array.Resize(ref Nx, cap); Array.Resize(ref Ny, cap); Array.Resize(ref Nz, cap);
        Array.Resize(ref C, cap); Array.Resize(ref FStart, cap); Array.Resize(ref FLen, cap);
    }

    private void EnsurePool2(int need)
    {
        if (need <= _pool2.Length) return;
        Array.Resize(ref _pool2, Math.Max(need, _pool2.Length * 2));
    }

    /// <summary>1 = cut, 0 = no change, −1 = inconsistent (state unchanged).</summary>
    private int TryCut(double nx, double ny, double nz, double c, int tag, double tol)
    {
        double inv = 1 / Math.Sqrt(nx * nx + ny * ny + nz * nz);
        bool anyOut = false, anyIn = false;
        int nv = NV;
        for (int v = 0; v < nv; v++)
        {
            double s = (nx * Vx[v] + ny * Vy[v] + nz * Vz[v] - c) * inv;
            _s[v] = s;
            if (s > tol) { _cls[v] = 1; anyOut = true; }
            else if (s < -tol) { _cls[v] = -1; anyIn = true; }
            else _cls[v] = 0;
        }
        if (!anyOut) return 0;
        if (!anyIn)
        {
            // the whole cell lies outside (only possible for power diagrams): nothing is left
            NF = 0; NV = 0; MaxR2 = 0;
            return 1;
        }
        for (int v = 0; v < nv; v++) _capNext[v] = -1;
        _nE = 0;
        int p2 = 0, nf2 = 0;
        int capEdges = 0;
        EnsureFaceCapacity(NF + 1);
        for (int f = 0; f < NF; f++)
        {
            int st = FStart[f], m = FLen[f];
            EnsurePool2(p2 + 2 * m + 2);
            int start = p2;
            bool touched = false;
            for (int k = 0; k < m; k++) if (_cls[Pool[st + k]] >= 0) { touched = true; break; }
            if (!touched)
            {
                var src = Pool; var dst = _pool2;
                for (int k = 0; k < m; k++) dst[p2 + k] = src[st + k];
                p2 += m;
            }
            else
            {
                for (int k = 0; k < m; k++)
                {
                    int a = Pool[st + k], b = Pool[st + (k + 1 == m ? 0 : k + 1)];
                    sbyte ca = _cls[a], cb = _cls[b];
                    if (ca <= 0) _pool2[p2++] = a;
                    if (ca < 0 && cb > 0) _pool2[p2++] = NewVertex(a, b);
                    else if (ca > 0 && cb < 0) _pool2[p2++] = NewVertex(b, a);
                }
                int cnt = p2 - start;
                if (cnt < 3) { p2 = start; continue; }
                for (int k = 0; k < cnt; k++)
                {
                    int pa = _pool2[start + k], qa = _pool2[start + (k + 1 == cnt ? 0 : k + 1)];
                    if (_cls[pa] == 0 && _cls[qa] == 0)
                    {
                        if (_capNext[qa] != -1) { NV = nv; return -1; }
                        _capNext[qa] = pa;
                        capEdges++;
                    }
                }
            }
            _tag2[nf2] = Tag[f]; _nx2[nf2] = Nx[f]; _ny2[nf2] = Ny[f]; _nz2[nf2] = Nz[f]; _c2[nf2] = C[f];
            _fstart2[nf2] = start; _flen2[nf2] = p2 - start;
            nf2++;
        }
        // cap polygon
        if (capEdges >= 3)
        {
            int first = -1;
            for (int v = 0; v < NV; v++) if (_cls[v] == 0 && _capNext[v] != -1) { first = v; break; }
            if (first < 0) { NV = nv; return -1; }
            EnsurePool2(p2 + capEdges + 1);
            int start = p2, v2 = first, steps = 0;
            do
            {
                _pool2[p2++] = v2;
                v2 = _capNext[v2];
                steps++;
            } while (v2 != first && v2 >= 0 && steps <= capEdges);
            if (v2 != first || steps != capEdges) { NV = nv; return -1; }
            EnsureFaceCapacity(nf2 + 1);
            _tag2[nf2] = tag; _nx2[nf2] = nx; _ny2[nf2] = ny; _nz2[nf2] = nz; _c2[nf2] = c;
            _fstart2[nf2] = start; _flen2[nf2] = p2 - start;
            nf2++;
        }
        else if (capEdges != 0) { NV = nv; return -1; }

        // compact vertices: keep those referenced by the new faces
        for (int v = 0; v < NV; v++) _remap[v] = -1;
        int nNew = 0;
        for (int q = 0; q < p2; q++)
        {
            int v = _pool2[q];
            if (_remap[v] < 0) _remap[v] = -2;
        }
        double maxR2 = 0;
        for (int v = 0; v < NV; v++)
        {
            if (_remap[v] != -2) continue;
            Vx[nNew] = Vx[v]; Vy[nNew] = Vy[v]; Vz[nNew] = Vz[v];
            double r2 = Vx[nNew] * Vx[nNew] + Vy[nNew] * Vy[nNew] + Vz[nNew] * Vz[nNew];
            if (r2 > maxR2) maxR2 = r2;
            _remap[v] = nNew++;
        }
        for (int q = 0; q < p2; q++) _pool2[q] = _remap[_pool2[q]];
        NV = nNew;
        MaxR2 = maxR2;
        // swap face buffers
        (Tag, _tag2) = (_tag2, Tag); (Nx, _nx2) = (_nx2, Nx); (Ny, _ny2) = (_ny2, Ny); (Nz, _nz2) = (_nz2, Nz);
        (C, _c2) = (_c2, C); (FStart, _fstart2) = (_fstart2, FStart); (FLen, _flen2) = (_flen2, FLen); (Pool, _pool2) = (_pool2, Pool);
        NF = nf2;
        return 1;
    }

    /// <summary>The vertex where edge (inside a, outside b) crosses the plane; shared by the two faces of the edge.</summary>
    private int NewVertex(int a, int b)
    {
        for (int e = 0; e < _nE; e++) if (_eIn[e] == a && _eOut[e] == b) return _eNew[e];
        double sa = _s[a], sb = _s[b];
        double t = sa / (sa - sb);
        int v = NV;
        EnsureVertexCapacity(v + 1);
        Vx[v] = Vx[a] + t * (Vx[b] - Vx[a]);
        Vy[v] = Vy[a] + t * (Vy[b] - Vy[a]);
        Vz[v] = Vz[a] + t * (Vz[b] - Vz[a]);
        _cls[v] = 0; _s[v] = 0; _capNext[v] = -1;
        NV = v + 1;
        if (_nE == _eIn.Length)
        {
            int cap = _nE * 2;
            Array.Resize(ref _eIn, cap); Array.Resize(ref _eOut, cap); Array.Resize(ref _eNew, cap);
        }
        _eIn[_nE] = a; _eOut[_nE] = b; _eNew[_nE] = v; _nE++;
        return v;
    }
}
