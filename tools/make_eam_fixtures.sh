#!/usr/bin/env bash
# Regenerate tests/fixtures/eam/: LAMMPS references for GlassML's EAM layer (src/GlassML/Potentials, Dynamics/NormalModes).
#
#   tools/make_eam_fixtures.sh
#
# Needs lmp (Debian `lammps`, one process), the potentials of Debian `lammps-data`, /usr/bin/python3 with numpy, gzip.
# Everything is written to tests/fixtures/eam/ (gzip -n: no time stamps); see the README written there.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LMP="${LMP:-lmp}"
POTDIR="${POTDIR:-/usr/share/lammps/potentials}"
FS="$POTDIR/CuZr_mm.eam.fs"
ALLOY="$POTDIR/CuNi.eam.alloy"
OUT="$ROOT/tests/fixtures/eam"
WORK="$(mktemp -d /tmp/glassml-eam.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT"
cd "$WORK"
lmp_run() { "$LMP" -log none -screen none "$@"; }

gzip -n -c "$FS" > "$OUT/CuZr_mm.eam.fs.gz"
gzip -n -c "$ALLOY" > "$OUT/CuNi.eam.alloy.gz"

zcat "$ROOT/tests/fixtures/glasses/ortho500/glass.data.gz" > ortho500.data
zcat "$ROOT/tests/fixtures/glasses/tilted500/glass.data.gz" > tilted500.data
zcat "$ROOT/src/GlassML/Resources/demo_cu64zr36.data.gz" > demo.data
/usr/bin/python3 "$ROOT/tools/eam_fixture_helpers.py" smallcell small.data 13
gzip -n -c small.data > "$OUT/small32.data.gz"

# per-atom energies and forces: eam/fs (Cu Zr) on all four structures, eam/alloy (CuNi file: type 1 = Cu, type 2 = Ni)
for g in ortho500 tilted500 demo small; do
  lmp_run -in "$ROOT/tools/eam_reference.in" -var data $g.data -var style eam/fs -var potential "$FS" -var elements "Cu Zr" -var out $g.fs
  gzip -n -c $g.fs.dump > "$OUT/$g.fs.dump.gz"
done
for g in ortho500 tilted500 small; do
  lmp_run -in "$ROOT/tools/eam_reference.in" -var data $g.data -var style eam/alloy -var potential "$ALLOY" -var elements "Cu Ni" -var out $g.alloy
  gzip -n -c $g.alloy.dump > "$OUT/$g.alloy.dump.gz"
done

# bond-cutting energies from LAMMPS's own neighbour-list exclusion (recipes/lammps/bond_cut_energy.in)
bonds() { # glass style potential elements cutoff seed tag
  /usr/bin/python3 "$ROOT/tools/eam_fixture_helpers.py" pickbonds $1.data $5 12 $6 i.txt j.txt
  lmp_run -in "$ROOT/recipes/lammps/bond_cut_energy.in" -var data $1.data -var style $2 -var potential "$3" \
    -var elements "$4" -var bonds_i i.txt -var bonds_j j.txt -var out $1.$7.bonds.txt
  cp $1.$7.bonds.txt "$OUT/"
}
bonds ortho500 eam/fs "$FS" "Cu Zr" 7.6 1 fs
bonds tilted500 eam/fs "$FS" "Cu Zr" 7.6 2 fs
bonds ortho500 eam/alloy "$ALLOY" "Cu Ni" 6.394332378 3 alloy

# a tight inherent structure of ortho500 (CG, FIRE, CG at fixed box)
lmp_run -in "$ROOT/tools/eam_minimize.in" -var data ortho500.data -var potential "$FS" -var out ortho500_is
gzip -n -c ortho500_is.dump > "$OUT/ortho500_is.dump.gz"
echo "done: $OUT"
