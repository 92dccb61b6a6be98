#!/usr/bin/python3
"""XGBoost side of the ULE-regression GBDT side-by-side (docs/benchmarks.md): the same fit as
`dotnet run -c Release --project bench/GlassML.Bench -- ule-gbdt FRACTIONS.csv ROUNDS DEPTH ETA THREADS OUT.csv`
(reg:squarederror, tree_method hist, max_bin 256, min_child_weight 1, lambda 1, alpha 0, gamma 0, subsample 1,
colsample_bytree 1, base_score = mean energy) on every row of a `glassml ule encode` fractions table (columns
sample,file,frame,group,role,n,energy_per_atom,unassigned,ule_0…), then the prediction of every row.

    /usr/bin/python3 tools/ule_gbdt_xgboost.py FRACTIONS.csv ROUNDS DEPTH ETA THREADS OUT.txt [--compare GLASSML_OUT.txt]
"""
import sys

import numpy as np
import xgboost as xgb

path, rounds, depth, eta, threads, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
head = open(path).readline().rstrip("\n").split(",")
first = head.index("ule_0")
e_col = head.index("energy_per_atom")
data = np.loadtxt(path, delimiter=",", skiprows=1, usecols=[e_col] + list(range(first, len(head))))
y, x = data[:, 0], data[:, 1:]
p = dict(objective="reg:squarederror", tree_method="hist", max_bin=256, max_depth=depth, eta=eta, min_child_weight=1,
         reg_lambda=1, alpha=0, gamma=0, subsample=1, colsample_bytree=1, base_score=float(np.mean(y)), nthread=threads)
b = xgb.train(p, xgb.DMatrix(x, label=y, nthread=threads), num_boost_round=rounds)
pred = b.predict(xgb.DMatrix(x, nthread=threads)).astype(np.float64)
np.savetxt(out, pred, fmt="%.17g")
if "--compare" in sys.argv[7:]:
    g = np.loadtxt(sys.argv[sys.argv.index("--compare") + 1])
    d = pred - g
    print(f"xgboost {xgb.__version__}: {len(y)} rows x {x.shape[1]} ULEs; energy spread (std) {np.std(y) * 1000:.4f} meV/atom; "
          f"prediction difference max {np.max(np.abs(d)) * 1000:.4f} meV/atom, rms {np.sqrt(np.mean(d * d)) * 1000:.4f} meV/atom; "
          f"train RMSE xgboost {np.sqrt(np.mean((pred - y) ** 2)) * 1000:.4f}, glassml {np.sqrt(np.mean((g - y) ** 2)) * 1000:.4f} meV/atom; "
          f"correlation {np.corrcoef(pred, g)[0, 1]:.6f}")
