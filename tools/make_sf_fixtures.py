#!/usr/bin/python3
"""Reference fixtures of the structural-flexibility (sf) method, independent of GlassML.

Usage (from the repository root):  /usr/bin/python3 tools/make_sf_fixtures.py
Needs numpy and liblinear-tools (`liblinear-train`, LIBLINEAR 2.3 Debian build).

1. Radial structure functions with r_p per (centre, neighbour) pair, computed in numpy by brute force over all
   periodic images: G_i^S(r̄_k) = sum_{j in S, r_ij/r_p(si,sj) <= 3} exp(-(r̄_k - r_ij/r_p)^2 / (2 * 0.05^2)),
   r̄_k = 0.60, 0.65, ..., 3.00, for the NVE start structure of the dynamics fixture (tests/fixtures/dynamics/nve/
   nve_start.dump.gz, LAMMPS type 1 = Cu, 2 = Zr) with the fixed r_p below.
2. ln v_flex = ln(v_flex) of tests/fixtures/dynamics/vflex_ref.csv.gz.
3. Per centre species, LIBLINEAR `liblinear-train -s 11 -c 1 -p 0.1 -e 1e-10 -B 1` on all atoms of that species
   (features scaled by nothing; the bias feature is LIBLINEAR's -B 1) -> the 98 weights and the bias weight.

Writes tests/fixtures/sf/liblinear_weights.csv (species, index, weight; index 98 = bias weight, as LIBLINEAR prints
them with %.17g) and tests/fixtures/sf/rsf_numpy.csv.gz (id, species, the 98 features of every 10th atom by id, %.17g).
"""
import gzip
import os
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FX = os.path.join(ROOT, "tests", "fixtures")
OUT = os.path.join(FX, "sf")
RP = {("Cu", "Cu"): 2.59, ("Cu", "Zr"): 2.82, ("Zr", "Cu"): 2.82, ("Zr", "Zr"): 3.18}
SPECIES = ["Cu", "Zr"]
GRID = 0.60 + 0.05 * np.arange(49)
SIGMA = 0.05
RC = 3.0
C, P, E, B = 1, 0.1, 1e-10, 1


def read_dump(path):
    with gzip.open(path, "rt") as f:
        lines = f.read().split("\n")
    n = int(lines[3])
    lo = np.array([float(lines[5 + k].split()[0]) for k in range(3)])
    hi = np.array([float(lines[5 + k].split()[1]) for k in range(3)])
    rows = [l.split() for l in lines[9:9 + n]]
    ids = np.array([int(r[0]) for r in rows])
    types = np.array([int(r[1]) for r in rows])
    pos = np.array([[float(v) for v in r[2:5]] for r in rows])
    order = np.argsort(ids)
    return ids[order], types[order], pos[order], hi - lo


def features(ids, types, pos, L):
    sp = np.array([SPECIES[t - 1] for t in types])
    n = len(ids)
    m = len(GRID)
    G = np.zeros((n, 2 * m))
    rmax = RC * max(RP.values())
    nimg = int(np.ceil(rmax / L.min()))
    shifts = np.array([[a, b, c] for a in range(-nimg, nimg + 1) for b in range(-nimg, nimg + 1) for c in range(-nimg, nimg + 1)]) * L
    for i in range(n):
        d = pos - pos[i]
        d -= L * np.round(d / L)
        for s in shifts:
            r = np.linalg.norm(d + s, axis=1)
            for j in np.nonzero((r > 1e-8) & (r <= rmax))[0]:
                rb = r[j] / RP[(sp[i], sp[j])]
                if rb > RC:
                    continue
                blk = SPECIES.index(sp[j]) * m
                G[i, blk:blk + m] += np.exp(-(GRID - rb) ** 2 / (2 * SIGMA ** 2))
    return sp, G


def main():
    os.makedirs(OUT, exist_ok=True)
    ids, types, pos, L = read_dump(os.path.join(FX, "dynamics", "nve", "nve_start.dump.gz"))
    vf = {}
    with gzip.open(os.path.join(FX, "dynamics", "vflex_ref.csv.gz"), "rt") as f:
        head = f.readline().strip().split(",")
        for line in f:
            c = line.strip().split(",")
            vf[int(c[0])] = float(c[head.index("v_flex")])
    y = np.log(np.array([vf[i] for i in ids]))
    sp, G = features(ids, types, pos, L)
    with gzip.GzipFile(os.path.join(OUT, "rsf_numpy.csv.gz"), "wb", mtime=0) as gz:
        gz.write(("id,species," + ",".join(f"g{k}" for k in range(G.shape[1])) + "\n").encode())
        for i in range(0, len(ids), 10):
            gz.write((f"{ids[i]},{sp[i]}," + ",".join("%.17g" % v for v in G[i]) + "\n").encode())
    out = ["species,index,weight"]
    with tempfile.TemporaryDirectory() as tmp:
        for s in SPECIES:
            rows = np.nonzero(sp == s)[0]
            data = os.path.join(tmp, f"{s}.svm")
            with open(data, "w") as f:
                for i in rows:
                    f.write("%.17g " % y[i] + " ".join(f"{k + 1}:%.17g" % G[i, k] for k in range(G.shape[1]) if G[i, k] != 0) + "\n")
            model = os.path.join(tmp, f"{s}.model")
            subprocess.run(["liblinear-train", "-s", "11", "-c", str(C), "-p", str(P), "-e", str(E), "-B", str(B), "-q", data, model], check=True)
            with open(model) as f:
                lines = f.read().split("\n")
            w = [float(l) for l in lines[lines.index("w") + 1:] if l.strip()]
            assert len(w) == G.shape[1] + 1, len(w)
            for k, v in enumerate(w):
                out.append(f"{s},{k},{v!r}")
    with open(os.path.join(OUT, "liblinear_weights.csv"), "w") as f:
        f.write("\n".join(out) + "\n")
    print("wrote", OUT)


if __name__ == "__main__":
    sys.exit(main())
