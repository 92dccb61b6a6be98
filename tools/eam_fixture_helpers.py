#!/usr/bin/python3
"""Helpers for tools/make_eam_fixtures.sh (numpy only).

  eam_fixture_helpers.py smallcell OUT.data SEED
      A 32-atom Cu–Zr cell (2×2×2 fcc, a = 3.75 Å, 12 random Zr, random displacements ≤ 0.2 Å, triclinic tilts)
      whose edges are shorter than the 7.6 Å EAM cutoff: every atom meets several images of itself and of others.
  eam_fixture_helpers.py pickbonds DATA CUTOFF N SEED I.txt J.txt
      N pairs (id_i < id_j) with exactly one periodic image of j within CUTOFF of i, spread over the three pair
      types and over distances from the first shell to 0.8·CUTOFF; ids one per line in I.txt / J.txt.
"""
import sys
import numpy as np


def read_data(path):
    lines = open(path).read().splitlines()
    lo = {}; tilt = (0.0, 0.0, 0.0); atoms = []
    k = 0
    while k < len(lines):
        t = lines[k].split()
        if len(t) >= 4 and t[2] in ('xlo', 'ylo', 'zlo'):
            lo[t[2][0]] = (float(t[0]), float(t[1]))
        if len(t) >= 6 and t[3] == 'xy':
            tilt = (float(t[0]), float(t[1]), float(t[2]))
        if t and t[0] == 'Atoms':
            k += 2
            while k < len(lines) and lines[k].strip():
                v = lines[k].split()
                atoms.append((int(v[0]), int(v[1]), float(v[2]), float(v[3]), float(v[4])))
                k += 1
            break
        k += 1
    xy, xz, yz = tilt
    H = np.array([[lo['x'][1] - lo['x'][0], xy, xz], [0, lo['y'][1] - lo['y'][0], yz], [0, 0, lo['z'][1] - lo['z'][0]]])
    a = np.array(atoms)
    return a[:, 0].astype(int), a[:, 1].astype(int), a[:, 2:5], H


def smallcell(out, seed):
    rng = np.random.default_rng(seed)
    a = 3.75
    basis = np.array([[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]])
    frac = np.array([(b + [i, j, k]) / 2.0 for i in range(2) for j in range(2) for k in range(2) for b in basis])
    lx = ly = lz = 2 * a
    xy, xz, yz = 1.1, -0.8, 0.6
    H = np.array([[lx, xy, xz], [0, ly, yz], [0, 0, lz]])
    pos = frac @ H.T + rng.uniform(-0.2, 0.2, size=frac.shape)
    types = np.ones(len(pos), dtype=int)
    types[rng.choice(len(pos), 12, replace=False)] = 2
    with open(out, 'w') as f:
        f.write(f'Cu-Zr small triclinic cell (tools/eam_fixture_helpers.py smallcell, seed {seed})\n\n')
        f.write(f'{len(pos)} atoms\n2 atom types\n\n')
        f.write(f'0.0 {lx!r} xlo xhi\n0.0 {ly!r} ylo yhi\n0.0 {lz!r} zlo zhi\n{xy!r} {xz!r} {yz!r} xy xz yz\n\n')
        f.write('Masses\n\n1 63.546\n2 91.224\n\nAtoms # atomic\n\n')
        for i, (p, t) in enumerate(zip(pos, types)):
            f.write(f'{i + 1} {t} {p[0]!r} {p[1]!r} {p[2]!r}\n')


def pickbonds(data, cutoff, n, seed, fi, fj):
    ids, types, x, H = read_data(data)
    rng = np.random.default_rng(seed)
    shifts = np.array([[a, b, c] for a in (-1, 0, 1) for b in (-1, 0, 1) for c in (-1, 0, 1)]) @ H.T
    cand = {1: [], 2: [], 3: []}
    for i in range(len(ids)):
        d = x[None, :, :] - x[i][None, None, :] + shifts[:, None, :]
        r = np.linalg.norm(d, axis=2)
        within = (r < cutoff).sum(axis=0)
        for j in np.nonzero(within == 1)[0]:
            if ids[j] <= ids[i]:
                continue
            rr = r[:, j][r[:, j] < cutoff][0]
            cand[types[i] + types[j] - 1].append((ids[i], ids[j], rr))
    chosen = []
    per = [n // 3 + (1 if k < n % 3 else 0) for k in range(3)]
    for k, key in enumerate((1, 2, 3)):
        c = sorted(cand[key], key=lambda t: t[2])
        # half from the first shell (shortest 10 %), half spread over the rest closer than 0.8·CUTOFF
        m = per[k]
        first = c[: max(1, len(c) // 10)]
        rest = [t for t in c[len(c) // 10:] if t[2] < 0.8 * cutoff]
        pick = [first[q] for q in rng.choice(len(first), (m + 1) // 2, replace=False)]
        pick += [rest[q] for q in rng.choice(len(rest), m // 2, replace=False)]
        chosen += pick
    with open(fi, 'w') as f:
        f.writelines(f'{b[0]}\n' for b in chosen)
    with open(fj, 'w') as f:
        f.writelines(f'{b[1]}\n' for b in chosen)


if __name__ == '__main__':
    cmd = sys.argv[1]
    if cmd == 'smallcell':
        smallcell(sys.argv[2], int(sys.argv[3]))
    elif cmd == 'pickbonds':
        pickbonds(sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6], sys.argv[7])
    else:
        sys.exit(__doc__)
