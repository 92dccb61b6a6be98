#!/usr/bin/env bash
# Regenerates tests/fixtures/sro: full-precision LAMMPS compute orientorder/atom references
# (q4 q6 q8 q10, raw w4..w10, normalized ŵ4..ŵ10; cutoff 3.8 Å, all neighbours) for the
# 500-atom Cu50Zr50 glass s1, in its orthogonal cell and in a sheared (triclinic) copy.
# Usage: tools/make_sro_fixtures.sh [path/to/s1_cu50zr50_500.data]
# Needs: lmp (Debian lammps 20220106), gzip. Runs in a few seconds on one core.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
src="${1:-/work/shared/reference/glass-s1/s1_cu50zr50_500.data}"
out="$here/tests/fixtures/sro"
mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$src" "$work/glass.data"
cd "$work"
cat > in.sro <<'LMP'
units metal
atom_style atomic
boundary p p p
read_data glass.data
# no forces are needed: a zero pair style only supplies the ghost-atom cutoff
pair_style zero 6.0
pair_coeff * *
comm_modify cutoff 12.0
compute q all orientorder/atom degrees 4 4 6 8 10 nnn NULL cutoff 3.8 wl yes wl/hat yes
dump d all custom 1 ortho.dump id type x y z c_q[*]
dump_modify d sort id format float %.17g
run 0
undump d
write_data ortho.data
# sheared copy: tilt factors applied with an affine remap of the atoms
change_box all triclinic
change_box all xy final 4.1 xz final -2.7 yz final 3.3 remap units box
write_data tri.data
dump t all custom 1 tri.dump id type x y z c_q[*]
dump_modify t sort id format float %.17g
run 0
LMP
lmp -nocite -log none -in in.sro > lmp.out 2>&1 || { tail -20 lmp.out; exit 1; }
for f in ortho.data ortho.dump tri.data tri.dump; do
  gzip -9n -c "$f" > "$out/s1_$f.gz"
done
ls -l "$out"
