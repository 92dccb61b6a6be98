#!/usr/bin/python3
"""Reference data and XGBoost 1.7 results for GlassML's gradient-boosted trees.

Provenance: the 500-atom Cu50Zr50 glass s1 (shared/reference/glass-s1, LAMMPS data file) is run
in LAMMPS (tools/gbdt_md.in: NVT 700 K, Mendelev CuZr_mm.eam.fs, 10 ps equilibration, then
321 frames every 0.1 ps). The trajectory is committed compactly as a LAMMPS dump (positions rounded to
1e-3 Å, per-atom potential energy to 1e-4 eV: tests/fixtures/learning/gbdt_md_s1.dump.gz). Every atom of every
frame is one row: 40 simple structural features computed here with numpy (minimum image, cubic box) from the
ROUNDED committed positions, the LAMMPS per-atom potential energy `pe` (eV, regression target) and `high_pe` = 1
when pe is above the median of the atom's species in its frame (classification target). group = frame index.
The C# tests compute the same features from the same committed dump.

Usage:
  /usr/bin/python3 tools/make_gbdt_fixtures.py md        # run LAMMPS (about 1 min) into /tmp/gbdt
  /usr/bin/python3 tools/make_gbdt_fixtures.py dump      # round /tmp/gbdt/md.dump -> tests/fixtures/learning/gbdt_md_s1.dump.gz
  /usr/bin/python3 tools/make_gbdt_fixtures.py fixtures  # XGBoost reference + TreeSHAP fixture from the committed dump
  /usr/bin/python3 tools/make_gbdt_fixtures.py metrics   # sklearn/scipy metric values -> tests/fixtures/learning/
  /usr/bin/python3 tools/make_gbdt_fixtures.py table     # full 160,500-row table -> /tmp/gbdt/gbdt_full.csv.gz (bench)
"""
import gzip, json, os, subprocess, sys, time
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
WORK = "/tmp/gbdt"
FIX = os.path.join(REPO, "tests", "fixtures", "learning")
DATA = "/work/shared/reference/glass-s1/s1_cu50zr50_500.data"
DUMP = os.path.join(FIX, "gbdt_md_s1.dump.gz")  # the committed, rounded trajectory
POT = "/usr/share/lammps/potentials/CuZr_mm.eam.fs"

SHELLS = [0.0, 2.8, 3.2, 3.6, 4.2]
MUS = [2.5, 2.75, 3.0, 3.25, 3.5, 3.75, 4.0, 4.5, 5.0, 5.5]
RC = 6.0


def run_md():
    os.makedirs(WORK, exist_ok=True)
    subprocess.run(["lmp", "-in", os.path.join(HERE, "gbdt_md.in"), "-var", "data", DATA, "-var", "pot", POT,
                    "-var", "out", WORK, "-log", os.path.join(WORK, "log.lammps")], check=True, cwd=WORK)


def open_text(path):
    return gzip.open(path, "rt") if path.endswith(".gz") else open(path)


