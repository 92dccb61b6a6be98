#!/usr/bin/python3
"""Independent numpy/scipy references for GlassML.Dynamics tests (straightforward, brute force).

Usage: /usr/bin/python3 tools/dynamics_reference.py FIXTURE_DIR [LAMMPS_RDF_FILE] [--vflex-only]
Reads the LAMMPS dumps in FIXTURE_DIR (see tests/fixtures/dynamics/README.md) and writes:
  strain_ref_{ortho,tri}.csv.gz  Falk-Langer d2min, strain invariants and polar rotation angle
                                 (cutoff 4.5 A, neighbours by brute force over all atoms with the minimum image)
                                 for pairs (reference frame, current frame): 0->2, 0->4 and 3->4 (frame indices).
  dr2_ref.csv.gz                 per-atom lagged squared displacement averaged over the origins of isothermal dump.
  vflex_ref.csv.gz               per-atom vibrational MSD over all NVE runs and over the even/odd halves,
                                 mean neighbour distance a (cutoff at the first minimum of g(r)) and v_flex.
  vflex_split_half.csv           split-half reliability of v_flex (even vs odd runs): scipy Pearson and Spearman.
"""
import gzip, os, sys
import numpy as np
from scipy.linalg import polar
from scipy.spatial.transform import Rotation

CUTOFF = 4.5
FIRST_MIN = 3.775  # first minimum of the total g(r) of glass s1 (bin centre; printed by first_gr_minimum)


def read_dump(path):
    """Frames as dicts: step, H (3x3, columns a b c), origin, cols (dict name -> array), sorted by id."""
    op = gzip.open if path.endswith('.gz') else open
    lines = op(path, 'rt').read().split('\n')
    frames, i = [], 0
    while i < len(lines):
        if lines[i].startswith('ITEM: TIMESTEP'):
            step = int(lines[i + 1]); i += 2; continue
        if lines[i].startswith('ITEM: NUMBER OF ATOMS'):
            n = int(lines[i + 1]); i += 2; continue
        if lines[i].startswith('ITEM: BOX BOUNDS'):
            b = [list(map(float, lines[i + k].split())) for k in (1, 2, 3)]
            if 'xy' in lines[i]:
                (xlb, xhb, xy), (ylb, yhb, xz), (zlb, zhb, yz) = b
                xlo = xlb - min(0, xy, xz, xy + xz); xhi = xhb - max(0, xy, xz, xy + xz)
                ylo = ylb - min(0, yz); yhi = yhb - max(0, yz); zlo, zhi = zlb, zhb
            else:
                (xlo, xhi), (ylo, yhi), (zlo, zhi) = b; xy = xz = yz = 0.0
            H = np.array([[xhi - xlo, xy, xz], [0, yhi - ylo, yz], [0, 0, zhi - zlo]])
            origin = np.array([xlo, ylo, zlo]); i += 4; continue
        if lines[i].startswith('ITEM: ATOMS'):
            names = lines[i].split()[2:]
            a = np.array([l.split() for l in lines[i + 1:i + 1 + n]], dtype=float)
            a = a[np.argsort(a[:, names.index('id')])]
            frames.append(dict(step=step, H=H, origin=origin, cols={nm: a[:, k] for k, nm in enumerate(names)}))
            i += n + 1; continue
        i += 1
    return frames


class GzText:
    """Text writer for a .gz file with no name and mtime 0 in the gzip header, so reruns give identical bytes."""
    def __init__(self, path): self.path, self.parts = path, []
    def __enter__(self): return self
    def write(self, text): self.parts.append(text)
    def __exit__(self, *exc):
        if exc[0] is None:
            with open(self.path, 'wb') as fh:
                fh.write(gzip.compress(''.join(self.parts).encode(), compresslevel=9, mtime=0))


def min_image(D, H):
    """Shortest periodic image of each row of D (exact: rounding then the 27 neighbouring images)."""
    Hinv = np.linalg.inv(H)
    s = D @ Hinv.T
    s -= np.round(s)
    best = s @ H.T
    bestn = (best ** 2).sum(1)
    start = best.copy()
    for a in (-1, 0, 1):
        for b in (-1, 0, 1):
            for c in (-1, 0, 1):
                cand = start + H @ np.array([a, b, c])
                cn = (cand ** 2).sum(1)
                m = cn < bestn
                best[m] = cand[m]; bestn[m] = cn[m]
    return best


def positions(f):
    c = f['cols']
    return np.stack([c['x'], c['y'], c['z']], 1)


def strain(ref, cur):
    r0, r1 = positions(ref), positions(cur)
    n = len(r0)
    out = np.zeros((n, 7))
    for i in range(n):
        d0 = min_image(r0 - r0[i], ref['H'])
        dist = np.sqrt((d0 ** 2).sum(1))
        nb = np.where((dist < CUTOFF) & (np.arange(n) != i))[0]
        D0 = d0[nb]
        D = min_image(r1[nb] - r1[i], cur['H'])
        V = D0.T @ D0
        W = D0.T @ D
        J = np.linalg.solve(V, W)
        d2 = ((D - D0 @ J) ** 2).sum()
        F = J.T
        E = 0.5 * (F.T @ F - np.eye(3))
        shear = np.sqrt(E[0, 1] ** 2 + E[0, 2] ** 2 + E[1, 2] ** 2 +
                        ((E[0, 0] - E[1, 1]) ** 2 + (E[0, 0] - E[2, 2]) ** 2 + (E[1, 1] - E[2, 2]) ** 2) / 6)
        R, U = polar(F, side='right')
        angle = Rotation.from_matrix(R).magnitude()
        out[i] = [len(nb), d2, d2 / len(nb), shear, np.trace(E) / 3, angle, 0]
    return out


