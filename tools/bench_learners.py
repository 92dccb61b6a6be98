#!/usr/bin/python3
"""Reference timings for docs/benchmarks.md (Learning): scikit-learn kNN queries and LIBLINEAR -s 11 training.

    /usr/bin/python3 tools/bench_learners.py [dir] [--no-knn]   # default dir /tmp/glassml-bench

Writes the shared data once (float64 little-endian, row-major) so that the C# harness
(bench/GlassML.Bench/Learning/LearnersBench.cs, reads GLASSML_BENCH_DIR) uses identical inputs:
  knn_train.bin 100000×10, knn_query.bin 100000×10 (standard normal, seed 0),
  svr_x.bin 100000×10 (standard normal, seed 1), svr_y.bin y = x·w + 0.1 N(0,1), w_j = (j+1)/10.
"""
import os, sys, time
import numpy as np

args = [a for a in sys.argv[1:] if not a.startswith("--")]
d = args[0] if args else "/tmp/glassml-bench"
os.makedirs(d, exist_ok=True)
N, F, K = 100_000, 10, 50


def data(name, make):
    p = os.path.join(d, name)
    if not os.path.exists(p):
        make().astype("<f8").tofile(p)
    return np.fromfile(p, dtype="<f8")


r0 = np.random.default_rng(0)
train = data("knn_train.bin", lambda: r0.standard_normal((N, F))).reshape(N, F)
query = data("knn_query.bin", lambda: r0.standard_normal((N, F))).reshape(N, F)
r1 = np.random.default_rng(1)
sx = data("svr_x.bin", lambda: r1.standard_normal((N, F))).reshape(N, F)
sy = data("svr_y.bin", lambda: sx @ (np.arange(1, F + 1) / 10) + 0.1 * r1.standard_normal(N))

from sklearn.neighbors import KNeighborsRegressor
import sklearn
knn = KNeighborsRegressor(n_neighbors=K, algorithm="kd_tree", leaf_size=30, n_jobs=2).fit(train, np.zeros(N))
if "--no-knn" not in sys.argv:
    t, c = time.perf_counter(), time.process_time()
    knn.kneighbors(query)
    tk, ck = time.perf_counter() - t, time.process_time() - c
    print(f"sklearn {sklearn.__version__} KDTree kneighbors k={K}, {N}x{F} train, {N} queries, n_jobs=2: "
          f"wall {tk:.2f} s, CPU {ck:.2f} s; load average {os.getloadavg()[0]:.1f}")

from liblinearutil import problem, parameter, train as lltrain
prob = problem(list(sy), [{j + 1: float(v) for j, v in enumerate(row)} for row in sx], bias=1)
for eps in (1e-4, 1e-8):
    t, c = time.perf_counter(), time.process_time()
    m = lltrain(prob, parameter(f"-s 11 -c 1 -p 0.1 -B 1 -e {eps} -q"))
    tl, cl = time.perf_counter() - t, time.process_time() - c
    w = [m.get_decfun_coef(j + 1) for j in range(F)] + [m.get_decfun_bias()]
    print(f"LIBLINEAR 2.3 -s 11 -c 1 -p 0.1 -B 1 -e {eps:g}, {N}x{F}: wall {tl:.3f} s, CPU {cl:.3f} s; w = {np.round(w, 6).tolist()}")
