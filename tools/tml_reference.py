#!/usr/bin/env python3
"""Independent references for the machine-learned temperature (tml) workflow, from the committed fixtures.

Usage: /usr/bin/python3 tools/tml_reference.py tests/fixtures/tml
Reads isothermal_{300,700,1000,1500}K.dump.gz (dt 0.001 ps) and creep_300K_2GPa.dump.gz (dt 0.002 ps), LAMMPS type 1 = Cu,
2 = Zr, and writes tests/fixtures/tml/reference/:
  class_means.csv   per run temperature: mean over instances of lg(dr2/T) at each lag (numpy)
  linkage.csv       scipy.cluster.hierarchy.linkage(class_means, 'ward')
  relieff.csv       ReliefF weight per lag (Kononenko 1994, every instance, k = 10, Manhattan distance of range-scaled
                    diffs, ties by row index), written here from the definition in numpy
  knn_creep.csv.gz  per start time and atom id of the creep run: sklearn KNeighborsRegressor(n_neighbors=50) trained on
                    every instance (all 11 lags, label T), applied to the creep windows with the cell deformation
                    removed (every frame mapped into the start frame's cell) and kept
  ideal_points.csv  q6 and normalised w6 of ideal first shells evaluated directly (scipy sph_harm, Wigner 3j by Racah's formula)
  strain_correlation.csv  per creep start time (0, 10, 20, 40 ps) and lag: Pearson r over atoms (numpy corrcoef) of the
                    sklearn T_ML (cell deformation removed) with the Falk-Langer D2min, von Mises shear strain and
                    rotation angle (scipy.linalg.polar) between the start frame and start + lag, neighbours within
                    4 A of the start frame (minimum image, orthogonal cells), written out here in numpy
  knn_cyclic.csv.gz per start time (0, 10 ps) and atom id of the cyclic run cyclic_300K_1GPa.dump.gz (dt 0.002 ps):
                    sklearn KNeighborsRegressor(n_neighbors=50) trained on every instance with the 9 lags 0.01..5 ps
                    (the lags of the cyclic run), cell deformation removed
With --only-strain only strain_correlation.csv is (re)written; with --only-cyclic only knn_cyclic.csv.gz.
Instances: (atom, window) with a window at every frame for which the frames at t0 + lag exist for every lag.
"""
import gzip, io, math, os, sys
from fractions import Fraction
import numpy as np
from scipy.cluster.hierarchy import linkage
from scipy.special import sph_harm
from scipy.linalg import polar
from sklearn.neighbors import KNeighborsRegressor

LAGS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20]
TEMPS = [300, 700, 1000, 1500]


def read_dump(path):
    frames = []
    with gzip.open(path, 'rt') as f:
        lines = f.read().split('\n')
    i = 0
    while i < len(lines):
        if not lines[i].startswith('ITEM: TIMESTEP'):
            i += 1
            continue
        step = int(lines[i + 1]); n = int(lines[i + 3])
        bh = lines[i + 4].split()
        b = [list(map(float, lines[i + 5 + k].split())) for k in range(3)]
        tilt = len(bh) > 6
        cols = lines[i + 8].split()[2:]
        data = np.array([list(map(float, lines[i + 9 + k].split())) for k in range(n)])
        data = data[np.argsort(data[:, cols.index('id')])]
        if tilt:
            xy, xz, yz = b[0][2], b[1][2], b[2][2]
            xlo = b[0][0] - min(0, xy, xz, xy + xz); xhi = b[0][1] - max(0, xy, xz, xy + xz)
            ylo = b[1][0] - min(0, yz); yhi = b[1][1] - max(0, yz)
        else:
            xy = xz = yz = 0.0; xlo, xhi = b[0][:2]; ylo, yhi = b[1][:2]
        zlo, zhi = b[2][:2]
        H = np.array([[xhi - xlo, xy, xz], [0, yhi - ylo, yz], [0, 0, zhi - zlo]])
        O = np.array([xlo, ylo, zlo])
        pos = data[:, [cols.index('xu'), cols.index('yu'), cols.index('zu')]]
        frames.append(dict(step=step, H=H, O=O, pos=pos, ids=data[:, cols.index('id')].astype(int)))
        i += 9 + n
    return {f['step']: f for f in frames}


