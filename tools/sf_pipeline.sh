#!/bin/bash
# The sf pipeline end to end: compositions × seeds → quench (recipes/lammps/quench.in) → NVE runs
# (recipes/lammps/nve_vibration.in) → glassml vflex → glassml sf train (grouped by glass). docs/recipes.md gives the
# measured times. Usage (from the repository root):
#   tools/sf_pipeline.sh OUTDIR [ZRFRACS] [SEEDS]          e.g. tools/sf_pipeline.sh /tmp/sfp "0.36 0.50" "1 2"
# Environment (defaults = the fixture settings, 500 atoms): REPS=5 RATE=50 MELT_PS=10 HOLD_PS=2 NRUNS=32
# POTENTIAL=/usr/share/lammps/potentials/CuZr_mm.eam.fs GLASSML="dotnet run --project src/GlassML.Cli -c Release --"
# QUENCH_VARS="" (more quench.in variables, e.g. a cooling schedule with a hold:
#   QUENCH_VARS="-var schedule_t 1200 700 50 -var schedule_rate 500 50 500 -var schedule_hold 0 4 0",
#   or another potential: "-var pairstyle eam/alloy -var el1 Cu -var el2 Zr")  TYPES=1:Cu,2:Zr
# Prints the wall and CPU seconds of every step (LAMMPS steps run under nice -n 10).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$(mkdir -p "$1" && cd "$1" && pwd)
ZRFRACS=${2:-"0.36 0.50"}
SEEDS=${3:-"1"}
REPS=${REPS:-5}; RATE=${RATE:-50}; MELT_PS=${MELT_PS:-10}; HOLD_PS=${HOLD_PS:-2}; NRUNS=${NRUNS:-32}
POTENTIAL=${POTENTIAL:-/usr/share/lammps/potentials/CuZr_mm.eam.fs}
QUENCH_VARS=${QUENCH_VARS:-}; TYPES=${TYPES:-1:Cu,2:Zr}
# cpu: CPU=user + sys seconds of this shell's finished children so far (bash `times`, second line; run in this
# shell, not in a subshell, whose children start from zero)
cpu() { times > "$OUT/.times"; CPU=$(tail -1 "$OUT/.times" | awk '{ split($1, u, "m"); split($2, s, "m"); printf "%.1f", u[1]*60 + u[2] + s[1]*60 + s[2] }'); }
GLASSML=${GLASSML:-"dotnet run --project $ROOT/src/GlassML.Cli -c Release --"}
D=$ROOT/recipes/lammps
echo "file,vflex,group" > "$OUT/samples.csv"
for x in $ZRFRACS; do
  for s in $SEEDS; do
    G=zr${x}_s$s; mkdir -p "$OUT/$G"; cd "$OUT/$G"
    t0=$(date +%s); cpu; c0=$CPU
    # shellcheck disable=SC2086
    nice -n 10 lmp -in $D/quench.in -var out glass -var zrfrac $x -var reps $REPS -var seed $s -var rate $RATE \
        -var melt_ps $MELT_PS -var hold_ps $HOLD_PS -var potential $POTENTIAL $QUENCH_VARS -log quench.log -screen none
    t1=$(date +%s); cpu; c1=$CPU
    cp $POTENTIAL .
    nice -n 10 lmp -in $D/nve_vibration.in -var data glass.data -var out nve -var nruns $NRUNS -var time 1.25 -var dtdump 0.25 \
        -var tfirst 0.25 -var dt 0.002 -var digits 3 -log nve.log -screen none
    t2=$(date +%s); cpu; c2=$CPU
    $GLASSML vflex $(for k in $(seq 1 $NRUNS); do echo nve_$k.dump; done) --start nve_start.dump --types $TYPES --out vflex.csv | tail -2
    t3=$(date +%s); cpu; c3=$CPU
    echo "$G: quench $((t1 - t0)) s wall / $(awk "BEGIN{print $c1 - $c0}") s CPU, NVE $((t2 - t1)) s / $(awk "BEGIN{print $c2 - $c1}") s, vflex $((t3 - t2)) s / $(awk "BEGIN{print $c3 - $c2}") s"
    echo "$G/nve_start.dump,$G/vflex.csv,$G" >> "$OUT/samples.csv"
  done
done
cd "$OUT"
t0=$(date +%s); cpu; c0=$CPU
$GLASSML sf train --samples samples.csv --types $TYPES --out sf_run
cpu; echo "sf train $(( $(date +%s) - t0 )) s wall / $(awk "BEGIN{print $CPU - $c0}") s CPU"
