#!/bin/bash
# Regenerates tests/fixtures/dynamics from the LAMMPS decks in recipes/lammps and tools/dynamics_reference.py.
# Usage: tools/make_dynamics_fixtures.sh   (from the repository root; needs lmp, /usr/bin/python3 with numpy+scipy)
# Input glass: /work/shared/reference/glass-s1/s1_cu50zr50_500.data (500 atoms Cu50Zr50, Mendelev CuZr_mm.eam.fs).
# About 1.5 min on one core. Deterministic on one machine and LAMMPS build: gzip -n and the Python writers put no
# name or time stamp in the gzip headers, so a rerun leaves `git status` clean (compare older files with zcat/cmp).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=${DATA:-/work/shared/reference/glass-s1/s1_cu50zr50_500.data}
RDF=${RDF:-/work/shared/reference/glass-s1/s1_cu50zr50_500.lammps-rdf.txt}   # only printed: first g(r) minimum
FX=$ROOT/tests/fixtures/dynamics
WORK=$(mktemp -d)
mkdir -p "$FX/nve"
cd "$WORK"
D=$ROOT/recipes/lammps
# 1. compression at 50 K, 0..2 % strain, a frame every 0.5 %: orthogonal and tilted cell
lmp -in $D/compression.in -var data $DATA -var out comp_ortho -log comp_ortho.log -screen none
lmp -in $D/compression.in -var data $DATA -var out comp_tri -var tilt 1 -log comp_tri.log -screen none
gzip -9nc comp_ortho.dump > $FX/compression_ortho.dump.gz
gzip -9nc comp_tri.dump > $FX/compression_tri.dump.gz
# 2. isothermal 1500 K, 2 origins, lags 0.01..2 ps, with LAMMPS compute msd per species
lmp -in $D/isothermal.in -var data $DATA -var out iso -var temp 1500 -log iso.log -screen none
gzip -9nc iso.dump > $FX/isothermal_1500K.dump.gz
cp iso.msd.txt $FX/isothermal_1500K.msd.txt
# 3. NVE vibration runs at 50 K from the inherent structure: NRUNS runs (seeds 1001..1000+NRUNS) of TIME ps,
#    frames every DTDUMP ps from DTDUMP on (the shared starting frame is written once, as nve_start)
NRUNS=${NRUNS:-96}; TIME=${TIME:-1.25}; DTDUMP=${DTDUMP:-0.25}
lmp -in $D/nve_vibration.in -var data $DATA -var out nve -var nruns $NRUNS -var time $TIME -var dtdump $DTDUMP \
    -var tfirst $DTDUMP -var dt 0.002 -var digits 3 -log nve.log -screen none
rm -f $FX/nve/nve_*.dump.gz
gzip -9nc nve_start.dump > $FX/nve/nve_start.dump.gz
for k in $(seq 1 $NRUNS); do gzip -9nc nve_$k.dump > $FX/nve/nve_$k.dump.gz; done
# 4. numpy references
/usr/bin/python3 $ROOT/tools/dynamics_reference.py $FX $RDF
rm -rf "$WORK"
du -sh $FX
