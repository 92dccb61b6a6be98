#!/usr/bin/env bash
# Make the ULE fixture: small Cu64Zr36 inherent-structure (IS) samples from several trajectories.
#
#   tools/make_ule_fixture.sh            # writes tests/fixtures/ule/{is/*.is.dump.gz,is/*.is_energy.log,samples.csv,README.md}
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
cpu() { awk '/^Total wall time/ {split($4, t, ":"); s += t[1]*3600 + t[2]*60 + t[3]} END {print s+0}' "$@"; }

# name  quench-seed  rate(K/ps)  anneal-T(K)  nis  dtis(ps)  role  rx ry rz  shear(1/ps)  from
TRAJ=(
  "qa 101 100 700 10 1 train 1 1 1 0 -"
  "qb 102 10  700 10 1 train 1 1 1 0 -"
  "qc 103 100 900 10 1 train 1 1 1 0 -"
  "qd 104 10  500 10 1 train 1 1 1 0 -"
  "qe 105 30  800 10 1 train 1 1 1 0.02 -"
  "qf 106 30  700 6  1 test  1 1 1 0 -"
  "xa 0   0   700 3  1 test  2 2 2 0 qa"
)
mkdir -p "$WORK/is"
ROWS=()
CMDS=()
for t in "${TRAJ[@]}"; do
  read -r name seed rate T nis dtis role rx ry rz shear from <<<"$t"
  d="$WORK/$name"; mkdir -p "$d"
  if [[ "$from" == "-" ]]; then
    qcmd="lmp -in recipes/lammps/quench.in -var out $name -var reps 4 -var seed $seed -var rate $rate -var melt_ps 10 -var hold_ps 2"
    log "$name: $qcmd"
    (cd "$d" && "$LMP" -in "$DECKS/quench.in" -var out "$name" -var reps 4 -var seed "$seed" -var rate "$rate" \
        -var melt_ps 10 -var hold_ps 2 -var potential "$POTENTIAL" -log quench.log -screen none)
    CMDS+=("$qcmd    # $(cpu "$d/quench.log") s")
    data="$d/$name.data"
  else
    data="$WORK/$from/$from.data"
  fi
  acmd="lmp -in recipes/lammps/ule_anneal.in -var data ${from/-/$name}.data -var out $name -var T $T -var nis $nis -var dtis $dtis -var rx $rx -var ry $ry -var rz $rz -var shear $shear -var seed ${seed/#0/9}"
  log "$name: $acmd"
  (cd "$d" && "$LMP" -in "$DECKS/ule_anneal.in" -var data "$data" -var out "$name" -var T "$T" -var nis "$nis" \
      -var dtis "$dtis" -var rx "$rx" -var ry "$ry" -var rz "$rz" -var shear "$shear" -var seed "${seed/#0/9}" \
      -var potential "$POTENTIAL" -log anneal.log -screen none)
  CMDS+=("$acmd    # $(cpu "$d/anneal.log") s")
  grep -q ULE_ANNEAL_DONE "$d/anneal.log"
  grep -E '^IS_ENERGY_[0-9]+ ' "$d/anneal.log" > "$WORK/is/$name.is_energy.log"
  cp "$d/$name.is.dump.gz" "$WORK/is/"
  for ((k = 0; k < nis; k++)); do ROWS+=("is/$name.is.dump.gz,$k,log:is/$name.is_energy.log:IS_ENERGY_$k,${from/-/$name},$role"); done
done
TOTAL="$(cpu "$WORK"/*/*.log)"
rm -rf "$DEST/is"; mkdir -p "$DEST/is"
cp "$WORK"/is/* "$DEST/is/"
{ echo "file,frame,energy,group,role"; printf '%s\n' "${ROWS[@]}"; } > "$DEST/samples.csv"
{
  echo "# ULE fixture: Cu64Zr36 inherent structures from seven anneals"
  echo
  echo "Made by \`tools/make_ule_fixture.sh\` on $(date -u +%Y-%m-%d) with LAMMPS $("$LMP" -h | sed -n 's/^Large-scale Atomic\/Molecular Massively Parallel Simulator - //p' | head -n 1),"
  echo "potential \`CuZr_mm.eam.fs\` (Mendelev 2009, sha256 \`$(sha256sum "$POTENTIAL" | awk '{print $1}')\`), one process."
  echo "LAMMPS type 1 = Cu, 2 = Zr. Total LAMMPS CPU (sum of \"Total wall time\" of all logs): ${TOTAL} s."
  echo
  echo "- \`is/NAME.is.dump.gz\` — the inherent structures of one anneal, one frame per IS (frame k = IS k),"
  echo "  \`id type x y z ix iy iz\`, sorted by id."
  echo "- \`is/NAME.is_energy.log\` — the \`IS_ENERGY_<k> <E eV> NATOMS <N> VOLUME <Å³> T <K> TIME <ps>\` lines grepped from"
  echo "  the anneal's LAMMPS log."
  echo "- \`samples.csv\` — the ULE manifest: \`file,frame,energy,group,role\`; energy = \`log:FILE:KEY\` (the number after"
  echo "  KEY in FILE: the total IS energy in eV); group = the quenched glass the sample came from."
  echo
  echo "Trajectories (name, quench seed, quench rate K/ps, anneal T K, IS count, Δt ps, role, replication, shear rate 1/ps, from):"
  echo
  printf '    %s\n' "${TRAJ[@]}"
  echo
  echo "\`xa\` is the glass of \`qa\` replicated 2×2×2 (2,048 atoms) and annealed: size-transfer test samples (group qa)."
  echo "\`qe\` is annealed under steady shear (fix deform xy erate 0.02/ps) with IS snapshots."
  echo
  echo "Commands (in a scratch directory per trajectory, with \`-var potential …\`; CPU seconds from each log):"
  echo
  printf '    %s\n' "${CMDS[@]}"
} > "$DEST/README.md"
log "done: $(wc -l < "$DEST/samples.csv") lines in samples.csv, ${TOTAL} s LAMMPS"
