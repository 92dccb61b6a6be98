#!/usr/bin/python3
"""What limits the ULE energy fit on the committed IS fixture (docs/workflows.md "ule", issue 15 item 3).

  tools/ule_energy_floor.py FRACTIONS.csv ATOMS_DIR ENERGY_DIR

FRACTIONS.csv and ATOMS_DIR come from `glassml ule encode --atoms ATOMS_DIR` (per-atom extended XYZ with column `ule`);
ENERGY_DIR holds `glassml energy --potential CuZr_mm.eam.fs` per-atom CSVs named like the XYZ files (SAMPLE.csv).
Per-atom EAM energies (checked to sum to the IS energy of the manifest) split each sample's energy per atom into
  E = Σ_k f_k ε_k + r,   ε_k = mean energy of the training atoms in ULE k,  r = mean deviation of the sample's atoms
from their ULE's mean. Σ_k f_k ε_k is the best any model of the fractions alone can do if the ULE energies are
additive (the "oracle", told every atom's energy); r is what no function of the fractions can see. Printed: σ_w (per-atom
spread inside ULEs), σ_w/√N, the oracle's R² in sample and with ε_k from the other groups (grouped CV, as `ule train`).
"""
import csv, glob, os, sys
import numpy as np


def read_xyz_ule(path):
    with open(path) as f:
        n = int(f.readline())
        head = f.readline()
        props = head.split("Properties=")[1].split()[0].split(":")
        cols, c = {}, 0
        for i in range(0, len(props), 3):
            cols[props[i]] = c
            c += int(props[i + 2])
        ids_col = cols.get("id")
        rows = [f.readline().split() for _ in range(n)]
    ule = np.array([int(float(r[cols["ule"]])) for r in rows])
    ids = np.array([int(float(r[ids_col])) for r in rows]) if ids_col is not None else np.arange(1, n + 1)
    return ids, ule


def main(frac, atoms_dir, energy_dir):
    samples = list(csv.DictReader(open(frac)))
    data = []
    for s in samples:
        name = s["sample"].replace("@", "_")
        xyz = os.path.join(atoms_dir, name + ".xyz")
        ene = os.path.join(energy_dir, name + ".csv")
        ids, ule = read_xyz_ule(xyz)
        pe = {int(r["id"]): float(r["pe"]) for r in csv.DictReader(open(ene))}
        e = np.array([pe[i] for i in ids])
        E = float(s["energy_per_atom"]) if s["energy_per_atom"] else np.nan
        if np.isfinite(E) and abs(e.mean() - E) > 1e-6:
            sys.exit(f"{name}: per-atom energies sum to {e.mean():.9f} eV/atom, the manifest says {E:.9f}")
        data.append((s["sample"], s["group"], s["role"], ule, e, E))
    train = [d for d in data if d[2] == "train"]
    u = max(max(d[3]) for d in data) + 1

    def ule_means(rows):
        s = np.zeros(u); c = np.zeros(u)
        for d in rows:
            ok = d[3] >= 0
            np.add.at(s, d[3][ok], d[4][ok]); np.add.at(c, d[3][ok], 1)
        glob_mean = np.concatenate([d[4] for d in rows]).mean()
        return np.where(c > 0, s / np.maximum(c, 1), glob_mean)

    def oracle(d, eps):
        e = np.where(d[3] >= 0, eps[np.maximum(d[3], 0)], d[4].mean())
        return e.mean()

    eps = ule_means(train)
    within = np.concatenate([d[4] - np.where(d[3] >= 0, eps[np.maximum(d[3], 0)], d[4].mean()) for d in train])
    n = np.mean([len(d[4]) for d in train])
    y = np.array([d[5] for d in train])
    pred_in = np.array([oracle(d, eps) for d in train])
    groups = sorted({d[1] for d in train})
    pred_cv = np.empty(len(train))
    for g in groups:
        eg = ule_means([d for d in train if d[1] != g])
        for i, d in enumerate(train):
            if d[1] == g:
                pred_cv[i] = oracle(d, eg)

    def r2(p):
        return 1 - np.sum((y - p) ** 2) / np.sum((y - y.mean()) ** 2)

    def rmse(p):
        return 1000 * np.sqrt(np.mean((y - p) ** 2))

    print(f"{len(train)} training samples of {n:.0f} atoms, {u} ULEs; energy per atom: std {1000 * y.std():.2f} meV/atom")
    print(f"per-atom energy spread inside ULEs sigma_w = {1000 * within.std():.1f} meV; sigma_w/sqrt(N) = {1000 * within.std() / np.sqrt(n):.2f} meV/atom")
    r = np.array([np.mean(d[4] - np.where(d[3] >= 0, eps[np.maximum(d[3], 0)], d[4].mean())) for d in train])
    print(f"the residual r the fractions cannot see: std over samples {1000 * r.std():.2f} meV/atom")
    print(f"oracle sum_k f_k eps_k, eps_k from all training atoms: R2 {r2(pred_in):.3f}, RMSE {rmse(pred_in):.2f} meV/atom")
    print(f"oracle with eps_k from the other groups (leave one group out): R2 {r2(pred_cv):.3f}, RMSE {rmse(pred_cv):.2f} meV/atom")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
