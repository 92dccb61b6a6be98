#!/usr/bin/python3
"""Split-half reliability of the flexibility volume from NVE runs (not a fixture generator; for reporting).

Usage: /usr/bin/python3 tools/vflex_split_half.py [START.dump] RUN.dump [RUN.dump ...]
All runs must start from the same configuration (recipes/lammps/nve_vibration.in with different seeds) and hold
`id type xu yu zu`. Prints Pearson and Spearman correlations of v_flex = MSD * a between the even- and odd-numbered
runs (a = mean distance to neighbours within 3.775 A, the first g(r) minimum of glass s1), for growing run counts.
a is taken from START.dump when its name contains "_start" (the deck's OUT_start.dump), else from the first frame
of the first run. Runs are used in the order given.
"""
import sys
import numpy as np
from scipy.stats import pearsonr, spearmanr

sys.argv, files = sys.argv[:1], sys.argv[1:]
src = open(__file__.replace('vflex_split_half.py', 'dynamics_reference.py')).read()
exec(src.split("def write_strain")[0])  # read_dump, min_image, FIRST_MIN


def run_msd(path):
    fr = read_dump(path)
    r = np.array([np.stack([f['cols']['xu'], f['cols']['yu'], f['cols']['zu']], 1) for f in fr])
    return ((r - r.mean(0)) ** 2).sum(2).mean(0), fr[0]


first = None
if files and '_start' in files[0]:
    first, files = read_dump(files[0])[0], files[1:]
per = []
for p in files:
    m, f0 = run_msd(p)
    per.append(m)
    first = first or f0
per = np.array(per)
r0 = np.stack([first['cols']['xu'], first['cols']['yu'], first['cols']['zu']], 1)
n = len(r0)
a = np.array([np.sqrt((min_image(r0 - r0[i], first['H']) ** 2).sum(1))[
    (np.sqrt((min_image(r0 - r0[i], first['H']) ** 2).sum(1)) < FIRST_MIN) & (np.arange(n) != i)].mean() for i in range(n)])
for k in sorted({8, 16, 32, 48, 64, 80, 96, len(per)}):
    if k > len(per):
        continue
    e, o = per[:k:2].mean(0) * a, per[1:k:2].mean(0) * a
    print(f"{k} runs ({k // 2} vs {k - k // 2}): Pearson {pearsonr(e, o)[0]:.3f} Spearman {spearmanr(e, o)[0]:.3f}")
