#!/usr/bin/env python3
"""Independent reference of the quench-in-softness catalogue (`featurize --features seed`) on glass s1.

    /usr/bin/python3 tools/make_seed_reference.py        (from the repository root; numpy + scipy only)

Input (committed fixtures, not made by GlassML): tests/fixtures/voronoi/s1o.atoms.dump.gz (500-atom Cu50Zr50 glass,
orthogonal periodic box, LAMMPS type 1 = Cu, 2 = Zr) and voro++'s own plain tessellation of it at full precision,
tests/fixtures/voronoi/s1o.voro++-plain.txt.gz (per face: neighbour id, area, edge count, lattice image, sub-volume).

Shells, built here: `voro` = every voro++ face (all faces; GlassML run with --seed-small-faces 0), the neighbour's image
from the face's lattice image; `cut` = every atom image closer than CUTOFF (brute force over the 27 images).
Per atom, SRO (docs/features.md definitions): cn_{voro,cut}; voro_n3..7; the motif flags; voro_area_rel = Σ face areas /
sample mean face area, voro_volume_rel = cell volume / sample mean sub-polyhedron volume; voro_ifold_i, voro_ifold_area_i,
voro_ifold_vol_i; q4..q10 on both shells (scipy.special.sph_harm); csro_element (Z), csro_n/x and wc per species and
shell; facet-area and sub-volume statistics (all faces, per edge count 3..7; 0 for empty sets); dist_{voro,cut}_{mean,
std,min,max}. MRO: for every one of these SRO columns c (but the element) the statistics over the neighbours in c's own
shell (the shell c was computed on — columns of the cutoff shell over it, all others over the Voronoi faces): mean/std/min/max (motif flags:
sum/mean/std), the difference mean − own for the continuous columns, and voro_ifold_i__nn_avgidx. Population std.
Output: tests/fixtures/seed/s1o.seed-reference.csv.gz, `id` + columns, %.15g, rows for atom ids 1..ROWS
(the statistics use all 500 atoms).
"""
import gzip, os
import numpy as np
from scipy.special import sph_harm

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VOR = os.path.join(ROOT, "tests/fixtures/voronoi")
OUT = os.path.join(ROOT, "tests/fixtures/seed/s1o.seed-reference.csv.gz")
CUTOFF = 4.0  # amlearn DistanceNN default (cutoff=4), the seed set's default cutoff shell
ROWS = 60
SPECIES = ["Cu", "Zr"]
Z = {"Cu": 29, "Zr": 40}

with gzip.open(os.path.join(VOR, "s1o.atoms.dump.gz"), "rt") as f:
    lines = f.read().split("\n")
n = int(lines[3])
lo = np.array([float(lines[5 + k].split()[0]) for k in range(3)])
hi = np.array([float(lines[5 + k].split()[1]) for k in range(3)])
L = hi - lo
rows = [l.split() for l in lines[9:9 + n]]
ids = np.array([int(r[0]) for r in rows])
typ = np.array([int(r[1]) for r in rows])
pos = np.array([[float(x) for x in r[2:5]] for r in rows])
order = np.argsort(ids)
ids, typ, pos = ids[order], typ[order], pos[order]
at = {int(i): k for k, i in enumerate(ids)}
spc = typ - 1  # 0 = Cu, 1 = Zr
conc = np.array([np.mean(spc == s) for s in range(2)])

# --- Voronoi faces (voro++)
faces = [[] for _ in range(n)]  # (j, area, edges, dvec, subvol)
cell_vol = np.zeros(n)
with gzip.open(os.path.join(VOR, "s1o.voro++-plain.txt.gz"), "rt") as f:
    cur = None
    for line in f:
        p = line.split()
        if p[0] == "A":
            cur = at[int(p[1])]
            cell_vol[cur] = float(p[3])
        elif p[0] == "F":
            j = at[int(p[1])]
            img = np.array([int(p[4]), int(p[5]), int(p[6])])
            d = pos[j] + img * L - pos[cur]
            faces[cur].append((j, float(p[2]), int(p[3]), d, float(p[7])))

all_area = np.array([fc[1] for fs in faces for fc in fs])
all_sub = np.array([fc[4] for fs in faces for fc in fs])
mean_area, mean_sub = all_area.mean(), all_sub.mean()

# --- cutoff shell (brute force over images)
shifts = np.array([[a, b, c] for a in (-1, 0, 1) for b in (-1, 0, 1) for c in (-1, 0, 1)]) * L
cut = []  # per atom: list of (j, dvec)
for i in range(n):
    nb = []
    for j in range(n):
        d = pos[j] + shifts - pos[i]
        r = np.sqrt((d * d).sum(1))
        for k in np.nonzero((r < CUTOFF) & (r > 0))[0]:
            nb.append((j, d[k]))
    cut.append(nb)
voro = [[(fc[0], fc[3]) for fc in fs] for fs in faces]


def stats4(x):
    x = np.asarray(x, float)
    if len(x) == 0:
        return [0.0, 0.0, 0.0, 0.0]
    return [x.mean(), x.std(), x.min(), x.max()]


def ql(vecs, l):
    d = np.array(vecs)
    r = np.sqrt((d * d).sum(1))
    theta = np.arccos(np.clip(d[:, 2] / r, -1, 1))
    phi = np.arctan2(d[:, 1], d[:, 0])
    q = np.array([sph_harm(m, l, phi, theta).mean() for m in range(-l, l + 1)])
    return np.sqrt(4 * np.pi / (2 * l + 1) * (np.abs(q) ** 2).sum())