def windows(frames, dt, T, starts=None, affine=True, lags=LAGS):
    lag_steps = [round(l / dt) for l in lags]
    steps = sorted(frames) if starts is None else [round(s / dt) for s in starts]
    out = []
    for s in steps:
        if not all(s + l in frames for l in lag_steps):
            continue
        f0 = frames[s]
        feat = np.empty((len(f0['pos']), len(lags)))
        for k, l in enumerate(lag_steps):
            ft = frames[s + l]
            r = ft['pos']
            if affine:
                frac = np.linalg.solve(ft['H'], (r - ft['O']).T).T
                r = f0['O'] + frac @ f0['H'].T
            feat[:, k] = np.log10(((r - f0['pos']) ** 2).sum(1) / T)
        out.append((s * dt, f0['ids'], feat))
    return out


def relieff(X, y, k=10):
    n, d = X.shape
    rng = X.max(0) - X.min(0)
    rng[rng == 0] = 1
    Xs = X / rng
    classes, cls = np.unique(y, return_inverse=True)
    prior = np.bincount(cls) / n
    W = np.zeros(d)
    for r in range(n):
        diff = np.abs(Xs - Xs[r])
        dist = diff.sum(1)
        order = np.argsort(dist, kind='stable')
        order = order[order != r]
        hits = [j for j in order if cls[j] == cls[r]][:k]
        W -= diff[hits].sum(0) / (n * len(hits))
        for c in range(len(classes)):
            if c == cls[r]:
                continue
            miss = [j for j in order if cls[j] == c][:k]
            W += prior[c] / (1 - prior[cls[r]]) * diff[miss].sum(0) / (n * len(miss))
    return W


def wigner3j(j1, j2, j3, m1, m2, m3):
    if m1 + m2 + m3 != 0:
        return 0.0
    f = math.factorial
    tri = Fraction(f(j1 + j2 - j3) * f(j1 - j2 + j3) * f(-j1 + j2 + j3), f(j1 + j2 + j3 + 1))
    pre = tri * f(j1 + m1) * f(j1 - m1) * f(j2 + m2) * f(j2 - m2) * f(j3 + m3) * f(j3 - m3)
    s = Fraction(0)
    for t in range(0, 3 * (j1 + j2 + j3) + 1):
        den = [t, j3 - j2 + t + m1, j3 - j1 + t - m2, j1 + j2 - j3 - t, j1 - t - m1, j2 - t + m2]
        if min(den) < 0:
            continue
        p = 1
        for x in den:
            p *= f(x)
        s += Fraction((-1) ** t, p)
    return float((-1) ** (j1 - j2 - m3) * math.sqrt(pre) * s)


def q6w6(vecs):
    l = 6
    v = np.array(vecs, float)
    r = np.linalg.norm(v, axis=1)
    theta = np.arccos(v[:, 2] / r); phi = np.arctan2(v[:, 1], v[:, 0])
    qlm = {m: sph_harm(m, l, phi, theta).mean() for m in range(-l, l + 1)}
    s2 = sum(abs(q) ** 2 for q in qlm.values())
    q = math.sqrt(4 * math.pi / (2 * l + 1) * s2)
    w = 0
    for m1 in range(-l, l + 1):
        for m2 in range(-l, l + 1):
            m3 = -m1 - m2
            if abs(m3) > l:
                continue
            w += wigner3j(l, l, l, m1, m2, m3) * qlm[m1] * qlm[m2] * qlm[m3]
    return q, (w / s2 ** 1.5).real


