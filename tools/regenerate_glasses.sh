#!/usr/bin/env bash
# Regenerate GlassML's Cu–Zr glasses and their reference outputs.
#
#   tools/regenerate_glasses.sh [demo] [ortho500] [tilted500]     (default: all three)
#
# demo       Cu64Zr36, 2048 atoms, orthogonal  → src/GlassML/Resources/demo_cu64zr36.data.gz
#            (embedded in the library) + LAMMPS references in tests/fixtures/glasses/demo/
# ortho500   Cu64Zr36, 500 atoms, orthogonal   → tests/fixtures/glasses/ortho500/ (+ voro++ CLI)
# tilted500  Cu64Zr36, 500 atoms, triclinic (xy = 0.30 lx, xz = −0.25 lx, yz = 0.20 ly)
#                                               → tests/fixtures/glasses/tilted500/
#
# Needs: lmp (LAMMPS with MANYBODY + VORONOI; Debian package `lammps`), the potential file
# CuZr_mm.eam.fs (Debian package `lammps-data`), voro++ (Debian package `voro++`), gzip, awk.
# Every LAMMPS run is a single process (no mpirun). Each fixture folder gets a README.md written
# by this script with the exact commands, the LAMMPS version, the potential checksum, the seeds and
# the inherent-structure energy and volume. Outputs are deterministic for a given LAMMPS build
# (one process); gzip -n keeps the compressed bytes free of time stamps.
#
# Environment overrides: LMP (LAMMPS binary, default lmp), VORO (default voro++),
# POTENTIAL (default /usr/share/lammps/potentials/CuZr_mm.eam.fs), KEEP_WORK=1 keeps the scratch dir,
# DEST_ROOT (default: the repository; outputs go to $DEST_ROOT/tests/fixtures/glasses and
# $DEST_ROOT/src/GlassML/Resources), QUENCH_OVERRIDE (extra "-var name value" pairs placed before the
# defaults; LAMMPS keeps the first -var of a name, so they win — e.g. for a quick smoke test:
#   DEST_ROOT=/tmp/x QUENCH_OVERRIDE="-var melt_ps 1 -var rate 2000 -var hold_ps 0.2" tools/regenerate_glasses.sh).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LMP="${LMP:-lmp}"
VORO="${VORO:-voro++}"
POTENTIAL="${POTENTIAL:-/usr/share/lammps/potentials/CuZr_mm.eam.fs}"
DECKS="$ROOT/recipes/lammps"
DEST_ROOT="${DEST_ROOT:-$ROOT}"
FIXTURES="$DEST_ROOT/tests/fixtures/glasses"
RESOURCES="$DEST_ROOT/src/GlassML/Resources"
read -r -a OVERRIDE <<<"${QUENCH_OVERRIDE:-}"
WORK="$(mktemp -d /tmp/glassml-glasses.XXXXXX)"
if [[ "${KEEP_WORK:-0}" != 1 ]]; then trap 'rm -rf "$WORK"' EXIT; fi

RCU=1.28   # radical Voronoi radius of Cu (Å)
RZR=1.60   # radical Voronoi radius of Zr (Å)

LMP_VERSION="$("$LMP" -h | sed -n 's/^Large-scale Atomic\/Molecular Massively Parallel Simulator - //p' | head -n 1)"
LMP_PACKAGE="$(dpkg-query -W -f '${Version}' lammps 2>/dev/null || echo unknown)"
VORO_VERSION="$("$VORO" --version 2>&1 | head -n 1)"
POT_SHA="$(sha256sum "$POTENTIAL" | awk '{print $1}')"

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# Extract "IS_ENERGY e VOLUME v NATOMS n" from a LAMMPS screen log.
is_line() { grep -E '^IS_ENERGY ' "$1" | tail -n 1; }

