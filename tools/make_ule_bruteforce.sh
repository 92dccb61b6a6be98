#!/usr/bin/env bash
# Brute-force references of ULE clustering/assignment on two glasses (tests/fixtures/ule/bruteforce/).
#
#   tools/make_ule_bruteforce.sh [GLASSML]      (default: the Release build of src/GlassML.Cli)
#
# Our code only exports the unit SOAP rows (`glassml ule build --vectors`); tools/ule_bruteforce.py (numpy) then does the
# leader clustering and assignment literally. The tests rebuild the dictionaries with the same options and compare.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
G="${1:-$ROOT/src/GlassML.Cli/bin/Release/net10.0/GlassML.Cli}"
D="$ROOT/tests/fixtures/ule/bruteforce"
TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT
# name  similarity  zeta  threshold
for spec in "cu64zr36 distance 1 0.9" "cu50zr50 cosine 2 0.97"; do
  read -r name sim zeta thr <<<"$spec"
  "$G" ule build --samples "$D/$name/samples.csv" --types 1:Cu,2:Zr --soap n_max=6,l_max=6 --similarity "$sim" --zeta "$zeta" \
      --threshold "$thr" --threads 1 --vectors "$TMP/$name.npy" --out "$TMP/$name.json"
  /usr/bin/python3 "$ROOT/tools/ule_bruteforce.py" "$TMP/$name.npy" "$thr" "$sim" "$zeta" "$D/$name/reference.csv.gz"
  printf '%s\n' "similarity=$sim zeta=$zeta threshold=$thr soap=n_max=6,l_max=6 (r_cut 5, sigma 0.5, gto, crossover, periodic) types=1:Cu,2:Zr" > "$D/$name/options.txt"
done
