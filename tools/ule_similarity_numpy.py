#!/usr/bin/python3
"""numpy side of the ULE similarity side by side (docs/benchmarks.md): the best-match assignment of unit SOAP rows to
the ULE vectors, as `glassml ule encode` does it (bench mode `ule-similarity run`), on the same exported rows.

Usage: /usr/bin/python3 tools/ule_similarity_numpy.py OUTDIR THRESHOLD ATOMS_PER_SAMPLE [--precision 32|64] [--check GLASSML_NEAREST.npy]
  OUTDIR holds queries.npy and ules.npy from `GlassML.Bench -- ule-similarity export` (float64, unit rows).
  --precision 32 (default): the same algorithm as GlassML — a float32 matrix product (BLAS sgemm) screens every ULE, and
  every ULE whose float32 dot product is within GlassML's rounding bound (4·(2·F₈/8 + 8)·2⁻²⁴, F₈ = F rounded up to 8)
  of the row's best is re-evaluated exactly in float64 as
  M = 1 − ‖p − u‖/2; the best is the highest exact M, ties to the lowest index.
  --precision 64: one float64 product (dgemm), M = 1 − sqrt(max(0, 2 − 2·dot))/2, argmax (ties: lowest index).
One sample's rows at a time (ATOMS_PER_SAMPLE). Prints the CPU and wall seconds of the assignment alone (loading not
timed), the unassigned count (M < THRESHOLD) and Σ M; with --check, how many rows get another ULE than GlassML.
Thread count: set OPENBLAS_NUM_THREADS / OMP_NUM_THREADS (the quiet script uses 1 and 2).
"""
import argparse, os, sys, time
import numpy as np


def assign(q, u, u32, precision):
    if precision == 64:
        d = q @ u.T
        best = np.argmax(d, axis=1)
        dot = d[np.arange(len(q)), best]
        return best, 1.0 - np.sqrt(np.maximum(0.0, 2.0 - 2.0 * dot)) / 2.0
    d = q.astype(np.float32) @ u32.T
    fp = (q.shape[1] + 7) // 8 * 8
    margin = np.float32(4.0 * (2.0 * fp / 8 + 8) * 2.0 ** -24)
    top = d.max(axis=1)
    best = np.empty(len(q), dtype=np.int64)
    m = np.empty(len(q))
    for i in range(len(q)):
        cand = np.flatnonzero(d[i] >= top[i] - margin)
        ex = 1.0 - np.linalg.norm(u[cand] - q[i], axis=1) / 2.0
        k = int(np.argmax(ex))  # first of the highest: candidates are ascending, so ties go to the lowest index
        best[i], m[i] = cand[k], ex[k]
    return best, m


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("dir"); p.add_argument("threshold", type=float); p.add_argument("per_sample", type=int)
    p.add_argument("--precision", type=int, default=32, choices=[32, 64]); p.add_argument("--check")
    a = p.parse_args()
    q = np.load(os.path.join(a.dir, "queries.npy"))
    u = np.load(os.path.join(a.dir, "ules.npy"))
    u32 = u.astype(np.float32)
    n = len(q)
    nearest = np.empty(n, dtype=np.int64)
    ms = np.empty(n)
    c0, t0 = time.process_time(), time.time()
    for lo in range(0, n, a.per_sample):
        b, m = assign(q[lo:lo + a.per_sample], u, u32, a.precision)
        nearest[lo:lo + len(b)] = b
        ms[lo:lo + len(b)] = m
    cpu, wall = time.process_time() - c0, time.time() - t0
    msg = (f"numpy{a.precision} rows={n} features={q.shape[1]} ules={len(u)} assign_cpu_s={cpu:.2f} assign_wall_s={wall:.2f} "
           f"unassigned={int((ms < a.threshold).sum())} sum_m={ms.sum()!r}")
    if a.check:
        g = np.load(a.check)
        msg += f" differ_from_glassml={int((g != nearest).sum())}"
    print(msg)


if __name__ == "__main__":
    sys.exit(main())
