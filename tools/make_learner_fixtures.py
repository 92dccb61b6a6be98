#!/usr/bin/python3
"""Reference outputs for GlassML's learners (tests/fixtures/learning/).

Run from the repository root with Debian's python (sklearn 1.2, scipy 1.10, liblinear-tools 2.3):

    /usr/bin/python3 tools/make_learner_fixtures.py /work/shared/reference

Inputs (real data): the LAMMPS glass s1 per-atom reference dump (copied to
tests/fixtures/learning/s1_cu50zr50_500.lammps-ref.dump.gz) and DScribe SOAP vectors of that glass
(reference/soap/soap_r5_n8_l6.csv.gz; a rounded subset is written to bond_soap.csv.gz and the
references below are computed from that rounded subset, so the C# tests see identical inputs).
"""
import gzip, os, subprocess, sys, tempfile
import numpy as np
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, DotProduct, ConstantKernel, Kernel
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.preprocessing import StandardScaler
from sklearn.isotonic import IsotonicRegression
from scipy.cluster.hierarchy import linkage, fcluster

REF = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/reference"
OUT = "tests/fixtures/learning"
DUMP = os.path.join(OUT, "s1_cu50zr50_500.lammps-ref.dump.gz")
FEATURES = ["c_vor[1]", "c_vor[2]", "c_q[1]", "c_q[2]", "c_q[3]", "c_q[4]"]  # volume, faces, q4 q6 q8 q10
NTRAIN = 400


def read_dump(path):
    lines = gzip.open(path, "rt").read().splitlines()
    head = lines[8].split()[2:]
    data = np.array([[float(v) for v in l.split()] for l in lines[9:]])
    box = np.array([[float(v) for v in lines[i].split()] for i in (5, 6, 7)])
    return head, data, box


def g(x):
    return repr(float(x))


def write_gz(name, header, rows):
    with gzip.open(os.path.join(OUT, name), "wt") as f:
        f.write(header + "\n")
        for r in rows:
            f.write(" ".join(g(v) if not isinstance(v, (int, np.integer)) else str(v) for v in r) + "\n")


head, data, box = read_dump(DUMP)
col = {h: i for i, h in enumerate(head)}
order = np.argsort(data[:, col["id"]], kind="stable")
data = data[order]
X = data[:, [col[f] for f in FEATURES]]
pe = data[:, col["c_pe"]]
typ = data[:, col["type"]].astype(int)

# ---------------------------------------------------------------- LIBLINEAR -s 11 / -s 2
def liblinear(solver, y, Xm, c, p, bias, eps):
    with tempfile.TemporaryDirectory() as d:
        fn = os.path.join(d, "train.txt")
        with open(fn, "w") as f:
            for yi, xi in zip(y, Xm):
                f.write(g(yi) + " " + " ".join(f"{j+1}:{g(v)}" for j, v in enumerate(xi) if v != 0) + "\n")
        mf = os.path.join(d, "model")
        args = ["liblinear-train", "-q", "-s", str(solver), "-c", g(c), "-B", g(bias), "-e", g(eps)]
        if solver == 11:
            args += ["-p", g(p)]
        subprocess.run(args + [fn, mf], check=True)
        lines = open(mf).read().splitlines()
    labels = None
    w = []
    inw = False
    for l in lines:
        if l.startswith("label"):
            labels = [int(v) for v in l.split()[1:]]
        elif l == "w":
            inw = True
        elif inw:
            w.append([float(v) for v in l.split()])
    return labels, np.array(w)


svm_rows = []
Xt, yt = X[:NTRAIN], pe[:NTRAIN]
for c in (0.1, 10.0):
    for p in (0.0, 0.05):
        for b in (1.0, -1.0):
            _, w = liblinear(11, yt, Xt, c, p, b, 1e-10)
            svm_rows.append(["svr", c, p, b, -1] + list(w[:, 0]) + ([0.0] if b < 0 else []))
# classification: type 1 / 2 (binary) and 3 classes = pe tertiles
tert = np.digitize(pe, np.quantile(pe[:NTRAIN], [1 / 3, 2 / 3])).astype(int)
for c in (0.05, 5.0):
    for b in (1.0, -1.0):
        labels, w = liblinear(2, typ[:NTRAIN], Xt, c, 0, b, 1e-10)
        # binary: one weight vector, positive class = labels[0]
        svm_rows.append(["svc2", c, 0.0, b, labels[0]] + list(w[:, 0]) + ([0.0] if b < 0 else []))
        labels, w = liblinear(2, tert[:NTRAIN], Xt, c, 0, b, 1e-10)
        for k, lab in enumerate(labels):
            svm_rows.append(["svc3", c, 0.0, b, lab] + list(w[:, k]) + ([0.0] if b < 0 else []))
