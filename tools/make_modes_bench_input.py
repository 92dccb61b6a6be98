#!/usr/bin/python3
"""Input of the `glassml modes` Lanczos benchmark: the committed 500-atom Cu64Zr36 inherent structure
(tests/fixtures/eam/ortho500_is.dump.gz, a tight LAMMPS CG minimum, tools/eam_minimize.in) replicated R×R×R.
A periodic replica of an inherent structure is itself one (every force is the same as in the small cell, ≈ 1e-13 eV/Å),
so no LAMMPS run is needed; its spectrum has the degenerate pairs at ±q that the block Lanczos resolves.

    /usr/bin/python3 tools/make_modes_bench_input.py 3 /tmp/rep27.dump     # 13,500 atoms
    glassml modes /tmp/rep27.dump --potential /usr/share/lammps/potentials/CuZr_mm.eam.fs --types 1:Cu,2:Zr \
        --fraction 0.01 --threads 1 --solver lanczos --out m.csv
"""
import gzip
import os
import sys

reps, out = int(sys.argv[1]), sys.argv[2]
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
lines = gzip.open(os.path.join(root, "tests/fixtures/eam/ortho500_is.dump.gz"), "rt").read().splitlines()
lo, hi = map(float, lines[5].split())
a = hi - lo
atoms = [l.split() for l in lines[9:]]
rows, k = [], 0
for i in range(reps):
    for j in range(reps):
        for m in range(reps):
            for t in atoms:
                k += 1
                rows.append(f"{k} {t[1]} {float(t[2]) + i * a!r} {float(t[3]) + j * a!r} {float(t[4]) + m * a!r}")
with open(out, "w") as f:
    f.write(f"ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n{k}\nITEM: BOX BOUNDS pp pp pp\n")
    for _ in range(3):
        f.write(f"{lo!r} {lo + reps * a!r}\n")
    f.write("ITEM: ATOMS id type x y z\n" + "\n".join(rows) + "\n")
print(f"{k} atoms, box {reps * a:.4f} Å → {out}")
