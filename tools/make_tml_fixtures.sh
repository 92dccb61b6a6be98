#!/bin/bash
# Regenerates tests/fixtures/tml: isothermal runs of glass s1 (500 atoms Cu50Zr50) at several temperatures and a
# short creep run (stress ramp, then hold), with frames at log-spaced lags after each time origin.
# Usage: tools/make_tml_fixtures.sh   (from anywhere; needs lmp and CuZr_mm.eam.fs from lammps-data)
#   TEMPS="300 700 1000:1 1500"  isothermal temperatures (K), T:N = N time origins (default 2)
#   WORK=DIR  keep the LAMMPS outputs there
# Isothermal: recipes/lammps/isothermal.in, 2 ps NPT then NVT, 2 origins 20 ps apart (1000 K: one origin, to fit the
# session's time on a loaded machine), lags 0.01..20 ps (1-2-5, 11 lags), dt 0.001 ps, 4 decimals. Creep: recipes/lammps/creep_log.in at 300 K, compression along z ramped
# 0 -> 2 GPa in 10 ps, then held; start times 0, 10, 20, 40 ps with the same lags (dt 0.002 ps; the 0.01 ps lag is
# 5 steps). Cyclic: recipes/lammps/cyclic_log.in at 300 K, zero-mean sinusoidal stress of amplitude 1 GPa and period
# 20 ps for 15 ps, start times 0 and 10 ps, lags 0.01..5 ps (CYCLIC=0 skips it). Tensile: recipes/lammps/tensile.in at
# 300 K prints the sample's yield stress (TENSILE=0 skips it). About 5 min per isothermal run and 4 min for the creep on
# one (shared) core.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
FX=$ROOT/tests/fixtures/tml
D=$ROOT/recipes/lammps
TEMPS=${TEMPS:-300 700 1000:1 1500}
WORK=${WORK:-$(mktemp -d)}
mkdir -p "$FX" "$WORK"
cd "$WORK"
gzip -dc "$ROOT/tests/fixtures/glass-s1/s1_cu50zr50_500.data.gz" > s1.data
[ -e CuZr_mm.eam.fs ] || ln -s /usr/share/lammps/potentials/CuZr_mm.eam.fs .
for TN in $TEMPS; do
  T=${TN%%:*}; N=2; [ "$TN" != "$T" ] && N=${TN#*:}
  lmp -in $D/isothermal.in -var data s1.data -var out iso$T -var temp $T -var nlags 11 -var norigins $N \
      -var digits 4 -log iso$T.log -screen none
  gzip -9nc iso$T.dump > "$FX/isothermal_${T}K.dump.gz"
done
# schedule NLAGS EXTRA START...: the steps (dt 0.002 ps) of every start time (ps) and start + lag for the first NLAGS
# lags of 0.01, 0.02, 0.05, ... ps, plus the step EXTRA (e.g. the end of the creep ramp), one a line
schedule() {
  /usr/bin/python3 - "$@" <<'PY'
import sys
nlags, extra, starts = int(sys.argv[1]), int(sys.argv[2]), [float(v) for v in sys.argv[3:]]
lags = [a * 10.0**e for e in range(-2, 2) for a in (1, 2, 5)][:nlags]
steps = {extra}
for s in starts:
    steps.add(round(s / 0.002))
    steps.update(round((s + l) / 0.002) for l in lags)
print("\n".join(str(x) for x in sorted(steps)))
PY
}
if [ "${CREEP:-1}" = 1 ]; then
  # schedule: start times 0, 10, 20, 40 ps and start + lag for lags 0.01..20 ps (dt 0.002 ps), plus the ramp end
  schedule 11 5000 0 10 20 40 > creep_steps.txt
  lmp -in $D/creep_log.in -var data s1.data -var schedule creep_steps.txt -var out creep -var temp 300 \
      -var stress 2.0 -var tramp 10 -var dt 0.002 -log creep.log -screen none
  gzip -9nc creep.dump > "$FX/creep_300K_2GPa.dump.gz"
  cp creep.strain.txt "$FX/creep_300K_2GPa.strain.txt"
fi
if [ "${CYCLIC:-1}" = 1 ]; then
  # zero-mean sinusoidal stress, amplitude 1 GPa (about a third of this sample's tensile yield stress at 300 K, see
  # TENSILE below), period 20 ps (5e10 Hz), 15 ps; start times 0 and 10 ps (rising compression, rising tension) and
  # start + lag for the lags 0.01..5 ps
  schedule 9 0 0 10 > cyclic_steps.txt
  lmp -in $D/cyclic_log.in -var data s1.data -var schedule cyclic_steps.txt -var out cyclic -var temp 300 \
      -var amp 1.0 -var period 20 -var dt 0.002 -log cyclic.log -screen none
  gzip -9nc cyclic.dump > "$FX/cyclic_300K_1GPa.dump.gz"
  cp cyclic.strain.txt "$FX/cyclic_300K_1GPa.strain.txt"
fi
if [ "${TENSILE:-1}" = 1 ]; then
  # tensile test for the yield stress the creep and cyclic stresses are set against (printed, not a fixture)
  lmp -in $D/tensile.in -var data s1.data -var out tensile -var temp 300 -log tensile.log -screen none
  grep -o 'YIELD_STRESS_GPA.*' tensile.log
fi
ls -l "$FX"