with gzip.open(os.path.join(OUT, "liblinear_weights.txt.gz"), "wt") as f:
    f.write("# kind C p B positive_label w_volume w_faces w_q4 w_q6 w_q8 w_q10 w_bias (0 when B<0); "
            "liblinear-train 2.3 -e 1e-10 on the first 400 atoms (rows sorted by id); svc3 classes = "
            "pe tertiles 0,1,2 (thresholds = quantiles 1/3, 2/3 of the training pe)\n")
    for r in svm_rows:
        f.write(r[0] + " " + " ".join(g(v) if isinstance(v, float) else str(v) for v in r[1:]) + "\n")

# ---------------------------------------------------------------- GPR, vector kernels
sc = StandardScaler().fit(X[:NTRAIN])
Xs = sc.transform(X)
Xtr, Xte = Xs[:NTRAIN], Xs[NTRAIN:]
cases = [
    ("rbf", ConstantKernel(2.0, "fixed") * RBF(1.5, "fixed"), 0.05, False),
    ("rbf_norm", ConstantKernel(2.0, "fixed") * RBF(1.5, "fixed"), 0.05, True),
    ("dot2", DotProduct(0.7, "fixed") ** 2, 0.3, True),
    ("sum", RBF(2.5, "fixed") + ConstantKernel(0.3, "fixed") * DotProduct(1.0, "fixed"), 0.1, True),
]
with gzip.open(os.path.join(OUT, "gpr_vector.txt.gz"), "wt") as f:
    f.write("# case alpha normalize_y | per test row: mean std ; features standardised with StandardScaler fit on "
            "the first 400 atoms; target c_pe; sklearn 1.2 GaussianProcessRegressor(optimizer=None)\n")
    for name, k, a, norm in cases:
        gp = GaussianProcessRegressor(k, alpha=a, optimizer=None, normalize_y=norm).fit(Xtr, pe[:NTRAIN])
        m, s = gp.predict(Xte, return_std=True)
        f.write(f"case {name} {g(a)} {int(norm)} {g(gp.log_marginal_likelihood_value_)} {str(gp.kernel_)!r}\n")
        for mi, si in zip(m, s):
            f.write(g(mi) + " " + g(si) + "\n")


# ---------------------------------------------------------------- GPR, bond kernel (seed method 1)
class BondKernel(Kernel):
    """k = [exp(-(d_m-d_n)^2/2θ^2) · ¼ Σ s·s]^ζ on rows [d, s_i (D), s_j (D)], fixed."""

    def __init__(self, width=0.2, zeta=2.0, dim=1):
        self.width, self.zeta, self.dim = width, zeta, dim

    def __call__(self, A, B=None, eval_gradient=False):
        B = A if B is None else B
        D = self.dim
        da, db = A[:, 0], B[:, 0]
        ia, ja, ib, jb = A[:, 1:1 + D], A[:, 1 + D:], B[:, 1:1 + D], B[:, 1 + D:]
        s = 0.25 * (ia @ ib.T + ia @ jb.T + ja @ ib.T + ja @ jb.T)
        r = np.exp(-((da[:, None] - db[None, :]) ** 2) / (2 * self.width ** 2))
        return (r * s) ** self.zeta

    def diag(self, A):
        return np.diag(self(A))

    def is_stationary(self):
        return False


h2, d2, _ = read_dump(DUMP)
ids = data[:, col["id"]].astype(int)
pos = data[:, [col["x"], col["y"], col["z"]]]
L = box[:, 1] - box[:, 0]
soap = np.loadtxt(os.path.join(REF, "soap", "soap_r5_n8_l6.csv.gz"), delimiter=",")  # rows by id
NA = 40
soap_sub = soap[:NA] / np.linalg.norm(soap[:NA], axis=1)[:, None]
soap_sub = np.array([[float(f"{v:.10g}") for v in r] for r in soap_sub])  # rounded: this IS the input
bonds = []
for i in range(NA):
    for j in range(i + 1, NA):
        dv = pos[j] - pos[i]
        dv -= L * np.round(dv / L)
        d = float(np.linalg.norm(dv))
        if d < 4.0:
            bonds.append((i, j, float(f"{d:.10g}")))
with gzip.open(os.path.join(OUT, "bond_soap.csv.gz"), "wt") as f:
    f.write("# unit-normalised DScribe SOAP (rcut 5, nmax 8, lmax 6, 952 values) of atoms id 1..40 of glass s1, "
            "rounded to 10 significant digits\n")
    for r in soap_sub:
        f.write(",".join(f"{v:.10g}" for v in r) + "\n")