def ideal_shells():
    phi = (1 + 5 ** 0.5) / 2
    ico = []
    for a in (-1, 1):
        for b in (-phi, phi):
            ico += [(0, a, b), (a, b, 0), (b, 0, a)]
    fcc = []
    for a in (-1, 1):
        for b in (-1, 1):
            fcc += [(a, b, 0), (a, 0, b), (0, a, b)]
    hcp = [(math.cos(k * math.pi / 3), math.sin(k * math.pi / 3), 0) for k in range(6)]
    h = math.sqrt(2 / 3)
    for sgn in (-1, 1):
        for k in range(3):
            ang = math.pi / 6 + k * 2 * math.pi / 3
            hcp.append((math.cos(ang) / math.sqrt(3), math.sin(ang) / math.sqrt(3), sgn * h))
    bcc = [(a, b, c) for a in (-1, 1) for b in (-1, 1) for c in (-1, 1)]
    sc = [(1, 0, 0), (-1, 0, 0), (0, 1, 0), (0, -1, 0), (0, 0, 1), (0, 0, -1)]
    bcc14 = bcc + [(2 * x, 2 * y, 2 * z) for x, y, z in sc]
    return [('ico', ico), ('fcc', fcc), ('hcp', hcp), ('bcc', bcc), ('bcc14', bcc14), ('sc', sc)]


STRAIN_RC = 4.0


def local_strain(f0, ft, rc=STRAIN_RC):
    """Falk-Langer D2min, von Mises shear strain and rotation angle per atom of ft relative to f0 (orthogonal cells)."""
    L0, Lt = np.diag(f0['H']), np.diag(ft['H'])
    assert np.allclose(f0['H'], np.diag(L0)) and np.allclose(ft['H'], np.diag(Lt)), 'orthogonal cells only'
    p0, pt = f0['pos'], ft['pos']
    n = len(p0)
    d2, shear, rot = np.empty(n), np.empty(n), np.empty(n)
    for i in range(n):
        a = p0 - p0[i]; a -= L0 * np.round(a / L0)
        nb = np.where((np.einsum('ij,ij->i', a, a) < rc * rc) & (np.arange(n) != i))[0]
        a = a[nb]
        d = pt[nb] - pt[i]; d -= Lt * np.round(d / Lt)
        J = np.linalg.solve(a.T @ a, a.T @ d)
        d2[i] = ((d - a @ J) ** 2).sum()
        F = J.T
        e = 0.5 * (F.T @ F - np.eye(3))
        shear[i] = math.sqrt(e[0, 1] ** 2 + e[0, 2] ** 2 + e[1, 2] ** 2 +
                             ((e[0, 0] - e[1, 1]) ** 2 + (e[0, 0] - e[2, 2]) ** 2 + (e[1, 1] - e[2, 2]) ** 2) / 6)
        R, _ = polar(F, side='right')
        rot[i] = math.acos(min(1.0, max(-1.0, (np.trace(R) - 1) / 2)))
    return d2, shear, rot


def strain_correlation(fx, out, knn):
    creep = read_dump(os.path.join(fx, 'creep_300K_2GPa.dump.gz'))
    dt = 0.002
    with open(os.path.join(out, 'strain_correlation.csv'), 'w') as f:
        f.write('start_ps,lag_ps,pearson_d2min,pearson_shear_strain,pearson_rotation_angle\n')
        for t0, ids, feat in windows(creep, dt, 300, starts=[0, 10, 20, 40], affine=True):
            tml = knn.predict(feat)
            f0 = creep[round(t0 / dt)]
            for lag in LAGS:
                vals = local_strain(f0, creep[round(t0 / dt) + round(lag / dt)])
                f.write(f'{t0:g},{lag:g},' + ','.join(repr(float(np.corrcoef(tml, v)[0, 1])) for v in vals) + '\n')


def cyclic_reference(fx, out):
    lags = LAGS[:9]
    X, y = [], []
    for T in TEMPS:
        for _, _, feat in windows(read_dump(os.path.join(fx, f'isothermal_{T}K.dump.gz')), 0.001, T, lags=lags):
            X.append(feat); y += [T] * len(feat)
    knn = KNeighborsRegressor(n_neighbors=50).fit(np.vstack(X), np.array(y, float))
    cyc = read_dump(os.path.join(fx, 'cyclic_300K_1GPa.dump.gz'))
    with open(os.path.join(out, 'knn_cyclic.csv.gz'), 'wb') as raw, \
            io.TextIOWrapper(gzip.GzipFile(filename='', mode='wb', compresslevel=9, fileobj=raw, mtime=0)) as f:
        f.write('start_ps,id,tml\n')
        for t0, ids, feat in windows(cyc, 0.002, 300, starts=[0, 10], affine=True, lags=lags):
            for i, p in zip(ids, knn.predict(feat)):
                f.write(f'{t0:g},{i},{p!r}\n')
    print('cyclic: instances', len(y))


