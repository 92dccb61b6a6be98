#!/bin/bash
# The sf pipeline end to end: compositions × seeds → quench (recipes/lammps/quench.in) → NVE runs
# (recipes/lammps/nve_vibration.in) → glassml vflex → glassml sf train (grouped by glass). docs/recipes.md gives the
# measured times. Usage (from the repository root):
#   tools/sf_pipeline.sh OUTDIR [ZRFRACS] [SEEDS]          e.g. tools/sf_pipeline.sh /tmp/sfp "0.36 0.50" "1 2"
# Environment (defaults = the fixture settings, 500 atoms): REPS=5 RATE=50 MELT_PS=10 HOLD_PS=2 NRUNS=32
# POTENTIAL=/usr/share/lammps/potentials/CuZr_mm.eam.fs GLASSML="dotnet run --project src/GlassML.Cli -c Release --"
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$(mkdir -p "$1" && cd "$1" && pwd)
ZRFRACS=${2:-"0.36 0.50"}
SEEDS=${3:-"1"}
REPS=${REPS:-5}; RATE=${RATE:-50}; MELT_PS=${MELT_PS:-10}; HOLD_PS=${HOLD_PS:-2}; NRUNS=${NRUNS:-32}
POTENTIAL=${POTENTIAL:-/usr/share/lammps/potentials/CuZr_mm.eam.fs}
GLASSML=${GLASSML:-"dotnet run --project $ROOT/src/GlassML.Cli -c Release --"}
D=$ROOT/recipes/lammps
echo "file,vflex,group" > "$OUT/samples.csv"
for x in $ZRFRACS; do
  for s in $SEEDS; do
    G=zr${x}_s$s; mkdir -p "$OUT/$G"; cd "$OUT/$G"
    t0=$(date +%s)
    lmp -in $D/quench.in -var out glass -var zrfrac $x -var reps $REPS -var seed $s -var rate $RATE \
        -var melt_ps $MELT_PS -var hold_ps $HOLD_PS -var potential $POTENTIAL -log quench.log -screen none
    t1=$(date +%s)
    cp $POTENTIAL .
    lmp -in $D/nve_vibration.in -var data glass.data -var out nve -var nruns $NRUNS -var time 1.25 -var dtdump 0.25 \
        -var tfirst 0.25 -var dt 0.002 -var digits 3 -log nve.log -screen none
    t2=$(date +%s)
    $GLASSML vflex $(for k in $(seq 1 $NRUNS); do echo nve_$k.dump; done) --start nve_start.dump --types 1:Cu,2:Zr --out vflex.csv | tail -2
    t3=$(date +%s)
    echo "$G: quench $((t1 - t0)) s, NVE $((t2 - t1)) s, vflex $((t3 - t2)) s"
    echo "$G/nve_start.dump,$G/vflex.csv,$G" >> "$OUT/samples.csv"
  done
done
cd "$OUT"
t0=$(date +%s)
$GLASSML sf train --samples samples.csv --types 1:Cu,2:Zr --out sf_run
echo "sf train $(( $(date +%s) - t0 )) s"
