#!/usr/bin/python3
"""Brute-force reference for ULE leader clustering and assignment (numpy only, no GlassML code).

    /usr/bin/python3 tools/ule_bruteforce.py VECTORS.npy THRESHOLD SIMILARITY ZETA OUT.csv.gz

VECTORS.npy: unit-length SOAP rows of the training atoms in manifest -> frame -> atom-id order (written by
`glassml ule build --vectors`). The script does, literally and without shortcuts:
  clustering: for each row in order, M to every existing founder (distance: M = 1 - ||p_i - p_j||/2 with
  numpy.linalg.norm of the difference; cosine: M = p_i . p_j; then sign(M)|M|^zeta); the row founds a new ULE
  when max M < THRESHOLD (or when there is no ULE yet);
  assignment: each row's M to every founder of the final dictionary; the ULE is the first index of the maximum
  (numpy.argmax: ties -> lowest index), -1 when that maximum is below THRESHOLD.
Output CSV (gzip): row,founder,ule,m  (founder = ULE index the row founded, -1 otherwise; m with 17 significant digits).
"""
import gzip
import sys

import numpy as np


def similarity(p, founders, kind, zeta):
    if kind == "distance":
        m = 1.0 - np.linalg.norm(founders - p[None, :], axis=1) / 2.0
    elif kind == "cosine":
        m = founders @ p
    else:
        raise SystemExit(f"unknown similarity {kind}")
    if zeta != 1.0:
        m = np.sign(m) * np.abs(m) ** zeta
    return m


def main():
    vec_path, threshold, kind, zeta, out = sys.argv[1], float(sys.argv[2]), sys.argv[3], float(sys.argv[4]), sys.argv[5]
    x = np.load(vec_path)
    founders_rows = []
    founder_of = np.full(len(x), -1)
    for i, p in enumerate(x):
        if founders_rows:
            m = similarity(p, x[founders_rows], kind, zeta)
            if m.max() >= threshold:
                continue
        founder_of[i] = len(founders_rows)
        founders_rows.append(i)
    f = x[founders_rows]
    with gzip.open(out, "wt", newline="\n") as w:
        w.write("row,founder,ule,m\n")
        for i, p in enumerate(x):
            m = similarity(p, f, kind, zeta)
            j = int(np.argmax(m))
            ule = j if m[j] >= threshold else -1
            w.write(f"{i},{founder_of[i]},{ule},{m[j]:.17g}\n")
    print(f"{len(founders_rows)} ULEs from {len(x)} rows")


if __name__ == "__main__":
    main()
