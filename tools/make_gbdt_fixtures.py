#!/usr/bin/python3
"""Reference tables and XGBoost 1.7 results for GlassML's gradient-boosted trees.

Provenance: the 500-atom Cu50Zr50 glass s1 (shared/reference/glass-s1, LAMMPS data file) is run
in LAMMPS (tools/gbdt_md.in: NVT 700 K, Mendelev CuZr_mm.eam.fs, 10 ps equilibration, then
321 frames every 0.1 ps). Every atom of every frame is one row: 40 simple structural features computed
here with numpy (minimum image, cubic box) from the real MD positions, the LAMMPS per-atom potential
energy `pe` (eV, regression target) and `high_pe` = 1 when pe is above the median of the atom's
species in its frame (classification target). group = frame index.

Usage:
  /usr/bin/python3 tools/make_gbdt_fixtures.py md    # run LAMMPS (about 1 min) into /tmp/gbdt
  /usr/bin/python3 tools/make_gbdt_fixtures.py table # full 160,500-row table -> /tmp/gbdt/gbdt_full.csv.gz
  /usr/bin/python3 tools/make_gbdt_fixtures.py fixtures  # test fixtures -> tests/fixtures/learning/
  /usr/bin/python3 tools/make_gbdt_fixtures.py metrics   # sklearn/scipy metric values -> tests/fixtures/learning/
  /usr/bin/python3 tools/make_gbdt_fixtures.py full-reference  # XGBoost test AUC/RMSE on the full table
"""
import gzip, json, os, subprocess, sys, time
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
WORK = "/tmp/gbdt"
FIX = os.path.join(REPO, "tests", "fixtures", "learning")
DATA = "/work/shared/reference/glass-s1/s1_cu50zr50_500.data"
POT = "/usr/share/lammps/potentials/CuZr_mm.eam.fs"

SHELLS = [0.0, 2.8, 3.2, 3.6, 4.2]
MUS = [2.5, 2.75, 3.0, 3.25, 3.5, 3.75, 4.0, 4.5, 5.0, 5.5]
RC = 6.0


def run_md():
    os.makedirs(WORK, exist_ok=True)
    subprocess.run(["lmp", "-in", os.path.join(HERE, "gbdt_md.in"), "-var", "data", DATA, "-var", "pot", POT,
                    "-var", "out", WORK, "-log", os.path.join(WORK, "log.lammps")], check=True, cwd=WORK)


def read_dump(path):
    frames = []
    with open(path) as f:
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
                a = np.loadtxt([f.readline() for _ in range(n)])
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


def build_table():
    frames = read_dump(os.path.join(WORK, "md.dump"))
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


def write_csv(path, X, pe, hi, grp, ids, types, compact=False):
    """compact: no id column, g2_* rounded to 3 and other features to 4 significant digits, pe to 1e-4 eV."""
    names = feature_names()
    digits = [3 if n.startswith("g2_") else 4 for n in names]
    with gzip.open(path, "wt", compresslevel=9) as f:
        f.write(",".join(([] if compact else ["id"]) + ["type", "group"] + names + ["pe", "high_pe"]) + "\n")
        for i in range(len(X)):
            row = X[i] if not compact else np.array([float(f"{v:.{d}g}") for v, d in zip(X[i], digits)])
            f.write(("" if compact else f"{ids[i]},") + f"{types[i]},{grp[i]}," + ",".join(fmt(v) for v in row) +
                    (f",{pe[i]:.4f}" if compact else f",{pe[i]:.5f}") + f",{int(hi[i])}\n")


def read_csv(path):
    with gzip.open(path, "rt") as f:
        header = f.readline().strip().split(",")
        a = np.array([[float(c) for c in line.strip().split(",")] for line in f])
    return header, a


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


