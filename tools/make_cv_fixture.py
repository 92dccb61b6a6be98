#!/usr/bin/python3
"""Pooled vs per-fold cross-validation reference (tests/fixtures/learning/cv_grouped*.csv.gz / .json).

Run from the repository root with Debian's python (sklearn 1.2.1, numpy 1.24):

    /usr/bin/python3 tools/make_cv_fixture.py

Data: 4 groups (e.g. 4 trajectories) of 30 rows; feature x1 = group offset (0, 1, 2, 3) + N(0, 0.15²), x2 = N(0, 1)
(noise), target y = 2·x1 + N(0, 0.1²). Every group spans a narrow range of y, so a model that never saw a group
predicts it from the neighbouring groups: inside one held-out group the error is large against the group's own
spread (per-fold R² very negative), while over all out-of-fold predictions the between-group trend is followed
(pooled R² positive).

Reference: scikit-learn `cross_val_predict(make_pipeline(StandardScaler(), KNeighborsRegressor(5)), X, y,
groups=group, cv=GroupKFold(4))` — with 4 groups and 4 folds each fold holds out exactly one group, so the
out-of-fold predictions do not depend on how a library orders the folds. Pooled metrics are r2_score /
mean_squared_error / mean_absolute_error / pearsonr of all out-of-fold predictions; per-group R² is r2_score of
each held-out group.
"""
import gzip, json
import numpy as np
from scipy.stats import pearsonr
from sklearn.model_selection import GroupKFold, cross_val_predict
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import r2_score, mean_squared_error, mean_absolute_error

OUT = "tests/fixtures/learning/"
rng = np.random.default_rng(20261203)
groups = np.repeat(np.arange(4), 30)
x1 = groups + rng.normal(0, 0.15, groups.size)
x2 = rng.normal(0, 1, groups.size)
y = 2 * x1 + rng.normal(0, 0.1, groups.size)
# round to what the CSV holds, so both sides see identical numbers
x1, x2, y = (np.round(v, 6) for v in (x1, x2, y))
X = np.column_stack([x1, x2])

with gzip.open(OUT + "cv_grouped.csv.gz", "wt") as f:
    f.write("id,group,x1,x2,y\n")
    for i in range(y.size):
        f.write(f"{i},{groups[i]},{x1[i]!r},{x2[i]!r},{y[i]!r}\n")

model = make_pipeline(StandardScaler(), KNeighborsRegressor(n_neighbors=5))
oof = cross_val_predict(model, X, y, groups=groups, cv=GroupKFold(n_splits=4))
per_group = {int(g): r2_score(y[groups == g], oof[groups == g]) for g in range(4)}
ref = {
    "command": "/usr/bin/python3 tools/make_cv_fixture.py",
    "learner": "knn k=5 rule=mean standardize=true",
    "oof": [float(v) for v in oof],
    "pooled": {"r2": r2_score(y, oof), "rmse": float(np.sqrt(mean_squared_error(y, oof))),
               "mae": mean_absolute_error(y, oof), "pearson": float(pearsonr(y, oof)[0])},
    "per_group_r2": per_group,
    "mean_per_fold_r2": float(np.mean(list(per_group.values()))),
}
with open(OUT + "cv_grouped_sklearn.json", "w") as f:
    json.dump(ref, f, indent=1)
print(ref["pooled"], ref["mean_per_fold_r2"])
