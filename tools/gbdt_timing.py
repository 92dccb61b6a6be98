#!/usr/bin/python3
"""XGBoost 1.7 hist training time on a GlassML CSV table, for the side-by-side benchmark in docs/benchmarks.md.

Usage: /usr/bin/python3 tools/gbdt_timing.py TABLE.csv.gz TARGET ROUNDS DEPTH NTHREAD [DROP_COLUMN]
Same protocol as `dotnet run -c Release --project bench/GlassML.Bench -- gbdt ...`: CSV parsing is not timed,
one untimed 5-round warm-up, then a fresh DMatrix and xgb.train with eta 0.1, max_bin 256, base_score 0.5; then the prediction time of all
rows on a fresh DMatrix (after one untimed prediction).
"""
import sys, time
import numpy as np
from gbdt_table import load_table
import xgboost as xgb
from sklearn.metrics import roc_auc_score, mean_squared_error

path, target, rounds, depth, nthread = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
X, y = load_table(path, target, sys.argv[6:])
binary = target == "high_pe"
p = dict(tree_method="hist", max_depth=depth, eta=0.1, max_bin=256, nthread=nthread, base_score=0.5,
         objective="binary:logistic" if binary else "reg:squarederror")
d = xgb.DMatrix(X, label=y, missing=np.nan, nthread=nthread)
xgb.train(p, d, num_boost_round=5)
# Timed: a fresh DMatrix and training on it, so XGBoost's quantile sketch and binning are inside the timed region as
# GlassML's binning is inside its Fit. (Training again on the warm-up's DMatrix reuses the bins it cached there; that
# figure is printed too, as cached_seconds.)
t0 = time.time()
c0 = time.process_time()
d = xgb.DMatrix(X, label=y, missing=np.nan, nthread=nthread)
b = xgb.train(p, d, num_boost_round=rounds)
s = time.time() - t0
cpu = time.process_time() - c0
t0 = time.time()
xgb.train(p, d, num_boost_round=rounds)
cached = time.time() - t0
# prediction on a fresh DMatrix (the training one has a prediction cache), one untimed warm-up
dp = xgb.DMatrix(X, missing=np.nan, nthread=nthread)
b.predict(dp)
dp = xgb.DMatrix(X, missing=np.nan, nthread=nthread)
t0 = time.time()
pred = b.predict(dp)
ps = time.time() - t0
m = roc_auc_score(y, pred) if binary else float(np.sqrt(mean_squared_error(y, pred)))
print(f"xgboost {xgb.__version__} rows={len(y)} features={X.shape[1]} rounds={rounds} depth={depth} nthread={nthread} "
      f"seconds={s:.2f} cpu_seconds={cpu:.2f} cached_seconds={cached:.2f} train_{'auc' if binary else 'rmse'}={m:.6f} predict_seconds={ps:.3f}")
