#!/usr/bin/env bash
# Regenerates tests/fixtures/voronoi/ (run from the repository root):
#   LAMMPS `compute voronoi/atom` (plain and radical, neighbors yes) on glass s1, orthogonal and sheared triclinic,
#   and voro++ 0.4.6 CLI Voronoi indices (orthogonal periodic, plain and radical).
# Needs Debian packages lammps (lmp) and voro++. Radii for the radical diagram: Cu (type 1) 1.28 Å, Zr (type 2) 1.60 Å.
set -euo pipefail
root=$(pwd)
data=${1:-/work/shared/reference/glass-s1/s1_cu50zr50_500.data}
out=$root/tests/fixtures/voronoi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
cd "$tmp"
# s1o: the glass as is (orthogonal); s1t: sheared by change_box xy 4.1 xz -2.7 yz 3.3 remap (triclinic)
lmp -in "$root/tools/voronoi_ref.in" -var data "$data" -var tag s1o -var tri 0 -log none -screen none
lmp -in "$root/tools/voronoi_ref.in" -var data "$data" -var tag s1t -var tri 1 -log none -screen none
# voro++ on exactly the positions LAMMPS dumped (columns id x y z [r]); box bounds from the dump header
read -r lo hi < <(sed -n 6p s1o.atoms.dump)
awk 'NR>9{print $1, $3, $4, $5}' s1o.atoms.dump > s1o.xyz
awk 'NR>9{print $1, $3, $4, $5, ($2==1?1.28:1.60)}' s1o.atoms.dump > s1o.xyzr
voro++ -p -o -c "%i %s %A" "$lo" "$hi" "$lo" "$hi" "$lo" "$hi" s1o.xyz
voro++ -p -o -r -c "%i %s %A" "$lo" "$hi" "$lo" "$hi" "$lo" "$hi" s1o.xyzr
for f in s1o.atoms.dump s1o.plain.local s1o.radical.local s1t.atoms.dump s1t.plain.local s1t.radical.local; do
  gzip -9 -n -c "$f" > "$out/$f.gz"
done
gzip -9 -n -c s1o.xyz.vol > "$out/s1o.voro++-plain.vol.gz"
gzip -9 -n -c s1o.xyzr.vol > "$out/s1o.voro++-radical.vol.gz"
ls -l "$out"