yb = np.array([-(pe[i] + pe[j]) / 2 for i, j, _ in bonds])  # a bond label from real energies
Xb = np.array([[d] + list(soap_sub[i]) + list(soap_sub[j]) for i, j, d in bonds])
nb = len(bonds)
ntr = (2 * nb) // 3
with gzip.open(os.path.join(OUT, "gpr_bond.txt.gz"), "wt") as f:
    f.write("# bonds among atoms id 1..40 with minimum-image d < 4 Å: line 'bond i j d y' (0-based atom index, "
            f"y = -(pe_i+pe_j)/2); first {ntr} train, rest test; then per case: 'case theta zeta noise_mode gamma "
            "normalize lml' and per test bond 'mean std'. noise = gamma * var(y_train) (seed method 1)\n")
    for (i, j, d), y in zip(bonds, yb):
        f.write(f"bond {i} {j} {g(d)} {g(y)}\n")
    for theta, zeta, gamma, norm in ((0.2, 2.0, 0.01, False), (0.5, 4.0, 0.05, True)):
        a = gamma * np.var(yb[:ntr])
        gp = GaussianProcessRegressor(BondKernel(theta, zeta, 952), alpha=a, optimizer=None,
                                      normalize_y=norm).fit(Xb[:ntr], yb[:ntr])
        m, s = gp.predict(Xb[ntr:], return_std=True)
        f.write(f"case {g(theta)} {g(zeta)} var {g(gamma)} {int(norm)} {g(gp.log_marginal_likelihood_value_)}\n")
        for mi, si in zip(m, s):
            f.write(g(mi) + " " + g(si) + "\n")

# ---------------------------------------------------------------- kNN
with gzip.open(os.path.join(OUT, "knn.txt.gz"), "wt") as f:
    f.write("# per k: 'k K' then per test atom (ids 401..500): vote_class mean_type regression_pe "
            "neighbour_indices... (StandardScaler fit on the training rows inside; sklearn 1.2 kd_tree)\n")
    for k in (1, 5, 15):
        Xa, Xb2 = Xs[:NTRAIN], Xs[NTRAIN:]
        clf = KNeighborsClassifier(k, algorithm="kd_tree").fit(Xa, typ[:NTRAIN])
        reg = KNeighborsRegressor(k, algorithm="kd_tree").fit(Xa, pe[:NTRAIN])
        mt = KNeighborsRegressor(k, algorithm="kd_tree").fit(Xa, typ[:NTRAIN].astype(float))
        _, idx = clf.kneighbors(Xb2)
        f.write(f"k {k}\n")
        for c, m, r, ix in zip(clf.predict(Xb2), mt.predict(Xb2), reg.predict(Xb2), idx):
            f.write(f"{c} {g(m)} {g(r)} " + " ".join(str(v) for v in ix) + "\n")

# ---------------------------------------------------------------- isotonic
with gzip.open(os.path.join(OUT, "isotonic.txt.gz"), "wt") as f:
    f.write("# case: x column, y; fit on first 400 atoms; predictions at the x of atoms 401..500 then at "
            "queries q (clip). sklearn 1.2 IsotonicRegression(increasing=True, out_of_bounds='clip')\n")
    for name, xcol, y in (("q6_type", col["c_q[2]"], (typ == 2).astype(float)),
                          ("faces_pe", col["c_vor[2]"], pe),
                          ("vol_pe_w", col["c_vor[1]"], pe)):
        x = data[:, xcol]
        w = None if name != "vol_pe_w" else 0.5 + (np.arange(len(x)) % 3)
        iso = IsotonicRegression(out_of_bounds="clip").fit(x[:NTRAIN], y[:NTRAIN],
                                                           sample_weight=None if w is None else w[:NTRAIN])
        q = np.array([x.min() - 1, x.max() + 1, np.median(x)])
        f.write(f"case {name} {int(w is not None)}\n")
        for v in list(iso.predict(x[NTRAIN:])) + list(iso.predict(q)):
            f.write(g(v) + "\n")

# ---------------------------------------------------------------- linkage
with gzip.open(os.path.join(OUT, "linkage.txt.gz"), "wt") as f:
    f.write("# scipy 1.10 linkage on StandardScaler(first 400)-scaled features of atoms 1..150: per method "
            "'method M', 149 rows 'a b height count', then 'fcluster_distance t labels...' and "
            "'fcluster_maxclust k labels...'\n")
    for m in ("ward", "average", "complete"):
        Z = linkage(Xs[:150], method=m)
        f.write(f"method {m}\n")
        for r in Z:
            f.write(f"{int(r[0])} {int(r[1])} {g(r[2])} {int(r[3])}\n")
        t = float(np.median(Z[:, 2]) * 1.5)
        f.write(f"fcluster_distance {g(t)} " + " ".join(map(str, fcluster(Z, t, "distance"))) + "\n")
        f.write("fcluster_maxclust 6 " + " ".join(map(str, fcluster(Z, 6, "maxclust"))) + "\n")
print("bonds", nb, "train", ntr)
