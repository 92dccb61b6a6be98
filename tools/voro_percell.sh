#!/usr/bin/env bash
# Issue 20, item 3: single-thread CPU per cell of GlassML's cutter against voro++'s, both in-process, on the same atoms.
# GlassML: the bench `voronoi-cells` (tessellation with the cell grid built, every face's neighbour, area, edge count and
# sub-volume kept); voro++ 0.4.6 (Debian's libvoro++): tools/voro_percell.cc (container built and filled, every cell
# computed with neighbour information, its volume and each face's neighbour, area and order kept). Each side prints the
# best CPU of REPEATS tessellations after one warm-up; the pairs are interleaved. Plain cells and radical cells (radii
# Cu 1.28, Zr 1.60 Å, as the GlassML bench uses).
# Usage (repository root): tools/voro_percell.sh DATA_FILE [PAIRS] [REPEATS]
#   DATA_FILE  LAMMPS data file, types 1 = Cu, 2 = Zr, orthogonal periodic box (e.g. tools/bench_all.sh's g32k.data)
# Needs: g++ and voro++-dev (apt-get install g++ voro++-dev).
set -euo pipefail
data=$1; pairs=${2:-3}; reps=${3:-8}
root=$(pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
g++ -O2 -o "$work/voro_percell" "$root/tools/voro_percell.cc" -lvoro++
dotnet build "$root/bench/GlassML.Bench" -c Release -o "$work/bench" > "$work/build.log"
box=$(awk '/xlo xhi/{x=$1" "$2} /ylo yhi/{y=$1" "$2} /zlo zhi/{z=$1" "$2} END{print x, y, z}' "$data")
# id x y z [radius] of the Atoms section (atom style atomic: id type x y z ...)
awk '/^Atoms/{a=1;next} /^(Velocities|Bonds)/{a=0} a&&NF>=5{print $1, $3, $4, $5}' "$data" > "$work/plain.xyz"
awk '/^Atoms/{a=1;next} /^(Velocities|Bonds)/{a=0} a&&NF>=5{print $1, $3, $4, $5, ($2==1 ? 1.28 : 1.60)}' "$data" > "$work/radical.xyz"
echo "$(wc -l < "$work/plain.xyz") atoms, box $box, load $(cut -d' ' -f1 /proc/loadavg)"
for mode in plain radical; do
  for p in $(seq "$pairs"); do
    g=$(DOTNET_TieredCompilation=0 "$work/bench/GlassML.Bench" voronoi-cells "$data" "$reps" "$mode" | awk '/^best/{print $(NF-5)}')
    v=$("$work/voro_percell" $box "$work/$mode.xyz" "$reps" "$mode" | awk '/^best/{print $(NF-5)}')
    echo "$mode pair $p: GlassML $g µs/cell, voro++ $v µs/cell, ratio $(awk -v g="$g" -v v="$v" 'BEGIN{printf "%.2f", g/v}') (load $(cut -d' ' -f1 /proc/loadavg))"
  done
done
