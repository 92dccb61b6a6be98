#!/usr/bin/env bash
# Make the ULE fixture: small Cu64Zr36 inherent-structure (IS) samples from several trajectories.
#
#   [REUSE=DIR] tools/make_ule_fixture.sh   # writes tests/fixtures/ule/{is/*.is.dump.gz,is/*.is_energy.log,samples.csv,README.md}
#
# Each trajectory: recipes/lammps/quench.in (256 atoms = 4^3 fcc cells, melt 10 ps at 2000 K, linear quench at RATE K/ps
# to 50 K, 2 ps hold, CG) → recipes/lammps/ule_anneal.in (re-heat to T: 2 ps NPT, then NIS × (DTIS ps NVT → CG IS)).
# The IS energy lines `IS_ENERGY_<k> <eV> NATOMS …` are grepped from the LAMMPS log into <name>.is_energy.log and the
# manifest refers to them as energy = log:is/<name>.is_energy.log:IS_ENERGY_<k> (total eV of the sample).
# One process per run, no MPI; outputs are deterministic for a given LAMMPS build.
# Environment: LMP (default lmp), POTENTIAL (default /usr/share/lammps/potentials/CuZr_mm.eam.fs), DEST (default the
# repository's tests/fixtures/ule), KEEP_WORK=1 keeps the scratch directory.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LMP="${LMP:-lmp}"
POTENTIAL="${POTENTIAL:-/usr/share/lammps/potentials/CuZr_mm.eam.fs}"
DEST="${DEST:-$ROOT/tests/fixtures/ule}"
DECKS="$ROOT/recipes/lammps"
WORK="$(mktemp -d /tmp/glassml-ule.XXXXXX)"
if [[ "${KEEP_WORK:-0}" != 1 ]]; then trap 'rm -rf "$WORK"' EXIT; fi
log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
# CPU seconds of LAMMPS runs: Σ over run/minimize loops of "Loop time" × "% CPU use" (the machine may be shared)
cpu() { awk '/^Loop time of/ {lt = $4} /CPU use with/ {s += lt * ($1 + 0) / 100} END {printf "%.0f", s}' "$@"; }

