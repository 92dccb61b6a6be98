#!/usr/bin/python3
"""Inputs for the ULE speed benchmarks (docs/benchmarks.md); nothing here is committed output.

  tools/make_ule_bench.py samples OUT [--count 100] [--reps 4,2,2] [--sigma 0.05] [--seed 1]
      OUT/NAME.dump and OUT/samples.csv: COUNT samples made by replicating the committed IS fixture glasses
      (tests/fixtures/ule/is, 256 atoms) REPS times (4×2×2 → 4,096 atoms) and displacing every atom by a Gaussian of
      SIGMA Å per axis (so no two replicas are identical); energy = fixture IS energy × replicas (a number, eV);
      group = the fixture trajectory; role train.
  tools/make_ule_bench.py fractions DICT OUT.csv [--samples 1000] [--atoms 4000] [--groups 50] [--seed 1]
      a synthetic fractions table on the ULE count of DICT (a 'glassml ule build' file): per sample ATOMS atoms
      dealt to ULEs with Zipf-like popularity (most fractions 0, as in real encodings); energy per atom = −5.6 eV plus
      a planted linear term of 10 ULE fractions plus 0.5 meV/atom Gaussian noise; GROUPS groups.
"""
import argparse, gzip, json, os, sys
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIX = os.path.join(ROOT, "tests", "fixtures", "ule")


def read_frames(path):
    """All frames of a LAMMPS dump: (bounds 3×2, ids, types, xyz)."""
    with gzip.open(path, "rt") as f:
        lines = f.read().split("\n")
    i, out = 0, []
    while i < len(lines) and lines[i].startswith("ITEM: TIMESTEP"):
        n = int(lines[i + 3])
        b = np.array([[float(v) for v in lines[i + 5 + k].split()[:2]] for k in range(3)])
        cols = lines[i + 8].split()[2:]
        a = np.array([[float(v) for v in lines[i + 9 + k].split()] for k in range(n)])
        ix, it = cols.index("id"), cols.index("type")
        xyz = a[:, [cols.index("x"), cols.index("y"), cols.index("z")]]
        out.append((b, a[:, ix].astype(int), a[:, it].astype(int), xyz))
        i += 9 + n
    return out


def samples(args):
    os.makedirs(args.out, exist_ok=True)
    rx, ry, rz = (int(v) for v in args.reps.split(","))
    rng = np.random.default_rng(args.seed)
    base = []
    for line in open(os.path.join(FIX, "samples.csv")).read().split("\n")[1:]:
        if not line.strip():
            continue
        file, frame, energy, group, role = line.split(",")
        if role != "train":
            continue
        _, log, key = energy.split(":")
        e = next(float(l.split()[1]) for l in open(os.path.join(FIX, log)) if l.split()[0] == key)
        base.append((file, int(frame), e, group))
    cache = {}
    rows = ["file,frame,energy,group,role"]
    for s in range(args.count):
        file, frame, e, group = base[s % len(base)]
        if file not in cache:
            cache[file] = read_frames(os.path.join(FIX, file))
        b, ids, types, xyz = cache[file][frame]
        L = b[:, 1] - b[:, 0]
        parts = []
        for i in range(rx):
            for j in range(ry):
                for k in range(rz):
                    parts.append(xyz + np.array([i, j, k]) * L)
        x = np.concatenate(parts) + rng.normal(0, args.sigma, (len(parts) * len(ids), 3))
        t = np.tile(types, len(parts))
        n = len(t)
        hi = b[:, 0] + L * np.array([rx, ry, rz])
        name = f"b{s:03d}.dump"
        with open(os.path.join(args.out, name), "w") as f:
            f.write(f"ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n{n}\nITEM: BOX BOUNDS pp pp pp\n")
            for d in range(3):
                f.write(f"{b[d, 0]:.10f} {hi[d]:.10f}\n")
            f.write("ITEM: ATOMS id type x y z\n")
            f.write("\n".join(f"{a + 1} {t[a]} {x[a, 0]:.8f} {x[a, 1]:.8f} {x[a, 2]:.8f}" for a in range(n)))
            f.write("\n")
        rows.append(f"{name},0,{e * len(parts)!r},{group},train")
    open(os.path.join(args.out, "samples.csv"), "w").write("\n".join(rows) + "\n")
    print(f"{args.count} samples of {n} atoms in {args.out}")


def fractions(args):
    u = json.load(open(args.dict))["count"]
    rng = np.random.default_rng(args.seed)
    pop = 1.0 / np.arange(1, u + 1) ** 1.1
    pop /= pop.sum()
    counts = rng.multinomial(args.atoms, pop, size=args.samples)
    f = counts / args.atoms
    planted = rng.choice(min(u, 200), 10, replace=False)
    w = rng.normal(0, 0.05, 10)
    e = -5.6 + f[:, planted] @ w * 10 + rng.normal(0, 0.0005, args.samples)
    with open(args.out, "w") as o:
        o.write("sample,file,frame,group,role,n,energy_per_atom,unassigned," + ",".join(f"ule_{j}" for j in range(u)) + "\n")
        for i in range(args.samples):
            o.write(f"s{i},s{i}.dump,0,g{i % args.groups},train,{args.atoms},{e[i]!r},0,")
            o.write(",".join("0" if c == 0 else repr(c / args.atoms) for c in counts[i]) + "\n")
    print(f"{args.samples} × {u} fractions in {args.out}; planted ULEs {sorted(planted.tolist())}")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("samples"); a.add_argument("out"); a.add_argument("--count", type=int, default=100)
    a.add_argument("--reps", default="4,2,2"); a.add_argument("--sigma", type=float, default=0.05); a.add_argument("--seed", type=int, default=1)
    b = sub.add_parser("fractions"); b.add_argument("dict"); b.add_argument("out"); b.add_argument("--samples", type=int, default=1000)
    b.add_argument("--atoms", type=int, default=4000); b.add_argument("--groups", type=int, default=50); b.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    samples(args) if args.cmd == "samples" else fractions(args)


if __name__ == "__main__":
    sys.exit(main())
