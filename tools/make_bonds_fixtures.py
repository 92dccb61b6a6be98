#!/usr/bin/python3
"""Fixtures of the bonds method (tests/fixtures/bonds/), run from the repository root:

    /usr/bin/python3 tools/make_bonds_fixtures.py

1. lobster_cell.data: a 16-atom CuZr B2 2x2x2 cell (a = 3.26 A) with atoms displaced by uniform noise of +-0.15 A
   (numpy seed 7), LAMMPS data format (type 1 = Cu, 2 = Zr).
2. ICOHPLIST fixtures written by hand from LOBSTER's documented layouts, all holding the same 14 atom pairs (every
   pair with an image closer than 2.9 A, first 14 by (i, j, distance)) with spin-up / spin-down ICOHP values drawn
   with numpy: icohplist_v2.lobster (LOBSTER 2.x: no translation column, spin-2 block repeated with its own header),
   icohplist_v4.lobster (3.x/4.x: translation column, spin-2 block, orbital-resolved rows after each pair),
   icohplist_v5.lobster (5.x: both spins side by side, orbital-resolved rows). Distances written with 5 decimals as
   LOBSTER does.
3. icohp_expected.csv: id_i < id_j, distance (numpy, all images), label = -(up + down).
4. compression_groups.csv and compression_msd.csv: groups of the 500 atoms of tests/fixtures/dynamics/
   compression_ortho.dump.gz (bond_class = id % 2, species from the type; ids 1..7 in an extra small group 'x') and
   the group MSD perpendicular to z (dx^2 + dy^2) and total, from the xu yu zu columns relative to the first frame
   (numpy), with the strain L_z/L_z0 - 1; 17 significant digits.
"""
import gzip, itertools, os
import numpy as np

out = "tests/fixtures/bonds"
os.makedirs(out, exist_ok=True)

# 1. the cell
rng = np.random.default_rng(7)
a, n = 3.26, 2
pos, typ = [], []
for i, j, k in itertools.product(range(n), repeat=3):
    pos.append(np.array([i, j, k]) * a); typ.append(1)
    pos.append((np.array([i, j, k]) + 0.5) * a); typ.append(2)
pos = np.array(pos) + rng.uniform(-0.15, 0.15, (len(pos), 3))
L = n * a
N = len(pos)
with open(f"{out}/lobster_cell.data", "w") as f:
    f.write(f"16-atom CuZr B2 cell for the ICOHPLIST fixtures\n\n{N} atoms\n2 atom types\n\n")
    f.write(f"0.0 {L!r} xlo xhi\n0.0 {L!r} ylo yhi\n0.0 {L!r} zlo zhi\n\nMasses\n\n1 63.546\n2 91.224\n\nAtoms # atomic\n\n")
    for k in range(N):
        f.write(f"{k+1} {typ[k]} {pos[k,0]!r} {pos[k,1]!r} {pos[k,2]!r}\n")
el = {1: "Cu", 2: "Zr"}

# 2. pairs: every image closer than 2.9 A
pairs = []
for i in range(N):
    for j in range(i + 1, N):
        for s in itertools.product((-1, 0, 1), repeat=3):
            d = np.linalg.norm(pos[j] + np.array(s) * L - pos[i])
            if d < 2.9:
                pairs.append((i, j, s, d))
pairs.sort(key=lambda p: (p[0], p[1], p[3]))
pairs = pairs[:14]
up = -rng.uniform(0.05, 1.5, len(pairs)).round(5)
dn = -rng.uniform(0.05, 1.5, len(pairs)).round(5)

def name(k): return f"{el[typ[k]]}{k+1}"

orbs = ["4s", "3d_xy", "4d_z^2"]
with open(f"{out}/icohplist_v2.lobster", "w") as f:
    for spin, vals in ((1, up), (2, dn)):
        f.write(f"  COHP#  atomMU  atomNU  distance  ICOHP(eF)  for spin  {spin}\n")
        for c, ((i, j, s, d), v) in enumerate(zip(pairs, vals)):
            f.write(f"{c+1:6d}  {name(i):>6}  {name(j):>6}  {d:9.5f}  {v:10.5f}  1\n")
