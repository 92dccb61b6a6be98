#!/usr/bin/python3
"""Reference interstice / packing-efficiency features of glass s1 computed by amlearn itself.

Runs the seed authors' own featurizers (github.com/Qi-max/amlearn, amlearn/featurize/short_range_order.py:
DistanceInterstice, VolumeAreaInterstice, ClusterPackingEfficiency, AtomicPackingEfficiency; pure Python +
scipy qhull) on the 500-atom Cu50Zr50 glass s1 (tests/fixtures/voronoi/s1o.atoms.dump.gz). amlearn's own
Voronoi step (Fortran) is not built: its neighbour table is supplied from LAMMPS `compute voronoi/atom`
plain faces (tests/fixtures/voronoi/s1o.plain.local.gz), the same neighbours GlassML's tessellation finds
(no small-face filter), with minimum-image distances. Radii: amlearn's default table (`miracle_radius`),
i.e. Cu 1.26 Å, Zr 1.58 Å (types 1, 2 -> atomic numbers 29, 40).

amlearn is NOT part of this repository; pass the path of an unpacked checkout (used: commit
88189519bc1079ab5085d5871169c223e0d03057). Needs Debian python3-numpy, -scipy, -sklearn, -pandas, -six, -yaml.
Its optional `lockfile` import (file-backend only, unused with save=False) is stubbed. Run from the repo root:

    /usr/bin/python3 tools/make_amlearn_packing_fixture.py /tmp/amlearn

Writes tests/fixtures/amlearn/s1o.amlearn-packing.csv.gz (id then amlearn's column names, %.17g).

Second output, only when amlearn's Fortran Voronoi module has been built in the checkout (outside this repository):
    cd /tmp/amlearn/amlearn/featurize/src && f2py3 -c voronoi_nn.f90 utils.f90 -m voronoi_nn
(Debian gfortran + numpy f2py): tests/fixtures/amlearn/s1o.amlearn-seed.csv.gz, the same features on amlearn's OWN
Voronoi neighbours with its default small-face filter (VoroNN(small_face_thres=0.05, cutoff=5)), i.e. what the seed
pipeline computes; columns id, nbrs (amlearn's neighbour ids, ';'-separated, in its order), then the features.
"""
import gzip
import sys
import types

import numpy as np
import pandas as pd

src = sys.argv[1] if len(sys.argv) > 1 else "/tmp/amlearn"
sys.path.insert(0, src)
sys.modules.setdefault("lockfile", types.ModuleType("lockfile"))
from amlearn.featurize.short_range_order import (  # noqa: E402
    AtomicPackingEfficiency, ClusterPackingEfficiency, DistanceInterstice, VolumeAreaInterstice)

fx = "tests/fixtures/voronoi/"
lines = gzip.open(fx + "s1o.atoms.dump.gz", "rt").read().split("\n")
bds = [list(map(float, lines[k].split())) for k in (5, 6, 7)]
L = np.array([b[1] - b[0] for b in bds])
ids, typ, pos = [], [], []
for ln in lines[9:]:
    if ln.strip():
        t = ln.split()
        ids.append(int(t[0]))
        typ.append(int(t[1]))
        pos.append([float(t[2]), float(t[3]), float(t[4])])
pos = np.array(pos)
where = {i: k for k, i in enumerate(ids)}
nbrs = {i: [] for i in ids}
for ln in gzip.open(fx + "s1o.plain.local.gz", "rt").read().split("\n")[9:]:
    if ln.strip():
        t = ln.split()
        nbrs[int(float(t[0]))].append(int(float(t[1])))

rows = []
for i in ids:
    d = pos[[where[j] for j in nbrs[i]]] - pos[where[i]]
    d -= L * np.round(d / L)
    rows.append([len(nbrs[i]), list(nbrs[i]), list(np.linalg.norm(d, axis=1))])
X = pd.DataFrame(rows, index=ids, columns=["neighbor_num_voro", "neighbor_ids_voro", "neighbor_dists_voro"]).sort_index()
lammps_df = pd.DataFrame({"type": typ, "x": pos[:, 0], "y": pos[:, 1], "z": pos[:, 2]}, index=ids).sort_index()



def features(X):
    blocks = []
    for cls in (DistanceInterstice, VolumeAreaInterstice, ClusterPackingEfficiency, AtomicPackingEfficiency):
        f = cls(save=False, verbose=0, atomic_number_list=[29, 40])
        f.fit(X, lammps_df=lammps_df, bds=bds)
        blocks.append(f.transform(X))
    return pd.concat(blocks, axis=1)


def write(name, out, nbrs=None):
    head = "id," + ("nbrs," if nbrs is not None else "") + ",".join(out.columns) + "\n"
    body = "".join(str(i) + "," + (";".join(str(int(j)) for j in nbrs[i]) + "," if nbrs is not None else "")
                   + ",".join("%.17g" % v for v in out.loc[i].values) + "\n" for i in out.index)
    with gzip.GzipFile("tests/fixtures/amlearn/" + name, "wb", mtime=0) as g:
        g.write((head + body).encode())
    print(name, len(out), "atoms,", len(out.columns), "columns:", ", ".join(out.columns))


write("s1o.amlearn-packing.csv.gz", features(X))

try:
    from amlearn.featurize.nearest_neighbor import VoroNN
    from amlearn.featurize.src import voronoi_nn  # noqa: F401  (built with f2py, see above)
except ImportError:
    print("amlearn's voronoi_nn not built: s1o.amlearn-seed.csv.gz not written")
    sys.exit(0)
nn = VoroNN(small_face_thres=0.05, cutoff=5.0, bds=bds, save=False, print_freq=10 ** 9).transform(lammps_df)
Xa = nn[["neighbor_num_voro", "neighbor_ids_voro", "neighbor_dists_voro"]].copy()
Xa["neighbor_ids_voro"] = [[int(j) for j in v] for v in Xa["neighbor_ids_voro"]]
Xa["neighbor_dists_voro"] = [[float(d) for d in v] for v in Xa["neighbor_dists_voro"]]
Xa["neighbor_num_voro"] = [int(v) for v in Xa["neighbor_num_voro"]]
write("s1o.amlearn-seed.csv.gz", features(Xa), nbrs=dict(zip(Xa.index, Xa["neighbor_ids_voro"])))
