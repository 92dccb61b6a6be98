#!/usr/bin/env bash
# Offline check that other tools read GlassML's writers: ASE reads our extended XYZ and LAMMPS dumps, numpy reads
# our .npy and it equals our CSV. Not run by `dotnet test` (needs /usr/bin/python3 with ase and numpy).
# Usage: tools/check_writers_with_ase.sh   (from anywhere)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
dotnet run "$root/tools/io_write_samples.cs" -- write "$out"
/usr/bin/python3 - "$out" "$root/tests/fixtures/io" <<'PY'
import gzip, sys
import numpy as np
import ase.io
out, fx = sys.argv[1], sys.argv[2]
Z = {1: 29, 2: 40}
ref = ase.io.read(fx + "/tri.data.gz", format="lammps-data", style="atomic", Z_of_type=Z, sort_by_id=False)
# 1) extended XYZ written by us, read by ASE
a = ase.io.read(out + "/ours.extxyz", format="extxyz")
assert np.array_equal(a.cell[:], ref.cell[:]), "cell"
assert np.array_equal(a.positions, ref.positions), "positions"          # exact: shortest round-trip text
assert a.get_chemical_symbols() == ref.get_chemical_symbols(), "species"
assert np.array_equal(a.arrays["id"], ref.arrays["id"]), "ids"
assert np.array_equal(a.arrays["half_id"], ref.arrays["id"] * 0.5), "feature"
assert list(a.pbc) == [True, True, True]
print("extxyz: ASE reads cell, positions, species, ids, features exactly")
# 2) LAMMPS dumps written by us, read by ASE
frames = ase.io.read(out + "/ours.dump", format="lammps-dump-text", index=":")
orig = ase.io.read(fx + "/nvt.dump.gz", format="lammps-dump-text", index=":")
assert len(frames) == len(orig) == 4
for p, q in zip(frames, orig):
    assert np.allclose(p.cell[:], q.cell[:], atol=1e-12, rtol=0)
    assert np.array_equal(p.positions, q.positions)
    assert np.array_equal(p.arrays["c_pe"], q.arrays["c_pe"])
t = ase.io.read(out + "/ours_tri.dump", format="lammps-dump-text")
order = np.argsort(ref.arrays["id"])
assert np.allclose(t.cell[:], ref.cell[:], atol=1e-12, rtol=0)
assert np.array_equal(t.positions, ref.positions[order])
print("dump: ASE reads our orthogonal multi-frame and triclinic dumps (cell to 1e-12, positions exact)")
# 3) npy vs csv
m = np.load(out + "/ours.npy")
c = np.genfromtxt(out + "/ours.csv", delimiter=",", names=True, dtype=None, encoding="utf-8")
assert m.dtype == np.float64 and m.shape == (len(ref), 3) and m.flags["C_CONTIGUOUS"]
assert list(c.dtype.names) == ["id", "type", "species", "half_id", "sin_id", "tiny"]
assert np.all(np.diff(c["id"]) > 0)
for j, name in enumerate(["half_id", "sin_id", "tiny"]):
    assert np.array_equal(m[:, j], c[name]), name
assert np.array_equal(m[:, 0], np.sort(ref.arrays["id"]) * 0.5)
print("npy: numpy.load gives float64 (%d, %d), equal to the CSV columns, rows sorted by id" % m.shape)
PY
echo "all writer checks passed"