with open(f"{out}/icohplist_v4.lobster", "w") as f:
    for spin, vals in ((1, up), (2, dn)):
        f.write(f" COHP#  atomMU  atomNU  distance  translation  ICOHP(eF)  for spin  {spin}\n")
        for c, ((i, j, s, d), v) in enumerate(zip(pairs, vals)):
            f.write(f"{c+1:6d}  {name(i):>6}  {name(j):>6}  {d:9.5f}  {s[0]:3d} {s[1]:3d} {s[2]:3d}  {v:10.5f}\n")
            for o in orbs[:2]:
                f.write(f"{c+1:6d}  {name(i)+'_'+o:>12}  {name(j)+'_'+orbs[2]:>12}  {d:9.5f}  {s[0]:3d} {s[1]:3d} {s[2]:3d}  {v/7:10.5f}\n")
with open(f"{out}/icohplist_v5.lobster", "w") as f:
    f.write(" COHP#  atomMU  atomNU  distance  translation  ICOHP(eF)  for spin  1  ICOHP(eF)  for spin  2\n")
    for c, ((i, j, s, d), u, v) in enumerate(zip(pairs, up, dn)):
        f.write(f"{c+1:6d}  {name(i):>6}  {name(j):>6}  {d:9.5f}  {s[0]:3d} {s[1]:3d} {s[2]:3d}  {u:10.5f}  {v:10.5f}\n")
        for o in orbs:
            f.write(f"{c+1:6d}  {name(i)+'_'+o:>12}  {name(j)+'_4s':>12}  {d:9.5f}  {s[0]:3d} {s[1]:3d} {s[2]:3d}  {u/5:10.5f}  {v/5:10.5f}\n")
with open(f"{out}/icohp_expected.csv", "w") as f:
    f.write("id_i,id_j,distance,value\n")
    for (i, j, s, d), u, v in zip(pairs, up, dn):
        f.write(f"{i+1},{j+1},{d!r},{-(float(u) + float(v))!r}\n")

# 4. group MSD on the compression trajectory
frames = []
with gzip.open("tests/fixtures/dynamics/compression_ortho.dump.gz", "rt") as f:
    lines = f.read().split("\n")
k = 0
while k < len(lines) and lines[k].startswith("ITEM: TIMESTEP"):
    step = int(lines[k + 1]); na = int(lines[k + 3])
    zlo, zhi = map(float, lines[k + 7].split()[:2])
    cols = lines[k + 8].split()[2:]
    data = np.array([[float(x) for x in l.split()] for l in lines[k + 9:k + 9 + na]])
    data = data[np.argsort(data[:, cols.index("id")])]
    frames.append((step, zhi - zlo, data[:, cols.index("id")].astype(int), data[:, cols.index("type")].astype(int),
                   data[:, [cols.index("xu"), cols.index("yu"), cols.index("zu")]]))
    k += 9 + na
ids, types = frames[0][2], frames[0][3]
group = {}
with open(f"{out}/compression_groups.csv", "w") as f:
    f.write("id,species,bond_class\n")
    for i, t in zip(ids, types):
        g = "x" if i <= 7 else str(i % 2)
        f.write(f"{i},{el[t]},{g}\n")
        group[i] = f"{el[t]} " + ("x" if g == "x" else ("WB" if g == "0" else "SB"))
names = sorted(set(group.values()))
r0 = frames[0][4]; lz0 = frames[0][1]
with open(f"{out}/compression_msd.csv", "w") as f:
    f.write("group,atoms,step,strain,msd_perp,msd_total\n")
    for g in names:
        sel = np.array([group[i] == g for i in ids])
        for step, lz, fid, _, r in frames:
            assert (fid == ids).all()
            d = r[sel] - r0[sel]
            perp = np.mean(d[:, 0] ** 2 + d[:, 1] ** 2)
            tot = np.mean((d ** 2).sum(axis=1))
            f.write(f"{g},{sel.sum()},{step},{lz / lz0 - 1:.17g},{perp:.17g},{tot:.17g}\n")
print("wrote", out)
