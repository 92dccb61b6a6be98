#!/usr/bin/python3
"""Builds the Io test fixtures from LAMMPS outputs (see make_io_fixtures.sh) and ASE.

usage: make_io_fixtures.py WORKDIR FIXTUREDIR

Inputs in WORKDIR: s1.data (glass s1), tri.dump, scaled.dump, nvt.dump, tri.data (written by LAMMPS).
Outputs in FIXTUREDIR (all gzip text):
  tri.dump.gz, scaled.dump.gz, nvt.dump.gz, tri.data.gz  - the LAMMPS files, compressed
  ase.extxyz.gz                                          - 2 frames written by ase.io.write (extxyz)
  *.ase-ref.txt.gz                                       - what ASE reads from each input (see write_ref)

Reference format (one block per frame):
  frame K natoms N
  cell ax ay az / cell bx by bz / cell cx cy cz     lattice vectors (Å, ASE cell rows)
  origin ox oy oz                                   cell origin (Å)
  pbc 1 1 1
  columns id x y z [extra ...]
  N rows sorted by id, numbers with 17 significant digits.
Conventions compared (documented in tests/fixtures/io/README.md):
  - lammps-dump-text: ASE keeps x y z as written (no wrapping); for scaled xs ys zs ASE builds
    positions = s @ cell WITHOUT the origin, so the reference adds ASE's celldisp: positions + celldisp.
  - lammps-data: ASE ignores xlo ylo zlo; the origin is parsed here from the header lines.
  - velocities are converted back from ASE units to LAMMPS metal units (Å/ps).
"""
import gzip
import io
import os
import shutil
import sys

import numpy as np
import ase.io
from ase.calculators.lammps import convert

work, out = sys.argv[1], sys.argv[2]
Z_OF_TYPE = {1: 29, 2: 40}


def g(v):
    return "%.17g" % v


def write_ref(path, frames):
    """frames: list of dicts with cell (3x3), origin (3), pbc (3), ids (N), pos (Nx3), extra {name: (N,)}."""
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as z, \
            io.TextIOWrapper(z, encoding="utf-8", newline="\n") as f:
        for k, fr in enumerate(frames):
            ids = np.asarray(fr["ids"])
            order = np.argsort(ids, kind="stable")
            f.write("frame %d natoms %d\n" % (k, len(ids)))
            for v in fr["cell"]:
                f.write("cell %s\n" % " ".join(g(x) for x in v))
            f.write("origin %s\n" % " ".join(g(x) for x in fr["origin"]))
            f.write("pbc %s\n" % " ".join("1" if p else "0" for p in fr["pbc"]))
            names = list(fr.get("extra", {}).keys())
            f.write("columns id x y z %s\n" % " ".join(names))
            for i in order:
                row = [str(int(ids[i]))] + [g(x) for x in fr["pos"][i]]
                row += [g(fr["extra"][n][i]) for n in names]
                f.write(" ".join(row) + "\n")
    print("wrote", path)


