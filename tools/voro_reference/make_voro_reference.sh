#!/usr/bin/env bash
# Builds tools/voro_reference/driver.cc against a voro++ source tree kept OUTSIDE the repository and writes the
# voro++ reference fixtures tests/fixtures/voronoi/TAG.voro++-{plain,radical}.txt.gz for the glass s1 dumps
# (TAG = s1o orthogonal, s1t triclinic; positions from tests/fixtures/voronoi/TAG.atoms.dump.gz).
# Run from the repository root:
#   tools/voro_reference/make_voro_reference.sh [VORO_SRC]
# VORO_SRC: a voro++ checkout (directory holding src/voro++.cc). Without it the public repository
# https://github.com/chr1shr/voro is cloned into a temporary directory. Radii (radical): Cu (type 1) 1.28 Å, Zr (type 2) 1.60 Å.
set -euo pipefail
root=$(pwd)
out=$root/tests/fixtures/voronoi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
src=${1:-}
if [[ -z "$src" ]]; then
  git clone -q https://github.com/chr1shr/voro "$tmp/voro"
  src=$tmp/voro
fi
[[ -f "$src/src/voro++.cc" ]] || { echo "no voro++ source in $src" >&2; exit 1; }
rev=$(git -C "$src" rev-parse HEAD 2>/dev/null || echo unknown)
echo "voro++ source: $src (commit $rev)" >&2
g++ -O2 -std=c++11 -Wall -I"$src/src" -o "$tmp/voro_reference" "$root/tools/voro_reference/driver.cc" "$src/src/voro++.cc"
for tag in s1o s1t; do
  gzip -dc "$out/$tag.atoms.dump.gz" > "$tmp/$tag.dump"
  "$tmp/voro_reference" "$tmp/$tag.dump" | gzip -9 -n > "$out/$tag.voro++-plain.txt.gz"
  "$tmp/voro_reference" "$tmp/$tag.dump" 1.28 1.60 | gzip -9 -n > "$out/$tag.voro++-radical.txt.gz"
done
ls -l "$out"/*.voro++-*.txt.gz