sro = {}
shell_of = {}  # column -> the shell its MRO statistics run over (the shell it was computed on; Voronoi for cell columns)
def put(name, i, v, shell="voro"):
    sro.setdefault(name, np.full(n, np.nan))[i] = v
    shell_of[name] = shell

for i in range(n):
    fs = faces[i]
    area = np.array([f[1] for f in fs]); edges = np.array([f[2] for f in fs]); sub = np.array([f[4] for f in fs])
    cnt = {e: int((edges == e).sum()) for e in range(3, 8)}
    put("cn_voro", i, len(fs))
    put("cn_cut", i, len(cut[i]), "cut")
    for e in range(3, 8):
        put(f"voro_n{e}", i, cnt[e])
    no7 = (edges >= 7).sum() == 0 and (edges < 3).sum() == 0
    n3, n4, n5, n6 = cnt[3], cnt[4], cnt[5], cnt[6]
    ico = float(no7 and (n3, n4, n5, n6) == (0, 0, 12, 0))
    z16 = float(no7 and (n3, n4, n5, n6) == (0, 0, 12, 4))
    put("motif_ico", i, ico)
    put("motif_z16", i, z16)
    put("motif_kasper", i, float(2 * n4 + n5 == 12))
    put("motif_ico_or_z16", i, float(ico or z16))
    put("voro_area_rel", i, area.sum() / mean_area)
    put("voro_volume_rel", i, cell_vol[i] / mean_sub)
    m37 = (edges >= 3) & (edges <= 7)
    for e in range(3, 8):
        put(f"voro_ifold_{e}", i, cnt[e] / m37.sum() if m37.sum() else 0.0)
    for e in range(3, 8):
        put(f"voro_ifold_area_{e}", i, area[edges == e].sum() / area[m37].sum() if area[m37].sum() > 0 else 0.0)
    for e in range(3, 8):
        put(f"voro_ifold_vol_{e}", i, sub[edges == e].sum() / sub[m37].sum() if sub[m37].sum() > 0 else 0.0)
    for src, nb in (("voro", voro[i]), ("cut", cut[i])):
        for l in (4, 6, 8, 10):
            put(f"q{l}_{src}", i, ql([d for _, d in nb], l), src)
    put("csro_element", i, Z[SPECIES[spc[i]]])
    for src, nb in (("voro", voro[i]), ("cut", cut[i])):
        js = np.array([j for j, _ in nb])
        c = np.array([(spc[js] == s).sum() for s in range(2)])
        for s in range(2): put(f"csro_n_{SPECIES[s]}_{src}", i, c[s], src)
        for s in range(2): put(f"csro_x_{SPECIES[s]}_{src}", i, c[s] / len(js), src)
        for s in range(2): put(f"wc_{SPECIES[s]}_{src}", i, 1 - c[s] / len(js) / conc[s], src)
    for stem, x in (("voro_facet_area", area), ("voro_subvol", sub)):
        for s, v in zip(("mean", "std", "min", "max"), stats4(x)): put(f"{stem}_{s}", i, v)
        for e in range(3, 8):
            xe = x[edges == e]
            put(f"{stem}_n{e}_sum", i, xe.sum())
            for s, v in zip(("mean", "std", "min", "max"), stats4(xe)): put(f"{stem}_n{e}_{s}", i, v)
    for src, nb in (("voro", voro[i]), ("cut", cut[i])):
        r = [np.sqrt((d * d).sum()) for _, d in nb]
        for s, v in zip(("mean", "std", "min", "max"), stats4(r)): put(f"dist_{src}_{s}", i, v, src)

MOTIFS = ["motif_ico", "motif_z16", "motif_kasper", "motif_ico_or_z16"]
cols = list(sro.keys())
out = {c: sro[c] for c in cols}
for c in cols:
    if c == "csro_element":
        continue
    shell = cut if shell_of[c] == "cut" else voro
    stats = ["sum", "mean", "std"] if c in MOTIFS else ["mean", "std", "min", "max", "diff"]
    res = {s: np.zeros(n) for s in stats}
    for i in range(n):
        v = sro[c][[j for j, _ in shell[i]]]
        for s in stats:
            res[s][i] = {"sum": v.sum(), "mean": v.mean(), "std": v.std(), "min": v.min(), "max": v.max(),
                         "diff": v.mean() - sro[c][i]}[s]
    for s in stats:
        out[f"{c}__nn_{s}"] = res[s]
means = np.array([out[f"voro_n{e}__nn_mean"] for e in range(3, 8)])
for k, e in enumerate(range(3, 8)):
    out[f"voro_ifold_{e}__nn_avgidx"] = means[k] / means.sum(0)

os.makedirs(os.path.dirname(OUT), exist_ok=True)
names = list(out.keys())
with gzip.open(OUT, "wt") as f:
    f.write(",".join(["id"] + names) + "\n")
    for i in range(ROWS):
        f.write(",".join([str(ids[i])] + ["%.15g" % out[c][i] for c in names]) + "\n")
print(f"wrote {OUT}: {ROWS} rows x {len(names)} columns; mean face area {mean_area:.6f}, mean sub-volume {mean_sub:.6f}")