def round_dump():
    """The LAMMPS dump with positions rounded to 1e-3 Å and c_pe to 1e-4 eV (header lines unchanged)."""
    src = os.path.join(WORK, "md.dump")
    with open(src) as f, open(DUMP, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
            atoms = False
            for line in f:
                if line.startswith("ITEM:"):
                    atoms = line.startswith("ITEM: ATOMS")
                    if atoms:
                        assert line.split()[2:] == ["id", "type", "x", "y", "z", "c_pe"], line
                    gz.write(line.encode())
                elif atoms:
                    i, t, x, y, z, pe = line.split()
                    gz.write(f"{i} {t} {float(x):.3f} {float(y):.3f} {float(z):.3f} {float(pe):.4f}\n".encode())
                else:
                    gz.write(line.encode())
    print(DUMP, os.path.getsize(DUMP))


def read_dump(path):
    frames = []
    with open_text(path) as f:
        while True:
            line = f.readline()
            if not line:
                break
            if line.startswith("ITEM: TIMESTEP"):
                step = int(f.readline())
                f.readline(); n = int(f.readline())
                f.readline()
                lo, hi = zip(*[map(float, f.readline().split()) for _ in range(3)])
                f.readline()
                a = np.array([[float(v) for v in f.readline().split()] for _ in range(n)])  # float(): correctly rounded
                frames.append((step, np.array(lo), np.array(hi), a))
    return frames


def feature_names():
    names = ["zr"]
    for s in range(len(SHELLS) - 1):
        for sp in ("cu", "zr"):
            names.append(f"n_{sp}_{SHELLS[s]:.1f}_{SHELLS[s+1]:.1f}")
    names += ["cn_3.6", "dmean_cu", "dmean_zr", "dmin", "dstd"]
    for sp in ("cu", "zr"):
        for mu in MUS:
            names.append(f"g2_{sp}_{mu:.2f}")
    names += ["n2_cu", "n2_zr", "n3_cu", "n3_zr", "dmax", "density_6"]
    return names


def frame_features(lo, hi, a):
    L = hi - lo
    typ = a[:, 1].astype(int)
    x = a[:, 2:5]
    n = len(x)
    d = x[None, :, :] - x[:, None, :]
    d -= L * np.round(d / L)
    r = np.sqrt((d * d).sum(-1))
    np.fill_diagonal(r, np.inf)
    iscu = (typ == 1)[None, :]
    iszr = (typ == 2)[None, :]
    cols = [(typ == 2).astype(float)]
    for s in range(len(SHELLS) - 1):
        m = (r >= SHELLS[s]) & (r < SHELLS[s + 1])
        cols.append((m & iscu).sum(1).astype(float))
        cols.append((m & iszr).sum(1).astype(float))
    near = r < 3.6
    cols.append(near.sum(1).astype(float))
    with np.errstate(invalid="ignore", divide="ignore"):
        for sp in (iscu, iszr):
            m = near & sp
            cnt = m.sum(1)
            s = np.where(m, r, 0.0).sum(1)
            cols.append(np.where(cnt > 0, s / np.maximum(cnt, 1), np.nan))  # NaN = no such neighbour
    cols.append(r.min(1))
    rn = np.where(near, r, 0.0)
    cnt = near.sum(1)
    mean = rn.sum(1) / cnt
    cols.append(np.sqrt(np.maximum((np.where(near, (r - mean[:, None]) ** 2, 0.0)).sum(1) / cnt, 0.0)))
    fc = np.where(r < RC, 0.5 * (np.cos(np.pi * np.minimum(r, RC) / RC) + 1.0), 0.0)
    for sp in (iscu, iszr):
        for mu in MUS:
            cols.append((np.exp(-((r - mu) / 0.25) ** 2) * fc * sp).sum(1))
    m2 = (r >= 4.2) & (r < 5.5)
    cols.append((m2 & iscu).sum(1).astype(float))
    cols.append((m2 & iszr).sum(1).astype(float))
    m3 = (r >= 5.5) & (r < RC)
    cols.append((m3 & iscu).sum(1).astype(float))
    cols.append((m3 & iszr).sum(1).astype(float))
    cols.append(np.where(near, r, 0.0).max(1))
    cols.append((r < RC).sum(1) / (4.0 / 3.0 * np.pi * RC ** 3))
    return np.column_stack(cols)


def build_table(frames=None):
    frames = read_dump(DUMP)[:frames]
    X, pe, hi, grp, ids, types = [], [], [], [], [], []
    for k, (step, lo, hi_, a) in enumerate(frames):
        X.append(frame_features(lo, hi_, a))
        p = a[:, 5]
        lab = np.zeros(len(p))
        for t in (1, 2):
            m = a[:, 1] == t
            lab[m] = (p[m] > np.median(p[m])).astype(float)
        pe.append(p); hi.append(lab); grp.append(np.full(len(p), k)); ids.append(a[:, 0].astype(int) + 1000 * k)
        types.append(a[:, 1].astype(int))
    return (np.vstack(X), np.concatenate(pe), np.concatenate(hi), np.concatenate(grp), np.concatenate(ids),
            np.concatenate(types))


def fmt(v):
    if np.isnan(v):
        return "nan"
    return repr(float(v))


def write_csv(path, X, pe, hi, grp, ids, types):
    names = feature_names()
    with gzip.open(path, "wt", compresslevel=6) as f:
        f.write(",".join(["id", "type", "group"] + names + ["pe", "high_pe"]) + "\n")
        for i in range(len(X)):
            f.write(f"{ids[i]},{types[i]},{grp[i]}," + ",".join(fmt(v) for v in X[i]) + f",{pe[i]:.4f},{int(hi[i])}\n")


ROUNDS = 100
XGB_PARAMS = dict(tree_method="hist", max_depth=6, eta=0.1, max_bin=256, nthread=2, base_score=0.5,
                  min_child_weight=1.0, reg_lambda=1.0, reg_alpha=0.0, gamma=0.0, seed=0)


def xgb_fit(X, y, objective, rounds, **extra):
    import xgboost as xgb
    p = dict(XGB_PARAMS, objective=objective, **extra)
    d = xgb.DMatrix(X, label=y, missing=np.nan)
    t0 = time.time()
    b = xgb.train(p, d, num_boost_round=rounds)
    return b, time.time() - t0


SAMPLE_ROWS = [0, 1, 499, 500, 7777, 20000, 64321, 100000, 128499, 160499]


def fixtures():
    """XGBoost on the full 160,500-row table from the committed dump (128,500 train / 32,000 test, group % 5 == 4)."""
    import xgboost as xgb
    from sklearn.metrics import roc_auc_score, mean_squared_error
    X, pe, hi, grp, ids, types = build_table()
    names = feature_names()
    test = (grp % 5) == 4
    nan_rows = [int(r) for r in np.flatnonzero(np.isnan(X).any(1))[:3]]  # rows with a missing dmean_*
    sample = sorted(set(SAMPLE_ROWS + nan_rows))
    out = {"xgboost_version": xgb.__version__, "params": XGB_PARAMS, "rows": int(len(X)),
           "train_rows": int((~test).sum()), "test_rows": int(test.sum()), "split": "test = group % 5 == 4",
           "data": "gbdt_md_s1.dump.gz (rounded positions), features of tools/make_gbdt_fixtures.py",
           "features": names, "missing_values": int(np.isnan(X).sum()),
           "positives": int(hi.sum()), "column_sums": [float(v) for v in np.nansum(X, axis=0)],
           "pe_sum": float(pe.sum()),
           "sample": {"rows": sample, "group": [int(grp[r]) for r in sample], "id": [int(ids[r]) for r in sample],
                      "pe": [float(pe[r]) for r in sample], "high_pe": [int(hi[r]) for r in sample],
                      "features": [[None if np.isnan(v) else float(v) for v in X[r]] for r in sample]}}
    b, t = xgb_fit(X[~test], hi[~test], "binary:logistic", ROUNDS)
    p = b.predict(xgb.DMatrix(X[test], missing=np.nan))
    out["binary"] = {"rounds": ROUNDS, "target": "high_pe", "test_auc": float(roc_auc_score(hi[test], p)), "seconds": t}
    b, t = xgb_fit(X[~test], pe[~test], "reg:squarederror", ROUNDS)
    p = b.predict(xgb.DMatrix(X[test], missing=np.nan))
    out["regression"] = {"rounds": ROUNDS, "target": "pe",
                         "test_rmse": float(np.sqrt(mean_squared_error(pe[test], p))), "seconds": t}
    with open(os.path.join(FIX, "gbdt_xgboost_reference.json"), "w") as f:
        json.dump(out, f, indent=1)
    print(json.dumps({k: v for k, v in out.items() if k != "sample"}, indent=1))
    shap_fixture(X, hi, names)


def shap_fixture(X, hi, names):
    """Small model (3 trees, depth 3) in XGBoost JSON + pred_contribs for 20 rows (their features included)."""
    import xgboost as xgb
    rows = np.arange(0, 20000, 1000)
    b, _ = xgb_fit(X[:5000], hi[:5000], "binary:logistic", 3, max_depth=3, eta=0.3)
    d = xgb.DMatrix(X[rows], missing=np.nan)
    contrib = b.predict(d, pred_contribs=True)
    margin = b.predict(d, output_margin=True)
    b.save_model(os.path.join(WORK, "shap_model.json"))
    with open(os.path.join(WORK, "shap_model.json")) as f:
        model = json.load(f)
    out = {"rows": rows.tolist(), "features": names,
           "x": [[None if np.isnan(v) else float(v) for v in X[r]] for r in rows],
           "margin": margin.tolist(), "contribs": contrib.tolist(),
           "trees": model["learner"]["gradient_booster"]["model"]["trees"]}
    with open(os.path.join(FIX, "gbdt_shap_xgboost.json.gz"), "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
            gz.write(json.dumps(out).encode())


def metrics_fixture():
    """sklearn/scipy metrics on vectors taken from the committed test table (many ties on purpose)."""
    from sklearn.metrics import roc_auc_score, roc_curve, r2_score, mean_absolute_error, mean_squared_error, accuracy_score
    from scipy.stats import spearmanr, pearsonr
    X, pe, hi, grp, ids, types = build_table(frames=2)
    header = feature_names() + ["pe", "high_pe"]
    col = {h: i for i, h in enumerate(header)}
    rows = np.column_stack([X, pe, hi])[:1000]
    y = rows[:, col["high_pe"]]
    s = rows[:, col["cn_3.6"]]                        # integer coordination number: heavy ties
    s2 = np.round(rows[:, col["dmean_zr"]], 1)         # rounded distance: ties, some NaN -> dropped below
    keep = ~np.isnan(s2)
    pe = rows[:, col["pe"]]
    X = np.column_stack([rows[:, col["zr"]], rows[:, col["cn_3.6"]], rows[:, col["dmin"]], np.ones(len(rows))])
    coef, *_ = np.linalg.lstsq(X, pe, rcond=None)
    pred = np.round(X @ coef, 2)                       # rounded linear fit: ties
    fpr, tpr, th = roc_curve(y, s, drop_intermediate=False)
    out = {
        "labels": y.tolist(), "scores": s.tolist(),
        "auc": roc_auc_score(y, s), "roc_fpr": fpr.tolist(), "roc_tpr": tpr.tolist(), "roc_thresholds": th[1:].tolist(),
        "labels2": y[keep].tolist(), "scores2": s2[keep].tolist(), "auc2": roc_auc_score(y[keep], s2[keep]),
        "y": pe.tolist(), "pred": pred.tolist(),
        "r2": r2_score(pe, pred), "mae": mean_absolute_error(pe, pred), "rmse": float(np.sqrt(mean_squared_error(pe, pred))),
        "pearson": float(pearsonr(pe, pred)[0]), "spearman": float(spearmanr(pe, pred).correlation),
        "spearman_ties": float(spearmanr(s, pred).correlation),
        "accuracy": accuracy_score(y, (s >= 13).astype(float)), "accuracy_threshold": 13,
    }
    with gzip.open(os.path.join(FIX, "gbdt_metrics_sklearn.json.gz"), "wt") as f:
        json.dump(out, f)
    print({k: v for k, v in out.items() if not isinstance(v, list)})


def full_table():
    X, pe, hi, grp, ids, types = build_table()
    write_csv(os.path.join(WORK, "gbdt_full.csv.gz"), X, pe, hi, grp, ids, types)
    print(X.shape)


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "fixtures"
    {"md": run_md, "table": full_table, "fixtures": fixtures, "metrics": metrics_fixture, "dump": round_dump}[what]()
