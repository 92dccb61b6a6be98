#!/usr/bin/python3
"""XGBoost 1.7 prediction time (wall and process CPU) on a GlassML CSV table, the counterpart of
`dotnet run -c Release --project bench/GlassML.Bench -- gbdt-predict ...` (docs/benchmarks.md, issue 20).

Usage: /usr/bin/python3 tools/gbdt_predict_timing.py TABLE.csv.gz TARGET ROUNDS DEPTH NTHREAD REPS [DROP_COLUMN]
Trains once (eta 0.1, max_bin 256, base_score 0.5, nthread 2; cached as TABLE.TARGET.ROUNDS.DEPTH.xgb.json), then REPS
predictions of all rows on a fresh DMatrix each (the DMatrix is built outside the timer; one untimed prediction first);
prints the median wall and process-CPU seconds per prediction.
"""
import os, statistics, sys, time
import numpy as np
from gbdt_table import load_table
import xgboost as xgb

path, target, rounds, depth, nthread, reps = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
X, y = load_table(path, target, sys.argv[7:])
cache = f"{path}.{target}.{rounds}.{depth}.xgb.json"
b = xgb.Booster()
if os.path.exists(cache):
    b.load_model(cache)
else:
    p = dict(tree_method="hist", max_depth=depth, eta=0.1, max_bin=256, nthread=2, base_score=0.5,
             objective="binary:logistic" if target == "high_pe" else "reg:squarederror")
    b = xgb.train(p, xgb.DMatrix(X, label=y, missing=np.nan, nthread=2), num_boost_round=rounds)
    b.save_model(cache)
b.set_param({"nthread": nthread})
b.predict(xgb.DMatrix(X, missing=np.nan, nthread=nthread))
wall, cpu = [], []
for _ in range(reps):
    dp = xgb.DMatrix(X, missing=np.nan, nthread=nthread)
    t0, c0 = time.time(), time.process_time()
    pred = b.predict(dp)
    wall.append(time.time() - t0); cpu.append(time.process_time() - c0)
print(f"xgboost {xgb.__version__} gbdt-predict rows={len(y)} trees={rounds} nthread={nthread} reps={reps} "
      f"predict_seconds={statistics.median(wall):.4f} predict_cpu_seconds={statistics.median(cpu):.4f} sum={float(np.sum(pred.astype(np.float64))):.6f}")
