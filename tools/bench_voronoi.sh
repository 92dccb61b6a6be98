#!/usr/bin/env bash
# Side-by-side timing: voro++ 0.4.6 CLI vs GlassML VoronoiTessellation on the s1 glass replicated to 32,000 (4x4x4)
# and 1,024,000 (16x16x8) atoms. Run from the repository root. voro++ is single-threaded; GlassML uses 2 threads.
# GlassML's 32,000-atom runs follow four warm-ups (the first is the cold run: tiered JIT needs a few calls to settle).
set -euo pipefail
root=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dump="$root/tests/fixtures/voronoi/s1o.atoms.dump.gz"
read -r lo hi < <(zcat "$dump" | sed -n 6p)
L=$(/usr/bin/python3 -c "print(repr($hi-($lo)))")
for spec in "4 4 4" "16 16 8"; do
  read -r na nb nc <<<"$spec"
  f="$tmp/glass_${na}x${nb}x${nc}.xyz"
  zcat "$dump" | awk -v L="$L" -v na="$na" -v nb="$nb" -v nc="$nc" 'NR>9{for(a=0;a<na;a++)for(b=0;b<nb;b++)for(c=0;c<nc;c++){n++; printf "%d %.17g %.17g %.17g\n", n, $3+a*L, $4+b*L, $5+c*L}}' > "$f"
  xhi=$(/usr/bin/python3 -c "print(repr($lo+$na*$L))"); yhi=$(/usr/bin/python3 -c "print(repr($lo+$nb*$L))"); zhi=$(/usr/bin/python3 -c "print(repr($lo+$nc*$L))")
  echo "voro++ $(wc -l < "$f") atoms:"
  reps=3; [ "$na" -gt 4 ] && reps=1
  for rep in $(seq $reps); do
    /usr/bin/time -f "  %e s wall, %U s user, %M kB max RSS" voro++ -p -c '%i %v %s %A' "$lo" "$xhi" "$lo" "$yhi" "$lo" "$zhi" "$f"
  done
done
[ "${SKIP_GLASSML:-0}" = 1 ] || dotnet run -c Release --project bench/GlassML.Bench -- voronoi-sro 4 4 4 2 3 4
[ "${SKIP_GLASSML:-0}" = 1 ] || dotnet run -c Release --project bench/GlassML.Bench -- voronoi-sro 16 16 8 2 2
