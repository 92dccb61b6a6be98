#!/usr/bin/env bash
# Regenerates tests/fixtures/io/* (except the two copies of the glass-s1 reference files) with LAMMPS and ASE.
# Usage: tools/make_io_fixtures.sh   (from the repository root; needs lmp, /usr/bin/python3 with ase, numpy)
# Deterministic: fixed velocity seed, single MPI rank.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
fx="$root/tests/fixtures/io"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

gzip -dc "$fx/s1_cu50zr50_500.data.gz" > "$work/s1.data"
cp /usr/share/lammps/potentials/CuZr_mm.eam.fs "$work/"

cat > "$work/io.in" <<'EOF'
# (c) short NVT run from the glass: 4 frames 50 steps apart, orthogonal box, unsorted atoms
units metal
atom_style atomic
boundary p p p
read_data s1.data
pair_style eam/fs
pair_coeff * * CuZr_mm.eam.fs Cu Zr
neighbor 1.0 bin
compute pe all pe/atom
velocity all create 1200 4242 dist gaussian
timestep 0.002
fix 1 all nvt temp 1200 1200 0.1
dump t all custom 50 nvt.dump id type x y z ix iy iz vx vy vz c_pe
run 150
undump t
unfix 1
# (a) triclinic box with tilts, atoms remapped; full-precision x y z
change_box all triclinic
change_box all xy final 3.0 xz final -2.0 yz final 1.5 remap units box
write_dump all custom tri.dump id type x y z modify format float %.17g
# (b) scaled and unwrapped coordinates with image flags (same triclinic box)
write_dump all custom scaled.dump id type xs ys zs xu yu zu ix iy iz modify format float %.17g
# triclinic data file with velocities
write_data tri.data
EOF
(cd "$work" && lmp -in io.in -log none -screen none)

/usr/bin/python3 "$root/tools/make_io_fixtures.py" "$work" "$fx"
ls -l "$fx"
