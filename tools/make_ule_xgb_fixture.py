#!/usr/bin/python3
"""XGBoost 1.7 reference for the ULE regression (tests/fixtures/ule/xgboost/).

    /usr/bin/python3 tools/make_ule_xgb_fixture.py tests/fixtures/ule/xgboost

A fraction table like `glassml ule encode` writes (30 ULE columns, rows = counts / 250 of multinomial draws)
with an energy per atom (eV/atom) depending non-linearly on a few fractions plus noise; 300 training and 100 test rows.
XGBoost (python3-xgboost, Debian 1.7.x) is trained with the ULE defaults: reg:squarederror, tree_method hist,
max_bin 256, n_estimators 300, eta 0.05, max_depth 4, min_child_weight 1, lambda 1, gamma 0, subsample 1,
colsample_bytree 1, base_score = mean of the training energies. Writes train.csv.gz, test.csv.gz (ule_0..ule_29,energy)
and xgb.csv (xgboost version, test RMSE in eV/atom, and each test prediction).
"""
import gzip
import os
import sys

import numpy as np
import xgboost as xgb

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(20261203)
U, NTR, NTE = 30, 300, 100
n = NTR + NTE
# fractions as `ule encode` gives them: counts / N of N = 250-atom samples (so every column has < 256 distinct values
# and both libraries bin every value separately), from Dirichlet-distributed ULE probabilities
x = np.array([rng.multinomial(250, q) for q in rng.dirichlet(np.full(U, 0.4), size=n)]) / 250.0
y = (-5.60 + 0.020 * x[:, 0] - 0.015 * x[:, 3] + 0.010 * np.sqrt(x[:, 7]) + 0.008 * x[:, 11] * x[:, 12] * 10
     + 0.004 * (x[:, 20] > 0.05) + rng.normal(0, 0.0004, size=n))
cols = [f"ule_{j}" for j in range(U)]


def write(path, xs, ys):
    with gzip.open(path, "wt", newline="\n") as w:
        w.write(",".join(cols + ["energy"]) + "\n")
        for r, e in zip(xs, ys):
            w.write(",".join(repr(float(v)) for v in r) + "," + repr(float(e)) + "\n")


write(os.path.join(out, "train.csv.gz"), x[:NTR], y[:NTR])
write(os.path.join(out, "test.csv.gz"), x[NTR:], y[NTR:])
# the model sees the values as written (shortest round-trip text == the float64 values)
model = xgb.XGBRegressor(objective="reg:squarederror", tree_method="hist", max_bin=256, n_estimators=300, learning_rate=0.05,
                         max_depth=4, min_child_weight=1, reg_lambda=1, reg_alpha=0, gamma=0, subsample=1, colsample_bytree=1,
                         base_score=float(np.mean(y[:NTR])), n_jobs=1)
model.fit(x[:NTR], y[:NTR])
p = model.predict(x[NTR:]).astype(np.float64)
rmse = float(np.sqrt(np.mean((p - y[NTR:]) ** 2)))
with open(os.path.join(out, "xgb.csv"), "w", newline="\n") as w:
    w.write(f"# xgboost {xgb.__version__}; test RMSE (eV/atom)\n")
    w.write(f"rmse,{rmse!r}\n")
    for v in p:
        w.write(f"pred,{float(v)!r}\n")
print("xgboost", xgb.__version__, "test RMSE", rmse, "spread", float(np.std(y[NTR:])))