# Quenched glasses: name  seed  rate (K/ps)
QUENCH=(
  "qa 101 100"
  "qc 103 100"
)
# Anneals (one trajectory = one CV group each): name  glass  T(K)  nis  dtis(ps)  role  rx ry rz  shear(1/ps)  seed
ANNEAL=(
  "qa  qa 700 10 1 train 1 1 1 0    101"
  "qc  qc 900 10 1 train 1 1 1 0    103"
  "qa5 qa 500 10 1 train 1 1 1 0    5"
  "qc6 qc 600 10 1 train 1 1 1 0.02 6"
  "qa8 qa 800 10 1 train 1 1 1 0    8"
  "qt  qc 750 6  1 test  1 1 1 0    9"
  "xa  qa 700 3  1 test  2 1 1 0    11"
)
# REUSE=DIR[:DIR…]: take a quench's DIR/NAME/NAME.data and an anneal's DIR/NAME/{anneal.log,NAME.is.dump.gz,cmds} from an
# earlier (identical, deterministic) run instead of recomputing; an anneal still running there is waited for.
REUSE="${REUSE:-}"
mkdir -p "$WORK/is"
run_quench() {
  local name seed rate d cmd
  read -r name seed rate <<<"$1"
  d="$WORK/$name"; mkdir -p "$d"
  cmd="lmp -in recipes/lammps/quench.in -var out $name -var reps 4 -var seed $seed -var rate $rate -var melt_ps 10 -var hold_ps 2"
  local r from=""
  for r in ${REUSE//:/ }; do [[ -f "$r/$name/$name.data" && -f "$r/$name/quench.log" ]] && { from="$r/$name"; break; }; done
  if [[ -n "$from" ]]; then
    log "$name: reusing $from/$name.data"; cp "$from/$name.data" "$from/quench.log" "$d/"
  else
    log "$name: $cmd"
    (cd "$d" && "$LMP" -in "$DECKS/quench.in" -var out "$name" -var reps 4 -var seed "$seed" -var rate "$rate" \
        -var melt_ps 10 -var hold_ps 2 -var potential "$POTENTIAL" -log quench.log -screen none)
  fi
  echo "$cmd    # $(cpu "$d/quench.log") s" > "$d/quench.cmd"
}
run_anneal() {
  local name glass T nis dtis role rx ry rz shear seed d cmd
  read -r name glass T nis dtis role rx ry rz shear seed <<<"$1"
  d="$WORK/anneal_$name"; mkdir -p "$d"
  cmd="lmp -in recipes/lammps/ule_anneal.in -var data $glass.data -var out $name -var T $T -var nis $nis -var dtis $dtis -var rx $rx -var ry $ry -var rz $rz -var shear $shear -var seed $seed"
  local r from=""
  for r in ${REUSE//:/ }; do
    for from in "$r/anneal_$name" "$r/$name"; do [[ -f "$from/anneal.log" ]] && break 2; from=""; done
  done
  if [[ -n "$from" ]]; then
    log "$name: reusing $from (waiting for it to finish)"
    while ! grep -q "^ULE_ANNEAL_DONE" "$from/anneal.log"; do sleep 10; done
    sleep 2; cp "$from/anneal.log" "$from/$name.is.dump.gz" "$d/"
  else
    log "$name: $cmd"
    (cd "$d" && "$LMP" -in "$DECKS/ule_anneal.in" -var data "$WORK/$glass/$glass.data" -var out "$name" -var T "$T" -var nis "$nis" \
        -var dtis "$dtis" -var rx "$rx" -var ry "$ry" -var rz "$rz" -var shear "$shear" -var seed "$seed" \
        -var potential "$POTENTIAL" -log anneal.log -screen none)
  fi
  echo "$cmd    # $(cpu "$d/anneal.log") s" > "$d/anneal.cmd"
  grep -q "^ULE_ANNEAL_DONE" "$d/anneal.log"
  grep -E '^IS_ENERGY_[0-9]+ ' "$d/anneal.log" > "$WORK/is/$name.is_energy.log"
  cp "$d/$name.is.dump.gz" "$WORK/is/"
  log "$name: done"
}
# every run is one LAMMPS process; the quenches, then the anneals, each set in parallel
for q in "${QUENCH[@]}"; do run_quench "$q" & done; wait
for a in "${ANNEAL[@]}"; do run_anneal "$a" & done; wait
ROWS=()
CMDS=()
for q in "${QUENCH[@]}"; do read -r name _ <<<"$q"; CMDS+=("$(cat "$WORK/$name/quench.cmd")"); done
for a in "${ANNEAL[@]}"; do
  read -r name glass T nis dtis role rx ry rz shear seed <<<"$a"
  test "$(wc -l < "$WORK/is/$name.is_energy.log")" -eq "$nis"
  CMDS+=("$(cat "$WORK/anneal_$name/anneal.cmd")")
  for ((k = 0; k < nis; k++)); do ROWS+=("is/$name.is.dump.gz,$k,log:is/$name.is_energy.log:IS_ENERGY_$k,$name,$role"); done
done
TOTAL="$(cpu "$WORK"/*/quench.log "$WORK"/anneal_*/anneal.log)"
rm -rf "$DEST/is"; mkdir -p "$DEST/is"
cp "$WORK"/is/* "$DEST/is/"
{ echo "file,frame,energy,group,role"; printf '%s\n' "${ROWS[@]}"; } > "$DEST/samples.csv"
{
  echo "# ULE fixture: Cu64Zr36 inherent structures from seven anneals"
  echo
  echo "Made by \`tools/make_ule_fixture.sh\` on $(date -u +%Y-%m-%d) with LAMMPS $("$LMP" -h | sed -n 's/^Large-scale Atomic\/Molecular Massively Parallel Simulator - //p' | head -n 1),"
  echo "potential \`CuZr_mm.eam.fs\` (Mendelev 2009, sha256 \`$(sha256sum "$POTENTIAL" | awk '{print $1}')\`), one process."
  echo "LAMMPS type 1 = Cu, 2 = Zr. Total LAMMPS CPU time (Σ loop time × CPU use over all logs; the runs went in parallel on a shared 2-core machine): ${TOTAL} s."
  echo
  echo "- \`is/NAME.is.dump.gz\` — the inherent structures of one anneal, one frame per IS (frame k = IS k),"
  echo "  \`id type x y z ix iy iz\`, sorted by id."
  echo "- \`is/NAME.is_energy.log\` — the \`IS_ENERGY_<k> <E eV> NATOMS <N> VOLUME <Å³> T <K> TIME <ps>\` lines grepped from"
  echo "  the anneal's LAMMPS log."
  echo "- \`samples.csv\` — the ULE manifest: \`file,frame,energy,group,role\`; energy = \`log:FILE:KEY\` (the number after"
  echo "  KEY in FILE: the total IS energy in eV); group = the quenched glass the sample came from."
  echo
  echo "Quenched glasses (name, seed, rate K/ps; 256 atoms):"
  echo
  printf '    %s\n' "${QUENCH[@]}"
  echo
  echo "Anneals = trajectories = CV groups (name, glass, T K, IS count, Δt ps, role, replication rx ry rz, shear rate 1/ps, seed):"
  echo
  printf '    %s\n' "${ANNEAL[@]}"
  echo
  echo "\`xa\` is the glass \`qa\` replicated 2×1×1 (512 atoms) and annealed: size-transfer test samples."
  echo "\`qc6\` is annealed under steady shear (fix deform xy erate 0.02/ps) with IS snapshots."
  [[ -n "$REUSE" ]] && echo "Runs marked reused were taken from an earlier run of the same commands (REUSE=…; LAMMPS is deterministic on one process)."
  echo
  echo "Commands (in a scratch directory per trajectory, with \`-var potential …\`; CPU seconds from each log):"
  echo
  printf '    %s\n' "${CMDS[@]}"
} > "$DEST/README.md"
log "done: $(wc -l < "$DEST/samples.csv") lines in samples.csv, ${TOTAL} s LAMMPS"
