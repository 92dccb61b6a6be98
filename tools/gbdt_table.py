"""The feature table both XGBoost timing scripts read (tools/gbdt_timing.py, tools/gbdt_predict_timing.py): a GlassML
CSV (optionally gzip), the target column, and the feature columns = every column except id/type/species/group, the
target and any extra names."""
import gzip
import numpy as np


def load_table(path, target, extra_drop=()):
    """Returns (X, y) as float arrays; reading is never timed by the callers."""
    drop = set(extra_drop) | {"id", "type", "species", "group", target}
    with gzip.open(path, "rt") if path.endswith(".gz") else open(path) as f:
        header = f.readline().strip().split(",")
        a = np.loadtxt(f, delimiter=",")
    feat = [i for i, h in enumerate(header) if h not in drop]
    return a[:, feat], a[:, header.index(target)]
