#!/usr/bin/python3
"""Reference interstice statistics for glass s1 (tests/fixtures/voronoi/s1o.interstice.csv.gz).

Independent of GlassML: neighbours are the LAMMPS `compute voronoi/atom` plain faces (s1o.plain.local.gz),
positions the LAMMPS dump (minimum image in the orthogonal box), hull = scipy.spatial.ConvexHull (qhull),
solid angles by the l'Huilier formula, radii Cu 1.28 Å, Zr 1.60 Å. Definitions as in
src/GlassML/Descriptors/IntersticeDistribution.cs (Wang & Jain 2019). Run from the repository root:
    /usr/bin/python3 tools/make_interstice_fixture.py
"""
import gzip
import numpy as np
from scipy.spatial import ConvexHull

fx = "tests/fixtures/voronoi/"
R = {1: 1.28, 2: 1.60}
lines = gzip.open(fx + "s1o.atoms.dump.gz", "rt").read().split("\n")
lo, hi = map(float, lines[5].split())
L = hi - lo
atoms = {}
for ln in lines[9:]:
    if not ln.strip():
        continue
    t = ln.split()
    atoms[int(t[0])] = (int(t[1]), np.array([float(t[2]), float(t[3]), float(t[4])]), float(t[5]))
faces = {}
for ln in gzip.open(fx + "s1o.plain.local.gz", "rt").read().split("\n")[9:]:
    if not ln.strip():
        continue
    t = ln.split()
    faces.setdefault(int(float(t[0])), []).append(int(float(t[1])))


def solid_angle(o, a, b, c):
    """Solid angle at o of triangle abc, from the spherical excess (l'Huilier)."""
    u = [(p - o) / np.linalg.norm(p - o) for p in (a, b, c)]
    def arc(x, y):
        return np.arccos(np.clip(np.dot(x, y), -1, 1))
    A, B, C = arc(u[1], u[2]), arc(u[0], u[2]), arc(u[0], u[1])
    s = (A + B + C) / 2
    t = np.tan(s / 2) * np.tan((s - A) / 2) * np.tan((s - B) / 2) * np.tan((s - C) / 2)
    return 4 * np.arctan(np.sqrt(max(t, 0.0)))


def angle(o, a, b):
    x, y = a - o, b - o
    return np.arccos(np.clip(np.dot(x, y) / np.linalg.norm(x) / np.linalg.norm(y), -1, 1))


def stats(v):
    v = np.asarray(v)
    return [v.mean(), v.std(), v.min(), v.max()]


out = ["id,dist_mean,dist_std,dist_min,dist_max,area_mean,area_std,area_min,area_max,vol_mean,vol_std,vol_min,vol_max,packing"]
for i in sorted(atoms):
    ti, ri_pos, vol = atoms[i]
    ri = R[ti]
    pts, rs, dist = [], [], []
    for j in faces[i]:
        tj, rj_pos, _ = atoms[j]
        d = rj_pos - ri_pos
        d -= L * np.round(d / L)
        pts.append(d)
        rs.append(R[tj])
        dist.append(np.linalg.norm(d) / (ri + R[tj]) - 1)
    pts = np.array(pts)
    hull = ConvexHull(pts)
    areas, vols = [], []
    o = np.zeros(3)
    for s in hull.simplices:
        a, b, c = pts[s]
        packed = (angle(a, b, c) * rs[s[0]] ** 2 + angle(b, a, c) * rs[s[1]] ** 2 + angle(c, a, b) * rs[s[2]] ** 2) / 2
        tri = np.linalg.norm(np.cross(b - a, c - a)) / 2
        areas.append(max(0.0, 1 - packed / tri))
        tet = abs(np.dot(a, np.cross(b, c))) / 6
        pv = (solid_angle(o, a, b, c) * ri ** 3 + solid_angle(a, o, b, c) * rs[s[0]] ** 3
              + solid_angle(b, o, a, c) * rs[s[1]] ** 3 + solid_angle(c, o, a, b) * rs[s[2]] ** 3) / 3
        vols.append(max(0.0, 1 - pv / tet))
    row = stats(dist) + stats(areas) + stats(vols) + [4 / 3 * np.pi * ri ** 3 / vol]
    out.append(str(i) + "," + ",".join("%.17g" % x for x in row))
with gzip.GzipFile(fx + "s1o.interstice.csv.gz", "wb", mtime=0) as g:
    g.write(("\n".join(out) + "\n").encode())
print(len(out) - 1, "atoms")