def write_strain(fixtures, tag):
    frames = read_dump(os.path.join(fixtures, f'compression_{tag}.dump.gz'))
    rows = []
    for a, b in ((0, 2), (0, 4), (3, 4)):
        res = strain(frames[a], frames[b])
        ids = frames[a]['cols']['id'].astype(int)
        for i in range(len(ids)):
            rows.append(f"{a},{b},{ids[i]},{int(res[i,0])}," + ",".join(f"{v:.17g}" for v in res[i, 1:6]))
    with GzText(os.path.join(fixtures, f'strain_ref_{tag}.csv.gz')) as fh:
        fh.write("ref_frame,cur_frame,id,nneigh,d2min,d2min_mean,shear_strain,volumetric_strain,rotation_angle\n")
        fh.write("\n".join(rows) + "\n")


def write_dr2(fixtures, dt=0.001, lags=(0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0), origin_steps=(0, 2000)):
    frames = {f['step']: f for f in read_dump(os.path.join(fixtures, 'isothermal_1500K.dump.gz'))}
    def xu(f): c = f['cols']; return np.stack([c['xu'], c['yu'], c['zu']], 1)
    ids = frames[0]['cols']['id'].astype(int)
    cols = []
    for lag in lags:
        ls = int(round(lag / dt))
        acc = [((xu(frames[o + ls]) - xu(frames[o])) ** 2).sum(1) for o in origin_steps if o + ls in frames]
        cols.append(np.mean(acc, 0))
    with GzText(os.path.join(fixtures, 'dr2_ref.csv.gz')) as fh:
        fh.write("id," + ",".join(f"dr2_{l:g}" for l in lags) + "\n")
        for i in range(len(ids)):
            fh.write(f"{ids[i]}," + ",".join(f"{c[i]:.17g}" for c in cols) + "\n")


def write_vflex(fixtures):
    """Vibrational MSD per run (about the run-average position, over all frames of the run), its mean over all runs
    and over the even/odd halves (run indices 0, 2, 4, ... vs 1, 3, 5, ... in seed order: nve_1, nve_3, ... vs
    nve_2, nve_4, ...), a_i from the starting configuration nve_start and v_flex; prints and writes the split-half
    Pearson and Spearman correlations of v_flex (even vs odd)."""
    d = os.path.join(fixtures, 'nve')
    files = sorted((f for f in os.listdir(d) if f.startswith('nve_') and f.endswith('.dump.gz') and f[4:-8].isdigit()),
                   key=lambda f: int(f[4:-8]))
    runs = [read_dump(os.path.join(d, f)) for f in files]
    nruns = len(runs)
    def msd(run):
        r = np.array([np.stack([f['cols']['xu'], f['cols']['yu'], f['cols']['zu']], 1) for f in run])
        return ((r - r.mean(0)) ** 2).sum(2).mean(0)
    per = np.array([msd(r) for r in runs])
    allm, even, odd = per.mean(0), per[0::2].mean(0), per[1::2].mean(0)
    # a_i: mean distance to neighbours within the first g(r) minimum of the starting configuration (nve_start)
    f0 = read_dump(os.path.join(d, 'nve_start.dump.gz'))[0]
    r0 = np.stack([f0['cols']['xu'], f0['cols']['yu'], f0['cols']['zu']], 1)
    n = len(r0)
    a = np.zeros(n)
    for i in range(n):
        d = np.sqrt((min_image(r0 - r0[i], f0['H']) ** 2).sum(1))
        m = (d < FIRST_MIN) & (np.arange(n) != i)
        a[i] = d[m].mean()
    ids = f0['cols']['id'].astype(int)
    from scipy.stats import pearsonr, spearmanr
    ve, vo = even * a, odd * a
    rp, rs = pearsonr(ve, vo)[0], spearmanr(ve, vo)[0]
    frames = sorted({len(r) for r in runs})
    print(f"v_flex split-half (even vs odd runs, {nruns} runs, frames per run {frames}): Pearson {rp:.4f} Spearman {rs:.4f}")
    with GzText(os.path.join(fixtures, 'vflex_ref.csv.gz')) as fh:
        fh.write("id,msd_vib,msd_even_runs,msd_odd_runs,a_mean,v_flex\n")
        for i in range(n):
            fh.write(f"{ids[i]},{allm[i]:.17g},{even[i]:.17g},{odd[i]:.17g},{a[i]:.17g},{allm[i]*a[i]:.17g}\n")
    with open(os.path.join(fixtures, 'vflex_split_half.csv'), 'w') as fh:
        fh.write("runs,frames_per_run,pearson,spearman\n")
        fh.write(f"{nruns},{frames[0] if len(frames) == 1 else 0},{rp:.17g},{rs:.17g}\n")


def first_gr_minimum(rdf_path):
    rows = [l.split() for l in open(rdf_path) if l.strip() and not l.startswith('#')]
    rows = np.array([r for r in rows if len(r) == 10], float)
    r = rows[:, 1]
    # total g(r) of an equiatomic binary: (g11 + g12 + g21 + g22) / 4
    g = (rows[:, 2] + rows[:, 4] + rows[:, 6] + rows[:, 8]) / 4
    m = (r > 3.0) & (r < 4.5)
    return r[m][np.argmin(g[m])]


if __name__ == '__main__':
    args = [x for x in sys.argv[1:] if not x.startswith('--')]
    fx = args[0]
    if len(args) > 1:
        print(f"first minimum of total g(r): {first_gr_minimum(args[1]):.3f} A (FIRST_MIN = {FIRST_MIN})")
    if '--vflex-only' not in sys.argv:
        for tag in ('ortho', 'tri'):
            write_strain(fx, tag)
        write_dr2(fx)
    write_vflex(fx)
