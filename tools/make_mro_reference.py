#!/usr/bin/env python3
"""Brute-force reference of the medium-range (MRO) statistics on each column's own neighbour shell.

    /usr/bin/python3 tools/make_mro_reference.py          (from the repository root; numpy only)

Input: tests/fixtures/glasses/ortho500/glass.dump.gz (500-atom Cu64Zr36, orthogonal periodic box) and LAMMPS's plain
Voronoi faces of the same glass (glass.voro-faces.dump.gz, `compute voronoi/atom ... neighbors yes`, one row per face
`id_i id_j area`, every face from both sides).

Two neighbour shells, built here independently of GlassML:
  cut  — every other atom closer than CUTOFF (minimum image over all pairs; the box is wider than 2·CUTOFF so every
         pair counts once), the `_cut` shell of `glassml featurize --neighbors both --cutoff 4.0`;
  voro — the LAMMPS Voronoi face neighbours (faces of any area), the `_voro` shell.
Per atom and shell S: cn_S, dist_S_{mean,std,min,max} (population std), then for each of these five columns c the
statistics of c over the neighbours j of atom i *in the same shell S*: c__nn_{mean,std,min,max,sum,diff}
(std population; diff = mean − own value). Output: tests/fixtures/mro/ortho500_r4.0.csv.gz, `id` + columns, %.17g.
"""
import gzip, os
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GLASS = os.path.join(ROOT, "tests/fixtures/glasses/ortho500")
OUT = os.path.join(ROOT, "tests/fixtures/mro/ortho500_r4.0.csv.gz")
CUTOFF = 4.0

with gzip.open(os.path.join(GLASS, "glass.dump.gz"), "rt") as f:
    lines = f.read().split("\n")
n = int(lines[3])
lo = np.array([float(lines[5 + k].split()[0]) for k in range(3)])
hi = np.array([float(lines[5 + k].split()[1]) for k in range(3)])
L = hi - lo
assert np.all(L > 2 * CUTOFF)
rows = np.array([[float(t) for t in l.split()] for l in lines[9:9 + n]])
ids = rows[:, 0].astype(int)
order = np.argsort(ids)
ids, pos = ids[order], rows[order, 2:5]
index_of = {int(i): k for k, i in enumerate(ids)}

def min_image(d):
    return d - L * np.round(d / L)

# all pair distances by minimum image
D = np.sqrt((min_image(pos[:, None, :] - pos[None, :, :]) ** 2).sum(axis=2))
cut_shell = [np.nonzero((D[i] < CUTOFF) & (np.arange(n) != i))[0] for i in range(n)]

voro_shell = [[] for _ in range(n)]
with gzip.open(os.path.join(GLASS, "glass.voro-faces.dump.gz"), "rt") as f:
    vl = f.read().split("\n")
start = next(k for k, l in enumerate(vl) if l.startswith("ITEM: ENTRIES")) + 1
for l in vl[start:]:
    t = l.split()
    if len(t) < 3:
        continue
    voro_shell[index_of[int(float(t[0]))]].append(index_of[int(float(t[1]))])
voro_shell = [np.array(s, dtype=int) for s in voro_shell]

def sro(shell):
    cols = np.full((n, 5), np.nan)
    for i in range(n):
        d = D[i, shell[i]]
        cols[i, 0] = len(d)
        if len(d):
            cols[i, 1:] = [d.mean(), d.std(), d.min(), d.max()]
    return cols

def mro(values, shell):
    out = np.full((n, values.shape[1], 6), np.nan)
    for i in range(n):
        v = values[shell[i]]
        if len(v):
            m = v.mean(axis=0)
            out[i, :, 0] = m
            out[i, :, 1] = v.std(axis=0)
            out[i, :, 2] = v.min(axis=0)
            out[i, :, 3] = v.max(axis=0)
            out[i, :, 4] = v.sum(axis=0)
            out[i, :, 5] = m - values[i]
    return out

names, cols = [], []
for src, shell in (("cut", cut_shell), ("voro", voro_shell)):
    base = [f"cn_{src}", f"dist_{src}_mean", f"dist_{src}_std", f"dist_{src}_min", f"dist_{src}_max"]
    s = sro(shell)
    m = mro(s, shell)
    for c, nm in enumerate(base):
        names.append(nm); cols.append(s[:, c])
    for c, nm in enumerate(base):
        for k, st in enumerate(["mean", "std", "min", "max", "sum", "diff"]):
            names.append(f"{nm}__nn_{st}"); cols.append(m[:, c, k])

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with gzip.GzipFile(OUT, "wb", mtime=0) as g:
    g.write(("id," + ",".join(names) + "\n").encode())
    for i in range(n):
        g.write((str(ids[i]) + "," + ",".join("%.17g" % c[i] for c in cols) + "\n").encode())
print(f"wrote {OUT}: {n} atoms, {len(names)} columns")
