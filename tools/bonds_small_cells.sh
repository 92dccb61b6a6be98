#!/bin/sh
# An ensemble of small exact-N glass cells for the bonds method, labelled and listed in a manifest:
#   tools/bonds_small_cells.sh OUTDIR [NCELLS=10] [NATOMS=100] [extra lmp -var settings ...]
# Each cell: recipes/lammps/small_cells.in with seed k (k = 1..NCELLS), then `glassml bonds label --source eam`
# (the classical stand-in; for DFT labels run LOBSTER on the same cells and use --source lobster --icohp).
# Writes OUTDIR/cell_k.data, OUTDIR/cell_k_labels.csv and OUTDIR/samples.csv (file,labels,group) for `bonds train`.
# Run from the repository root after `dotnet build src/GlassML.Cli -c Release`.
set -e
out=${1:?usage: tools/bonds_small_cells.sh OUTDIR [NCELLS] [NATOMS] [lmp -var ...]}
n=${2:-10}; natoms=${3:-100}
shift; [ $# -gt 0 ] && shift; [ $# -gt 0 ] && shift
G="dotnet src/GlassML.Cli/bin/Release/net10.0/GlassML.Cli.dll"
pot=${POTENTIAL:-/usr/share/lammps/potentials/CuZr_mm.eam.fs}
mkdir -p "$out"
echo "file,labels,group" > "$out/samples.csv"
k=1
while [ "$k" -le "$n" ]; do
    lmp -in recipes/lammps/small_cells.in -var out "$out/cell_$k" -var natoms "$natoms" -var seed "$k" -var potential "$pot" "$@" -log none -screen none
    $G bonds label "$out/cell_$k.data" --types 1:Cu,2:Zr --source eam --potential "$pot" --out "$out/cell_${k}_labels.csv"
    echo "cell_$k.data,cell_${k}_labels.csv,cell_$k" >> "$out/samples.csv"
    k=$((k + 1))
done
echo "wrote $out/samples.csv"