def main():
    fx = sys.argv[1]
    if '--only-cyclic' in sys.argv:
        cyclic_reference(fx, os.path.join(fx, 'reference'))
        return
    if '--only-strain' in sys.argv:
        X, y = [], []
        for T in TEMPS:
            for _, _, feat in windows(read_dump(os.path.join(fx, f'isothermal_{T}K.dump.gz')), 0.001, T):
                X.append(feat); y += [T] * len(feat)
        strain_correlation(fx, os.path.join(fx, 'reference'), KNeighborsRegressor(n_neighbors=50).fit(np.vstack(X), np.array(y, float)))
        return
    out = os.path.join(fx, 'reference')
    os.makedirs(out, exist_ok=True)
    X, y = [], []
    for T in TEMPS:
        for _, _, feat in windows(read_dump(os.path.join(fx, f'isothermal_{T}K.dump.gz')), 0.001, T):
            X.append(feat); y += [T] * len(feat)
    X = np.vstack(X); y = np.array(y, float)
    means = np.array([X[y == T].mean(0) for T in TEMPS])
    with open(os.path.join(out, 'class_means.csv'), 'w') as f:
        f.write('temperature,' + ','.join(f'lag_{l:g}' for l in LAGS) + '\n')
        for T, m in zip(TEMPS, means):
            f.write(f'{T},' + ','.join(repr(float(v)) for v in m) + '\n')
    Z = linkage(means, 'ward')
    with open(os.path.join(out, 'linkage.csv'), 'w') as f:
        f.write('a,b,height,size\n')
        for a, b, h, s in Z:
            f.write(f'{int(a)},{int(b)},{h!r},{int(s)}\n')
    W = relieff(X, y, 10)
    with open(os.path.join(out, 'relieff.csv'), 'w') as f:
        f.write('lag_ps,weight\n')
        for l, w in zip(LAGS, W):
            f.write(f'{l:g},{w!r}\n')
    knn = KNeighborsRegressor(n_neighbors=50).fit(X, y)
    creep = read_dump(os.path.join(fx, 'creep_300K_2GPa.dump.gz'))
    rows = []
    res = {}
    for mode, aff in (('remove', True), ('keep', False)):
        for t0, ids, feat in windows(creep, 0.002, 300, starts=[0, 10, 20, 40], affine=aff):
            res[(mode, t0)] = (ids, knn.predict(feat))
    with open(os.path.join(out, 'knn_creep.csv.gz'), 'wb') as raw, \
            io.TextIOWrapper(gzip.GzipFile(filename='', mode='wb', compresslevel=9, fileobj=raw, mtime=0)) as f:
        f.write('start_ps,id,tml_remove,tml_keep\n')
        for t0 in sorted({k[1] for k in res}):
            ids, a = res[('remove', t0)]; _, b = res[('keep', t0)]
            for i, p, q in zip(ids, a, b):
                f.write(f'{t0:g},{i},{p!r},{q!r}\n')
    with open(os.path.join(out, 'ideal_points.csv'), 'w') as f:
        f.write('structure,q6,w6\n')
        for name, v in ideal_shells():
            q, w = q6w6(v)
            f.write(f'{name},{q!r},{w!r}\n')
    strain_correlation(fx, out, knn)
    if os.path.exists(os.path.join(fx, 'cyclic_300K_1GPa.dump.gz')):
        cyclic_reference(fx, out)
    print('instances', len(y), 'class means', means[:, -1], 'relieff', W)


if __name__ == '__main__':
    main()
