#!/usr/bin/python3
"""scipy side of the `glassml modes` side-by-side (docs/benchmarks.md): the lowest K vibrational eigenvalues of the mass-
weighted dynamical matrix D = M^-1/2 H M^-1/2 (eV/(Å² amu)) of the analytic EAM Hessian that glassml diagonalises,
written by `dotnet run -c Release --project bench/GlassML.Bench -- modes-hessian STRUCTURE POTENTIAL PREFIX`.

    /usr/bin/python3 tools/modes_eigsh.py PREFIX K OUT.csv [--mode shift-invert|sa] [--compare glassml_frequencies.csv]

shift-invert: eigsh(D, K + 3, sigma=-1e-3, which='LM') (a sparse LU of D + 1e-3 I; the 3 translations are the zero
eigenvalues); sa: eigsh(D, K + 3, which='SA') (plain Lanczos, ARPACK). Writes the K + 3 eigenvalues, ascending. With
--compare, the K lowest non-translation eigenvalues are compared with the 'eigenvalue' column of glassml's mode table
(rows with translation = 0, the first K): prints the largest absolute and relative difference.
"""
import sys

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import eigsh

prefix, k, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
opts = dict(zip(sys.argv[4::2], sys.argv[5::2]))
coo = np.load(prefix + "_hessian.npy")
m = np.load(prefix + "_masses.npy")[:, 0]
n3 = 3 * len(m)
h = sp.csr_matrix((coo[:, 2], (coo[:, 0].astype(np.int64), coo[:, 1].astype(np.int64))), shape=(n3, n3))
s = sp.diags(np.repeat(1 / np.sqrt(m), 3))
d = (s @ h @ s).tocsc()
v0 = np.ones(n3) / np.sqrt(n3) + np.sin(np.arange(n3))  # fixed start vector: runs are repeatable
if opts.get("--mode", "shift-invert") == "sa":
    w = eigsh(d, k + 3, which="SA", v0=v0, return_eigenvectors=False, tol=1e-12)
else:
    w = eigsh(d, k + 3, sigma=-1e-3, which="LM", v0=v0, return_eigenvectors=False, tol=1e-12)
w = np.sort(w)
np.savetxt(out, w, fmt="%.17g")
if "--compare" in opts:
    import csv
    rows = list(csv.DictReader(open(opts["--compare"])))
    g = np.array([float(r["eigenvalue"]) for r in rows if r["translation"] in ("0", "false", "False")])[:k]
    ours = w[3:3 + k]  # the three translations are the lowest (≈ 0)
    print(f"translations (scipy): {w[:3]}")
    print(f"K = {k}: eigenvalues {ours[0]:.6g} … {ours[-1]:.6g}; max |Δ| = {np.max(np.abs(ours - g)):.3g}, "
          f"max |Δ|/λ = {np.max(np.abs(ours - g) / np.abs(ours)):.3g}, max |Δ|/λ_K = {np.max(np.abs(ours - g)) / abs(ours[-1]):.3g}")
