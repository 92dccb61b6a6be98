#!/usr/bin/env bash
# Regenerates tests/fixtures/columns/ (run from the repository root): glass s1 (500 Cu50Zr50 atoms, Mendelev potential)
# dumped by LAMMPS with the extra per-atom columns users have in their dumps — a compute (c_pe, c_s[1]), an atom-style
# variable (v_pe2 = 2·c_pe), a fix (f_ave = fix ave/atom of c_pe) and the per-atom mass — two frames (timesteps 0, 10 of
# NVE at 300 K), gzip. No `element` column and no type map: the species must come from the mass column.
# Needs lmp (Debian package lammps) and /usr/share/lammps/potentials/CuZr_mm.eam.fs.
set -euo pipefail
root=$(pwd)
out=$root/tests/fixtures/columns
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
zcat "$root/tests/fixtures/glass-s1/s1_cu50zr50_500.data.gz" > "$tmp/s1.data"
cd "$tmp"
cat > in.columns <<'IN'
units metal
atom_style atomic
read_data s1.data
pair_style eam/fs
pair_coeff * * /usr/share/lammps/potentials/CuZr_mm.eam.fs Cu Zr
compute pe all pe/atom
compute s all stress/atom NULL
variable pe2 atom 2.0*c_pe
fix ave all ave/atom 1 1 1 c_pe
velocity all create 300 4711 dist gaussian
fix nve all nve
timestep 0.002
dump d all custom 10 s1_columns.dump.gz id type mass x y z c_pe c_s[1] v_pe2 f_ave
dump_modify d format float %.17g
run 10
IN
lmp -in in.columns -log none -screen none
cp s1_columns.dump.gz "$out/"
echo "wrote $out/s1_columns.dump.gz"
