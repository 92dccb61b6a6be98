#!/bin/bash
# Regenerates tests/fixtures/dynamics/nve_ortho500: NVE vibration runs of the Cu64Zr36 glass ortho500 (the transfer
# check of the sf method). Usage: tools/make_nve_ortho500_fixture.sh   (from the repository root; needs lmp)
# Same deck and settings as the NVE fixture of glass s1 (tools/make_dynamics_fixtures.sh): 50 K from the inherent
# structure (initial velocities at 100 K), runs of 1.25 ps at dt 0.002 ps, frames every 0.25 ps from 0.25 ps on,
# 3 decimals; only NRUNS runs (default 32, velocity seeds 1001..1032). About 2 min CPU on one core (~4 s per run).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
FX=$ROOT/tests/fixtures/dynamics/nve_ortho500
NRUNS=${NRUNS:-32}
WORK=$(mktemp -d)
mkdir -p "$FX"
cd "$WORK"
zcat "$ROOT/tests/fixtures/glasses/ortho500/glass.data.gz" > glass.data
cp /usr/share/lammps/potentials/CuZr_mm.eam.fs .
lmp -in "$ROOT/recipes/lammps/nve_vibration.in" -var data glass.data -var out nve -var nruns $NRUNS -var time 1.25 \
    -var dtdump 0.25 -var tfirst 0.25 -var dt 0.002 -var digits 3 -log nve.log -screen none
rm -f "$FX"/nve_*.dump.gz
gzip -9nc nve_start.dump > "$FX/nve_start.dump.gz"
for k in $(seq 1 $NRUNS); do gzip -9nc nve_$k.dump > "$FX/nve_$k.dump.gz"; done
grep "Loop time" nve.log | awk '{s += $4} END {printf "LAMMPS loop time %.1f s over %d runs\n", s, NR}'
rm -rf "$WORK"
du -sh "$FX"
