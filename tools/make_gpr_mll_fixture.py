#!/usr/bin/python3
"""GPR hyper-parameters by maximum marginal likelihood: scikit-learn reference (tests/fixtures/learning/gpr_mll_*).

Run from the repository root with Debian's python (sklearn 1.2.1, numpy 1.24, scipy 1.10):

    /usr/bin/python3 tools/make_gpr_mll_fixture.py

Data: scikit-learn's bundled diabetes table (442 rows × 10 standardised features, target = disease progression;
Efron et al. 2004), written to gpr_mll_diabetes.csv.gz (id, 10 features, y; doubles in repr form). Rows 0–299 train,
rows 300–441 test.

Reference (gpr_mll_sklearn.json): GaussianProcessRegressor(kernel, alpha=1e-10, normalize_y=True,
n_restarts_optimizer=10, random_state=0) with kernel
  rbf: ConstantKernel(1.0) * RBF(1.0) + WhiteKernel(1.0)
  dot: ConstantKernel(1.0) * DotProduct(1.0) + WhiteKernel(1.0)
(all bounds 1e-5..1e5, scikit-learn's defaults). Recorded: the fitted constant, length_scale / sigma_0, noise_level,
log_marginal_likelihood_value_, the test R²; and log_marginal_likelihood(θ, eval_gradient=True) at fixed θ points
(natural-log hyper-parameters) to check the likelihood and its gradient exactly.
"""
import gzip, json
import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, DotProduct, ConstantKernel, WhiteKernel
from sklearn.metrics import r2_score

OUT = "tests/fixtures/learning/"
d = load_diabetes()
X, y = d.data, d.target
names = list(d.feature_names)
with gzip.open(OUT + "gpr_mll_diabetes.csv.gz", "wt") as f:
    f.write("id," + ",".join(names) + ",y\n")
    for i in range(len(y)):
        f.write(f"{i}," + ",".join(repr(float(v)) for v in X[i]) + f",{float(y[i])!r}\n")
# read back exactly what the CSV holds
X = np.array([[float(repr(float(v))) for v in row] for row in X])
Xtr, ytr, Xte, yte = X[:300], y[:300], X[300:], y[300:]

ref = {"command": "/usr/bin/python3 tools/make_gpr_mll_fixture.py", "train_rows": 300}
for name, base in [("rbf", RBF(1.0)), ("dot", DotProduct(1.0))]:
    kernel = ConstantKernel(1.0) * base + WhiteKernel(1.0)
    gp = GaussianProcessRegressor(kernel, alpha=1e-10, normalize_y=True, n_restarts_optimizer=10, random_state=0).fit(Xtr, ytr)
    k = gp.kernel_
    scale = k.k1.k2.length_scale if name == "rbf" else k.k1.k2.sigma_0
    points = []
    for theta in ([0.0, 0.0, 0.0], [0.5, -1.0, -1.5], [np.log(3.0), np.log(0.2), np.log(0.5)]):
        lml, grad = gp.log_marginal_likelihood(np.array(theta), eval_gradient=True)
        points.append({"log_theta": [float(t) for t in theta], "lml": float(lml), "gradient": [float(g) for g in grad]})
    ref[name] = {
        "kernel": str(k),
        "constant": float(k.k1.k1.constant_value), "scale": float(scale), "noise_level": float(k.k2.noise_level),
        "lml": float(gp.log_marginal_likelihood_value_),
        "test_r2": float(r2_score(yte, gp.predict(Xte))),
        "points": points,
    }
    print(name, ref[name]["kernel"], ref[name]["lml"], ref[name]["test_r2"])
with open(OUT + "gpr_mll_sklearn.json", "w") as f:
    json.dump(ref, f, indent=1)