# quench NAME OUTDIR QUENCH_VARS...  — runs quench.in then reference.in into $WORK/NAME/
# Sets globals QUENCH_CMD, REF_CMD, QUENCH_SECONDS, REF_SECONDS, IS_LINE.
run_glass() {
  local name="$1"; shift
  local dir="$WORK/$name"
  mkdir -p "$dir"
  local qvars=("${OVERRIDE[@]}" "$@")
  QUENCH_CMD="lmp -in recipes/lammps/quench.in -var out glass ${qvars[*]}"
  REF_CMD="lmp -in recipes/lammps/reference.in -var in glass.data -var out glass -var rcu $RCU -var rzr $RZR"
  log "$name: quench ($QUENCH_CMD)"
  local t0=$SECONDS
  (cd "$dir" && "$LMP" -in "$DECKS/quench.in" -var out glass -var potential "$POTENTIAL" "${qvars[@]}" \
      -log quench.log -screen none)
  QUENCH_SECONDS=$((SECONDS - t0))
  IS_LINE="$(is_line "$dir/quench.log")"
  log "$name: quench done in ${QUENCH_SECONDS}s: $IS_LINE"
  t0=$SECONDS
  (cd "$dir" && "$LMP" -in "$DECKS/reference.in" -var in glass.data -var out glass -var rcu $RCU -var rzr $RZR \
      -var potential "$POTENTIAL" -log reference.log -screen none)
  REF_SECONDS=$((SECONDS - t0))
  # The energy re-evaluated from the written data file may differ in the last printed digit
  # (different summation order); anything beyond 1e-10 relative means the files are inconsistent.
  local refline; refline="$(is_line "$dir/reference.log")"
  if ! awk -v a="$refline" -v b="$IS_LINE" 'BEGIN {split(a, x, " "); split(b, y, " ");
        for (k = 2; k <= 6; k += 2) {d = x[k] - y[k]; if (d < 0) d = -d; if (d > 1e-10 * (y[k] < 0 ? -y[k] : y[k])) exit 1}}'; then
    echo "reference.in energy/volume ($refline) differs from quench.in ($IS_LINE)" >&2; exit 1
  fi
  IS_LINE="$refline"   # as recomputed from the committed data file
}

# voro++ on an orthogonal glass in $WORK/NAME: plain and radical, custom output.
VORO_FORMAT='%i %v %s %A %n %f'
run_voro() {
  local name="$1" dir="$WORK/$1"
  # Box bounds from the dump header (orthogonal only: exactly two numbers per bounds line).
  local bounds
  # (awk reads the whole stream: an early exit would SIGPIPE zcat and trip pipefail.)
  bounds="$(zcat "$dir/glass.dump.gz" | awk '/^ITEM: BOX BOUNDS/ {if (NF != 6) bad = 1; n = 3; next}
      n > 0 {b = b " " $1 " " $2; n--} END {if (bad) exit 2; print b}')"
  read -r xlo xhi ylo yhi zlo zhi <<<"$bounds"
  # Inputs: "id x y z" and "id x y z r", copied verbatim (full precision) from the dump.
  zcat "$dir/glass.dump.gz" | awk 'f {print $1, $3, $4, $5} /^ITEM: ATOMS/ {f=1}' > "$dir/voro_plain"
  zcat "$dir/glass.dump.gz" | awk -v rcu=$RCU -v rzr=$RZR \
      'f {print $1, $3, $4, $5, ($2 == 1 ? rcu : rzr)} /^ITEM: ATOMS/ {f=1}' > "$dir/voro_radical"
  VORO_CMD="voro++ -p -o -c '$VORO_FORMAT' $xlo $xhi $ylo $yhi $zlo $zhi voro_plain"
  VORO_R_CMD="voro++ -p -o -r -c '$VORO_FORMAT' $xlo $xhi $ylo $yhi $zlo $zhi voro_radical"
  (cd "$dir" && "$VORO" -p -o -c "$VORO_FORMAT" "$xlo" "$xhi" "$ylo" "$yhi" "$zlo" "$zhi" voro_plain \
            && "$VORO" -p -o -r -c "$VORO_FORMAT" "$xlo" "$xhi" "$ylo" "$yhi" "$zlo" "$zhi" voro_radical)
  gzip -n -c "$dir/voro_plain.vol" > "$dir/glass.voro++.vol.gz"
  gzip -n -c "$dir/voro_radical.vol" > "$dir/glass.voro++-radical.vol.gz"
}

