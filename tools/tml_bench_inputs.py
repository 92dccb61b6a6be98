#!/usr/bin/python3
"""Inputs of the tml speed benchmarks (docs/benchmarks.md).

  /usr/bin/python3 tools/tml_bench_inputs.py train OUTDIR [ATOMS [RUNS [ORIGINS]]]
      Synthetic isothermal trajectories OUTDIR/iso_<T>K.dump (T = 100, 100 + 1600/(RUNS-1), ..., 1700 K; default
      10,000 atoms, 7 runs, 5 origins): frames at each origin (every 10 ps) and origin + the 10 lags
      0.01, 0.02, 0.05, ..., 10 ps (dt 0.001 ps), positions r0 + vibration + Brownian walk with an amplitude and a
      diffusion coefficient growing with T (a per-atom lognormal spread): ATOMS × RUNS × ORIGINS instances × 10 lags.
      Default: 350,000 instances. Not physics: only the sizes matter.
  /usr/bin/python3 tools/tml_bench_inputs.py replicate TRAJ NX NY NZ OUT
      Every frame of a dump with `id type xu yu zu` (orthogonal box) replicated NX × NY × NZ times with that frame's
      box lengths (so the cell deformation is replicated too); ids of replica r are id + r·N.
"""
import gzip
import sys

import numpy as np

LAGS_STEPS = [10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000]


def write_frame(f, step, lo, hi, block, fmt):
    f.write(f"ITEM: TIMESTEP\n{step}\nITEM: NUMBER OF ATOMS\n{len(block)}\nITEM: BOX BOUNDS pp pp pp\n")
    for d in range(3):
        f.write(f"{lo[d]!r} {hi[d]!r}\n")
    f.write("ITEM: ATOMS id type xu yu zu\n")
    np.savetxt(f, block, fmt=fmt)


def train(out, atoms, runs, origins):
    import os
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(12345)
    L = (atoms / 0.06) ** (1 / 3)
    lo, hi = np.zeros(3), np.full(3, L)
    temps = np.linspace(100, 1700, runs)
    steps = sorted({o * 10000 + s for o in range(origins) for s in [0] + LAGS_STEPS})
    fmt = ["%d", "%d", "%.4f", "%.4f", "%.4f"]
    for T in temps:
        ids = np.arange(1, atoms + 1)
        types = 1 + (rng.random(atoms) < 0.5)
        r0 = rng.random((atoms, 3)) * L
        amp = 0.1 * (T / 300.0) ** 0.75                       # vibration (Å)
        dif = 0.05 * np.exp(-3000.0 / T) * rng.lognormal(0, 0.5, atoms)  # Å²/ps per atom
        walk = np.zeros((atoms, 3))
        prev = 0
        with open(f"{out}/iso_{T:g}K.dump", "w") as f:
            for s in steps:
                dtp = (s - prev) * 0.001
                walk += rng.standard_normal((atoms, 3)) * np.sqrt(2 * dif * dtp)[:, None]
                prev = s
                pos = r0 + walk + amp * rng.standard_normal((atoms, 3))
                write_frame(f, s, lo, hi, np.column_stack([ids, types, pos]), fmt)
        print(f"{out}/iso_{T:g}K.dump@{T:g}")


def replicate(traj, nx, ny, nz, out):
    op = gzip.open if traj.endswith(".gz") else open
    reps = [(i, j, k) for i in range(nx) for j in range(ny) for k in range(nz)]
    with op(traj, "rt") as f, open(out, "w") as g:
        lines = f.read().split("\n")
        p = 0
        while p < len(lines) and lines[p].startswith("ITEM: TIMESTEP"):
            step = int(lines[p + 1])
            n = int(lines[p + 3])
            bounds = [lines[p + 5 + d].split() for d in range(3)]
            if any(len(b) != 2 for b in bounds):
                sys.exit("replicate: orthogonal boxes only")
            lo = np.array([float(b[0]) for b in bounds])
            hi = np.array([float(b[1]) for b in bounds])
            cols = lines[p + 8].split()[2:]
            a = np.array([l.split() for l in lines[p + 9:p + 9 + n]], dtype=float)
            ix = [cols.index(c) for c in ("id", "type", "xu", "yu", "zu")]
            ids, types, pos = a[:, ix[0]].astype(np.int64), a[:, ix[1]].astype(int), a[:, ix[2:]]
            Lb = hi - lo
            blocks = [np.column_stack([ids + r * n, types, pos + Lb * np.array(v)]) for r, v in enumerate(reps)]
            write_frame(g, step, lo, lo + Lb * np.array([nx, ny, nz]), np.vstack(blocks),
                        ["%d", "%d", "%.4f", "%.4f", "%.4f"])
            p += 9 + n


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "train":
        a = [int(v) for v in sys.argv[3:]] + [10000, 7, 5][len(sys.argv) - 3:]
        train(sys.argv[2], *a[:3])
    elif len(sys.argv) == 7 and sys.argv[1] == "replicate":
        replicate(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6])
    else:
        sys.exit(__doc__)
