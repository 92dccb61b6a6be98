#!/usr/bin/env bash
# Make the softness method's MD fixture: three Cu64Zr36 glasses quenched with LAMMPS and compressed
# uniaxially to 8 % at 50 K, one frame every 0.2 % strain (41 frames).
#
#   tools/make_softness_fixtures.sh [DEST]      (default DEST: tests/fixtures/softness)
#
# Needs: lmp (Debian `lammps`), CuZr_mm.eam.fs (Debian `lammps-data`), gzip. One process per run, one
# run at a time (about 5 min of CPU per glass on one core). Outputs, per glass gN (N = 1, 2, 3):
#   gN.dump.gz             the compression trajectory (id type x y z, %.6g, sorted by id; frame 0 = the glass
#                          after 2 ps at 50 K, before loading); LAMMPS type 1 = Cu, 2 = Zr
#   gN.stress_strain.txt.gz  step, engineering strain, pxx pyy pzz (bar), compressive stress (GPa), pe (eV)
# and samples.csv (the manifest), README.md (commands, LAMMPS version, potential checksum, timings).
# Environment: LMP (default lmp), POTENTIAL (default /usr/share/lammps/potentials/CuZr_mm.eam.fs),
# QUENCH_OVERRIDE / COMPRESS_OVERRIDE: extra "-var name value" pairs placed first (LAMMPS keeps the first).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="${1:-$ROOT/tests/fixtures/softness}"
LMP="${LMP:-lmp}"
POTENTIAL="${POTENTIAL:-/usr/share/lammps/potentials/CuZr_mm.eam.fs}"
read -r -a QO <<<"${QUENCH_OVERRIDE:-}"
read -r -a CO <<<"${COMPRESS_OVERRIDE:-}"
WORK="$(mktemp -d /tmp/glassml-softness.XXXXXX)"
if [[ "${KEEP_WORK:-0}" != 1 ]]; then trap 'rm -rf "$WORK"' EXIT; fi
mkdir -p "$DEST"
cp "$POTENTIAL" "$WORK/CuZr_mm.eam.fs"
cd "$WORK"

# 7 x 7 x 11 fcc cells = 2156 atoms (longer along the loading axis z)
QUENCH=(-var zrfrac 0.36 -var repx 7 -var repy 7 -var repz 11 -var melt_ps 5 -var rate 200
        -var slow_rate 50 -var slow_hi 1100 -var slow_lo 700 -var hold_ps 1 -var tfinal 50 -var dt 0.002
        -var potential "$WORK/CuZr_mm.eam.fs")
COMPRESS=(-var temp 50 -var rate 0.008 -var strain 0.08 -var dstrain 0.002 -var dt 0.002 -var teq 1
          -var ss 1 -var ssevery 100 -var lean 1 -var fmt %.6g)
SEEDS=(101 202 303)
one() {
  local i=$1 seed=${SEEDS[$(($1-1))]} t0 t1 t2
  t0=$(date +%s.%N)
  "$LMP" -nocite -log "g$i.quench.log" -screen none -in "$ROOT/recipes/lammps/quench.in" "${QO[@]}" \
      -var out "g$i" -var seed "$seed" "${QUENCH[@]}"
  t1=$(date +%s.%N)
  "$LMP" -nocite -log "g$i.comp.log" -screen none -in "$ROOT/recipes/lammps/compression.in" "${CO[@]}" \
      -var data "g$i.data" -var out "g$i" -var seed "$((seed + 7))" "${COMPRESS[@]}"
  t2=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.0f", b-a}' > "g$i.tq"
  awk -v a="$t1" -v b="$t2" 'BEGIN{printf "%.0f", b-a}' > "g$i.tc"
  gzip -n -9 -c "g$i.dump" > "$DEST/g$i.dump.gz"
  gzip -n -9 -c "g$i.stress_strain.txt" > "$DEST/g$i.stress_strain.txt.gz"
  grep IS_ENERGY "g$i.quench.log" | grep -v print > "g$i.is.txt" || true
  grep -h "Loop time" "g$i.quench.log" "g$i.comp.log" > "g$i.loop.txt" || true
  echo "g$i: quench $(cat "g$i.tq") s, compression $(cat "g$i.tc") s (wall)"
}
# the three glasses run at the same time (one process each)
for i in 1 2 3; do one "$i" & done
wait
printf 'file,role,condition\ng1.dump.gz,train,cu64zr36_fast\ng2.dump.gz,train,cu64zr36_fast\ng3.dump.gz,test,cu64zr36_fast\n' > "$DEST/samples.csv"
VERSION="$("$LMP" -h | sed -n 's/^LAMMPS (\(.*\))$/\1/p' | head -1)"
SUM="$(sha256sum "$POTENTIAL" | cut -d' ' -f1)"
{
  echo "# Softness fixture: three Cu64Zr36 glasses compressed to 8 %"
  echo
  echo "Made by \`tools/make_softness_fixtures.sh\` (LAMMPS ${VERSION:-?}, one process; potential CuZr_mm.eam.fs"
  echo "sha256 $SUM). Quench (recipes/lammps/quench.in):"
  echo
  echo "    lmp -in recipes/lammps/quench.in -var out gN -var seed SEED ${QUENCH[*]//$WORK\//}"
  echo
  echo "with SEED = 101, 202, 303 for g1, g2, g3: 7 x 7 x 11 fcc cells (2156 atoms: 1380 Cu, 776 Zr), melt 5 ps at 2000 K,"
  echo "quench at 200 K/ps (2e14 K/s) with 50 K/ps (5e13 K/s) between 1100 and 700 K, 1 ps at 50 K, CG minimisation."
  echo "Compression (recipes/lammps/compression.in):"
  echo
  echo "    lmp -in recipes/lammps/compression.in -var data gN.data -var out gN -var seed SEED+7 ${COMPRESS[*]}"
  echo
  echo "1 ps NPT at 50 K, then z shrinks at an engineering rate of 0.008/ps (8e9/s) to 8 % with x, y at zero stress;"
  echo "a frame every 0.2 % (125 steps), 41 frames, positions %.6g (wrapped), sorted by id. Frame 0 is the glass."
  echo
  echo "| glass | IS energy / volume / atoms after the quench | quench wall s | compression wall s |"
  echo "|---|---|---|---|"
  for i in 1 2 3; do echo "| g$i | $(cat "g$i.is.txt") | $(cat "g$i.tq") | $(cat "g$i.tc") |"; done
  echo
  echo "LAMMPS loop times (CPU of the MD runs, machine shared with other jobs):"
  echo
  for i in 1 2 3; do sed "s/^/    g$i: /" "g$i.loop.txt"; done
  echo
  echo "samples.csv is the manifest (g1, g2 train, g3 test; condition cu64zr36_fast)."
} > "$DEST/README.md"
ls -l "$DEST"
