#!/usr/bin/python3
"""Inputs of the sf speed benchmarks (docs/benchmarks.md): a LAMMPS dump replicated NX×NY×NZ times and, optionally,
a vflex-style table (id, ln_v_flex) whose values repeat the original atom's.

Usage: /usr/bin/python3 tools/sf_bench_inputs.py START.dump[.gz] NX NY NZ OUT [VFLEX.csv[.gz]]
Writes OUT.dump (id type x y z, orthogonal box) and, with VFLEX, OUT.vflex.csv.
"""
import gzip, sys
import numpy as np


def main():
    start, nx, ny, nz, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    op = gzip.open if start.endswith(".gz") else open
    with op(start, "rt") as f:
        lines = f.read().split("\n")
    n = int(lines[3])
    lo = np.array([float(lines[5 + k].split()[0]) for k in range(3)])
    hi = np.array([float(lines[5 + k].split()[1]) for k in range(3)])
    L = hi - lo
    a = np.array([l.split() for l in lines[9:9 + n]], dtype=float)
    ids, types, pos = a[:, 0].astype(np.int64), a[:, 1].astype(int), a[:, 2:5]
    pos = lo + np.mod(pos - lo, L)
    reps = [(i, j, k) for i in range(nx) for j in range(ny) for k in range(nz)]
    N = n * len(reps)
    with open(out + ".dump", "w") as f:
        f.write(f"ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n{N}\nITEM: BOX BOUNDS pp pp pp\n")
        for d, m in enumerate((nx, ny, nz)):
            f.write(f"{lo[d]!r} {lo[d] + m * L[d]!r}\n")
        f.write("ITEM: ATOMS id type x y z\n")
        for r, (i, j, k) in enumerate(reps):
            p = pos + L * np.array([i, j, k])
            block = np.column_stack([ids + r * n, types, p])
            np.savetxt(f, block, fmt=["%d", "%d", "%.6f", "%.6f", "%.6f"])
    if len(sys.argv) > 6:
        vp = sys.argv[6]
        op = gzip.open if vp.endswith(".gz") else open
        with op(vp, "rt") as f:
            head = f.readline().strip().split(",")
            rows = [l.strip().split(",") for l in f if l.strip()]
        col = head.index("ln_v_flex") if "ln_v_flex" in head else head.index("v_flex")
        v = {int(r[0]): float(r[col]) for r in rows}
        if "ln_v_flex" not in head:
            v = {k: float(np.log(x)) for k, x in v.items()}
        with open(out + ".vflex.csv", "w") as f:
            f.write("id,ln_v_flex\n")
            for r in range(len(reps)):
                for i in ids:
                    f.write(f"{i + r * n},{v[i]!r}\n")
    print(out, N)


if __name__ == "__main__":
    main()