def fixtures():
    import xgboost as xgb
    from sklearn.metrics import roc_auc_score, mean_squared_error
    os.makedirs(FIX, exist_ok=True)
    X, pe, hi, grp, ids, types = build_table()
    # Test table: frames 0..39 (20,000 rows), compact rounding (see write_csv).
    sel = grp < 40
    path = os.path.join(FIX, "gbdt_glass_table.csv.gz")
    write_csv(path, X[sel], pe[sel], hi[sel], grp[sel], ids[sel], types[sel], compact=True)
    header, a = read_csv(path)  # reference results from exactly the committed numbers
    names = feature_names()
    Xf = a[:, 2:2 + len(names)]
    g = a[:, 1]
    test = (g % 5) == 4
    out = {"xgboost_version": xgb.__version__, "params": XGB_PARAMS, "rows": int(len(a)),
           "train_rows": int((~test).sum()), "test_rows": int(test.sum()), "split": "test = group % 5 == 4"}
    b, t = xgb_fit(Xf[~test], a[~test, -1], "binary:logistic", ROUNDS)
    p = b.predict(xgb.DMatrix(Xf[test], missing=np.nan))
    out["binary"] = {"rounds": ROUNDS, "target": "high_pe", "test_auc": float(roc_auc_score(a[test, -1], p)), "seconds": t}
    b, t = xgb_fit(Xf[~test], a[~test, -2], "reg:squarederror", ROUNDS)
    p = b.predict(xgb.DMatrix(Xf[test], missing=np.nan))
    out["regression"] = {"rounds": ROUNDS, "target": "pe",
                         "test_rmse": float(np.sqrt(mean_squared_error(a[test, -2], p))), "seconds": t}
    with open(os.path.join(FIX, "gbdt_xgboost_reference.json"), "w") as f:
        json.dump(out, f, indent=2)
    print(json.dumps(out, indent=2))
    shap_fixture(Xf, a, names)


def shap_fixture(Xf, a, names):
    """Small model (3 trees, depth 3) in XGBoost JSON + pred_contribs for 20 rows."""
    import xgboost as xgb
    rows = np.arange(0, 20000, 1000)
    b, _ = xgb_fit(Xf[:5000], a[:5000, -1], "binary:logistic", 3, max_depth=3, eta=0.3)
    d = xgb.DMatrix(Xf[rows], missing=np.nan)
    contrib = b.predict(d, pred_contribs=True)
    margin = b.predict(d, output_margin=True)
    b.save_model(os.path.join(WORK, "shap_model.json"))
    with open(os.path.join(WORK, "shap_model.json")) as f:
        model = json.load(f)
    out = {"rows": rows.tolist(), "margin": margin.tolist(), "contribs": contrib.tolist(),
           "trees": model["learner"]["gradient_booster"]["model"]["trees"]}
    with gzip.open(os.path.join(FIX, "gbdt_shap_xgboost.json.gz"), "wt") as f:
        json.dump(out, f)


def metrics_fixture():
    """sklearn/scipy metrics on vectors taken from the committed test table (many ties on purpose)."""
    from sklearn.metrics import roc_auc_score, roc_curve, r2_score, mean_absolute_error, mean_squared_error, accuracy_score
    from scipy.stats import spearmanr, pearsonr
    header, a = read_csv(os.path.join(FIX, "gbdt_glass_table.csv.gz"))
    col = {h: i for i, h in enumerate(header)}
    rows = a[:1000]
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


def full_reference():
    """XGBoost test AUC / RMSE on the full 160,500-row table (split group % 5 == 4), for docs/benchmarks.md."""
    import xgboost as xgb
    from sklearn.metrics import roc_auc_score, mean_squared_error
    header, a = read_csv(os.path.join(WORK, "gbdt_full.csv.gz"))
    names = feature_names()
    Xf = a[:, 3:3 + len(names)]
    test = (a[:, 2] % 5) == 4
    out = {"xgboost_version": xgb.__version__, "params": XGB_PARAMS, "rows": int(len(a)), "train_rows": int((~test).sum()),
           "test_rows": int(test.sum()), "split": "test = group % 5 == 4", "table": "make_gbdt_fixtures.py table (full precision)"}
    b, t = xgb_fit(Xf[~test], a[~test, -1], "binary:logistic", ROUNDS)
    out["binary"] = {"rounds": ROUNDS, "target": "high_pe", "seconds": t,
                     "test_auc": float(roc_auc_score(a[test, -1], b.predict(xgb.DMatrix(Xf[test], missing=np.nan))))}
    b, t = xgb_fit(Xf[~test], a[~test, -2], "reg:squarederror", ROUNDS)
    out["regression"] = {"rounds": ROUNDS, "target": "pe", "seconds": t, "test_rmse": float(np.sqrt(mean_squared_error(
        a[test, -2], b.predict(xgb.DMatrix(Xf[test], missing=np.nan)))))}
    with open(os.path.join(FIX, "gbdt_xgboost_reference_full.json"), "w") as f:
        json.dump(out, f, indent=2)
    print(json.dumps(out, indent=2))


def full_table():
    X, pe, hi, grp, ids, types = build_table()
    write_csv(os.path.join(WORK, "gbdt_full.csv.gz"), X, pe, hi, grp, ids, types)
    print(X.shape)


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "fixtures"
    {"md": run_md, "table": full_table, "fixtures": fixtures, "metrics": metrics_fixture, "full-reference": full_reference}[what]()