def gz_copy(src, dst):
    with open(src, "rb") as a, open(dst, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as b:
        shutil.copyfileobj(a, b)
    print("wrote", dst)


def data_origin(path):
    o = [0.0, 0.0, 0.0]
    with open(path) as f:
        for line in f:
            w = line.split("#")[0].split()
            if len(w) == 4 and w[2:] in (["xlo", "xhi"], ["ylo", "yhi"], ["zlo", "zhi"]):
                o["xyz".index(w[2][0])] = float(w[0])
            if w and w[0] == "Masses":
                break
    return o


# ---- LAMMPS dumps read by ASE ------------------------------------------------------------------
for name, scaled in (("tri.dump", False), ("scaled.dump", True), ("nvt.dump", False)):
    src = os.path.join(work, name)
    gz_copy(src, os.path.join(out, name + ".gz"))
    images = ase.io.read(os.path.join(out, name + ".gz"), format="lammps-dump-text", index=":")
    frames = []
    for a in images:
        disp = np.asarray(a.get_celldisp()).reshape(3)
        pos = a.get_positions() + (disp if scaled else 0.0)
        extra = {}
        if "c_pe" in a.arrays:
            extra["c_pe"] = a.arrays["c_pe"].reshape(-1)
        try:
            v = a.get_velocities()
        except Exception:
            v = None
        if v is not None and np.any(v != 0):
            v = convert(v, "velocity", "ASE", "metal")
            extra["vx"], extra["vy"], extra["vz"] = v[:, 0], v[:, 1], v[:, 2]
        # ASE sorts dump atoms by id (order=True); ids themselves are not kept, so they are 1..N here
        ids = np.arange(1, len(a) + 1)
        frames.append(dict(cell=a.cell[:], origin=disp, pbc=a.pbc, ids=ids, pos=pos, extra=extra))
    write_ref(os.path.join(out, name.replace(".dump", ".dump.ase-ref.txt.gz")), frames)

# ---- LAMMPS data files read by ASE -------------------------------------------------------------
gz_copy(os.path.join(work, "tri.data"), os.path.join(out, "tri.data.gz"))
for name, path in (("s1_cu50zr50_500.data", os.path.join(work, "s1.data")), ("tri.data", os.path.join(work, "tri.data"))):
    a = ase.io.read(path, format="lammps-data", style="atomic", Z_of_type=Z_OF_TYPE, sort_by_id=True, units="metal")
    v = convert(a.get_velocities(), "velocity", "ASE", "metal")
    extra = {"vx": v[:, 0], "vy": v[:, 1], "vz": v[:, 2]}
    fr = dict(cell=a.cell[:], origin=data_origin(path), pbc=a.pbc, ids=a.arrays["id"], pos=a.get_positions(), extra=extra)
    write_ref(os.path.join(out, name + ".ase-ref.txt.gz"), [fr])

# ---- extended XYZ written by ASE, read back by ASE ---------------------------------------------
base = ase.io.read(os.path.join(work, "tri.data"), format="lammps-data", style="atomic", Z_of_type=Z_OF_TYPE,
                   sort_by_id=True, units="metal")
ids = base.arrays["id"].copy()
rng = np.random.default_rng(7)
frames_out = []
for k in range(2):
    a = ase.Atoms(symbols=base.get_chemical_symbols(), positions=base.get_positions() + 0.05 * k,
                  cell=base.cell[:], pbc=True)
    a.new_array("energy_atom", rng.normal(-4.0, 0.3, len(a)))         # R:1
    a.new_array("dipole", rng.normal(0.0, 1.0, (len(a), 3)))          # R:3 → dipole_0..2
    a.new_array("tag_int", rng.integers(-5, 50, len(a)).astype(int))  # I:1
    a.new_array("flagged", rng.random(len(a)) < 0.3)                  # L:1
    a.new_array("id", ids.astype(int))                                # I:1 → ids
    a.info["Timestep"] = 100 * k
    a.info["note"] = "made by ASE for GlassML io tests"
    frames_out.append(a)
xyz = os.path.join(work, "ase.extxyz")
ase.io.write(xyz, frames_out, format="extxyz")
gz_copy(xyz, os.path.join(out, "ase.extxyz.gz"))
frames = []
for a in ase.io.read(os.path.join(out, "ase.extxyz.gz"), format="extxyz", index=":"):
    extra = {"energy_atom": a.arrays["energy_atom"], "tag_int": a.arrays["tag_int"].astype(float),
             "flagged": a.arrays["flagged"].astype(float)}
    for j in range(3):
        extra["dipole_%d" % j] = a.arrays["dipole"][:, j]
    frames.append(dict(cell=a.cell[:], origin=a.get_celldisp().reshape(3), pbc=a.pbc, ids=a.arrays["id"],
                       pos=a.get_positions(), extra=extra))
write_ref(os.path.join(out, "ase.extxyz.ase-ref.txt.gz"), frames)