# Common README sections.
readme_provenance() {
  cat <<EOF
## Provenance
- LAMMPS: ${LMP_VERSION} (Debian package \`lammps\` ${LMP_PACKAGE}), one process, no accelerator suffix.
- Potential: Mendelev et al. Cu–Zr Finnis–Sinclair EAM, \`CuZr_mm.eam.fs\` (Debian \`lammps-data\`),
  sha256 \`${POT_SHA}\`; \`pair_style eam/fs\`, \`pair_coeff * * CuZr_mm.eam.fs Cu Zr\`:
  LAMMPS type 1 = Cu, type 2 = Zr. Units: metal (Å, ps, eV).
- Generated by \`tools/regenerate_glasses.sh $1\` on $(date -u +%Y-%m-%d) (decks: recipes/lammps/quench.in,
  recipes/lammps/reference.in; run in a scratch directory, outputs then gzipped with \`gzip -n\`).
EOF
}

readme_ref_files() {
  cat <<EOF
- \`glass.ref.dump.gz\` — LAMMPS dump (one frame, sorted by id, \`%.17g\`), columns
  \`id type x y z c_pe c_vor[1] c_vor[2] c_vorr[1] c_vorr[2] c_q[1]..c_q[12]\`:
  pe/atom (eV); plain Voronoi volume (Å³) and face count (\`compute voronoi/atom\`); radical Voronoi
  volume and face count (\`compute voronoi/atom radius v_rad\`, radius Cu ${RCU} Å, Zr ${RZR} Å);
  \`compute orientorder/atom degrees 4 4 6 8 10 nnn NULL cutoff 3.8 wl yes wl/hat yes\`:
  q4 q6 q8 q10, raw w4 w6 w8 w10, normalised ŵ4 ŵ6 ŵ8 ŵ10.
- \`glass.rdf.gz\` — \`compute rdf 200 1 1 1 2 2 1 2 2 cutoff 10.0\` written by \`fix ave/time ... mode vector
  format " %.17g"\`: 3 comment lines, a "0 200" line, then 200 rows
  \`row r g_CuCu coord_CuCu g_CuZr coord_CuZr g_ZrCu coord_ZrCu g_ZrZr coord_ZrZr\` (r = bin centre, Å).
EOF
}

readme_face_files() {
  cat <<EOF
- \`glass.voro-faces.dump.gz\`, \`glass.voro-faces-radical.dump.gz\` — LAMMPS \`dump local\` of the
  \`neighbors yes\` local arrays of the plain and radical Voronoi computes: one row per face,
  \`id_i id_j area\` (Å², \`%.17g\`), in LAMMPS's order; every face appears from both sides.
EOF
}

readme_voro_files() {
  cat <<EOF
- \`glass.voro++.vol.gz\`, \`glass.voro++-radical.vol.gz\` — ${VORO_VERSION} command-line tool on the
  same coordinates (plain; radical with a 5th input column r = ${RCU} for Cu, ${RZR} for Zr), periodic
  box, input order kept (\`-o\`). Custom format \`${VORO_FORMAT}\` — per line: id, cell volume (Å³),
  number of faces, face-order frequency table (entry k = number of faces with k edges, k = 0, 1, …),
  neighbour ids (one per face), face areas (Å², same order as the neighbour ids). voro++ prints with
  \`%g\`, i.e. 6 significant digits: compare with a relative tolerance ≈ 1e-5.
  Inputs (not stored): \`id x y z [r]\` copied verbatim from \`glass.dump.gz\`. Commands (in the scratch dir):

      ${VORO_CMD}
      ${VORO_R_CMD}
EOF
}

# ---------------------------------------------------------------- fixture glasses (500 atoms)
make_fixture() {
  local name="$1" title="$2"; shift 2
  run_glass "$name" "$@"
  local dir="$WORK/$name" dest="$FIXTURES/$name"
  local tilted=0
  if grep -q ' xy xz yz' "$dir/glass.data"; then tilted=1; fi
  if [[ $tilted == 0 ]]; then run_voro "$name"; fi
  rm -rf "$dest"; mkdir -p "$dest"
  gzip -n -c "$dir/glass.data" > "$dest/glass.data.gz"
  cp "$dir/glass.dump.gz" "$dir/glass.ref.dump.gz" "$dir/glass.voro-faces.dump.gz" \
     "$dir/glass.voro-faces-radical.dump.gz" "$dest/"
  gzip -n -c "$dir/glass.rdf" > "$dest/glass.rdf.gz"
  if [[ $tilted == 0 ]]; then cp "$dir/glass.voro++.vol.gz" "$dir/glass.voro++-radical.vol.gz" "$dest/"; fi
  local box; box="$(awk '/xlo xhi|ylo yhi|zlo zhi|xy xz yz/' "$dir/glass.data" | sed 's/^/    /')"
  {
    echo "# Fixture glass \`$name\`: $title"
    echo
    echo "Inherent structure (CG minimum at fixed box): \`$IS_LINE\` (eV, Å³)."
    echo "Box (from glass.data):"
    echo
    echo "$box"
    echo
    echo "## Files"
    echo "- \`glass.data.gz\` — LAMMPS data file (write_data; \`Atoms # atomic\` with image flags; zero Velocities)."
    echo "- \`glass.dump.gz\` — LAMMPS dump, one frame, \`id type x y z ix iy iz\` at \`%.17g\`, sorted by id."
    readme_ref_files
    readme_face_files
    if [[ $tilted == 0 ]]; then readme_voro_files; else
      echo "- no voro++ CLI output: the command-line tool supports orthogonal boxes only."
    fi
    echo
    readme_provenance "$name"
    echo
    echo "Commands (in the scratch directory; \`-var potential $POTENTIAL\` also passed):"
    echo
    echo "    $QUENCH_CMD    # ${QUENCH_SECONDS} s"
    echo "    $REF_CMD    # ${REF_SECONDS} s"
    echo
    echo "Quench: fcc start, melt 10 ps at 2000 K (NPT, 0 bar), linear quench to 50 K at the given rate"
    echo "(K/ps; 50 K/ps = 5e13 K/s — a fast quench, fine for tests, not for physics), 2 ps hold, then CG."
  } > "$dest/README.md"
  log "$name: fixtures written to $dest"
}

# ---------------------------------------------------------------- demo glass (2048 atoms)
make_demo() {
  run_glass demo -var zrfrac 0.36 -var reps 8 -var seed 36064 -var rate 100 -var melt_ps 5 -var hold_ps 1
  local dir="$WORK/demo" dest="$FIXTURES/demo"
  mkdir -p "$RESOURCES"
  gzip -n -c "$dir/glass.data" > "$RESOURCES/demo_cu64zr36.data.gz"
  rm -rf "$dest"; mkdir -p "$dest"
  cp "$dir/glass.ref.dump.gz" "$dest/"
  gzip -n -c "$dir/glass.rdf" > "$dest/glass.rdf.gz"
  local box; box="$(awk '/xlo xhi|ylo yhi|zlo zhi|xy xz yz/' "$dir/glass.data" | sed 's/^/    /')"
  {
    echo "# Demo glass: Cu64Zr36, 2048 atoms (737 Zr), orthogonal box"
    echo
    echo "The glass itself is the embedded library resource \`src/GlassML/Resources/demo_cu64zr36.data.gz\`"
    echo "(gzip of the LAMMPS data file; manifest name \`GlassML.Resources.demo_cu64zr36.data.gz\`). This folder"
    echo "holds LAMMPS's reference outputs for it."
    echo
    echo "Inherent structure (CG minimum at fixed box): \`$IS_LINE\` (eV, Å³)."
    echo "Box (from the data file):"
    echo
    echo "$box"
    echo
    echo "## Files"
    readme_ref_files
    echo
    readme_provenance demo
    echo
    echo "Commands (in the scratch directory; \`-var potential $POTENTIAL\` also passed):"
    echo
    echo "    $QUENCH_CMD    # ${QUENCH_SECONDS} s"
    echo "    $REF_CMD    # ${REF_SECONDS} s"
    echo
    echo "Quench: fcc start (8×8×8 cells), melt 5 ps at 2000 K (NPT, 0 bar), linear quench to 50 K at"
    echo "100 K/ps (1e14 K/s: a fast quench chosen so the run takes minutes on one core; 12 750 MD steps),"
    echo "1 ps hold, CG."
  } > "$dest/README.md"
  log "demo: resource and references written"
}

targets=("$@")
if [[ ${#targets[@]} == 0 ]]; then targets=(demo ortho500 tilted500); fi
for t in "${targets[@]}"; do
  case "$t" in
    demo) make_demo ;;
    ortho500)
      make_fixture ortho500 "Cu64Zr36, 500 atoms (180 Zr), orthogonal cubic box" \
        -var zrfrac 0.36 -var reps 5 -var seed 500 -var rate 50 -var melt_ps 10 -var hold_ps 2 ;;
    tilted500)
      make_fixture tilted500 "Cu64Zr36, 500 atoms (180 Zr), triclinic box (xy = 0.30 lx, xz = −0.25 lx, yz = 0.20 ly; tilted before melting)" \
        -var zrfrac 0.36 -var reps 5 -var seed 501 -var rate 50 -var melt_ps 10 -var hold_ps 2 \
        -var tiltxy 0.30 -var tiltxz -0.25 -var tiltyz 0.20 ;;
    *) echo "unknown target '$t' (demo, ortho500, tilted500)" >&2; exit 2 ;;
  esac
done
