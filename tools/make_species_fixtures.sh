#!/usr/bin/env bash
# Regenerates tests/fixtures/species/ (run from the repository root): structures whose species are not element symbols.
#   1. freud's periodic random-point Voronoi case: 5,000 uniform random points (numpy seed 5000) in a periodic
#      10 × 10 × 10 box, one species labelled X (ASE's dummy atom), as extended XYZ; voro++ 0.4.6 CLI cell volumes.
#   2. A 500-atom Kob–Andersen A80B20 Lennard-Jones glass (LAMMPS lj units, tools/ka_glass.in): data file (types 1, 2),
#      dump with element column A/B and LAMMPS plain Voronoi volumes, the same atoms as extended XYZ with species A/B,
#      and LAMMPS compute rdf (A-A, A-B, B-B).
# Needs /usr/bin/python3 with numpy, voro++ and lmp (Debian packages python3-numpy, voro++, lammps).
set -euo pipefail
root=$(pwd)
out=$root/tests/fixtures/species
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
cd "$tmp"

/usr/bin/python3 - <<'PY'
import numpy as np
rng = np.random.default_rng(5000)
L, n = 10.0, 5000
pos = np.round(rng.uniform(0.0, L, size=(n, 3)), 8)  # 8 decimals: the exact text both GlassML and voro++ read
with open("random5000.extxyz", "w") as f:
    f.write(f"{n}\nLattice=\"{L} 0 0 0 {L} 0 0 0 {L}\" Properties=species:S:1:pos:R:3 pbc=\"T T T\"\n")
    for p in pos:
        f.write("X %.8f %.8f %.8f\n" % tuple(p))
with open("random5000.xyz", "w") as f:
    for i, p in enumerate(pos):
        f.write("%d %.8f %.8f %.8f\n" % (i + 1, *p))
PY
voro++ -p -o -c "%i %v" 0 10 0 10 0 10 random5000.xyz

lmp -in "$root/tools/ka_glass.in" -log none -screen none
/usr/bin/python3 - <<'PY'
lines = open("ka500.dump").read().split("\n")
n = int(lines[3])
b = [lines[5 + k].split() for k in range(3)]
lo = [float(x[0]) for x in b]; hi = [float(x[1]) for x in b]
with open("ka500.extxyz", "w") as f:
    f.write(f"{n}\nLattice=\"{hi[0]-lo[0]!r} 0 0 0 {hi[1]-lo[1]!r} 0 0 0 {hi[2]-lo[2]!r}\" Origin=\"{lo[0]!r} {lo[1]!r} {lo[2]!r}\" "
            "Properties=species:S:1:pos:R:3:id:I:1 pbc=\"T T T\"\n")
    for l in lines[9:9 + n]:
        t = l.split()
        f.write(f"{t[2]} {t[3]} {t[4]} {t[5]} {t[0]}\n")
PY
for f in random5000.extxyz ka500.data ka500.dump ka500.extxyz ka500.rdf.txt; do gzip -9 -n -c "$f" > "$out/$f.gz"; done
gzip -9 -n -c random5000.xyz.vol > "$out/random5000.voro++.vol.gz"
ls -l "$out"
