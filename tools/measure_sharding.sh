#!/usr/bin/env bash
# Measures sharded runs of GlassML's batch verbs on this machine for docs/cluster.md: for 1, 2 and 4 shards the CPU
# seconds (user + sys) of each shard and of the merge, the merged output's size, and whether it equals a single-process
# run byte for byte. CPU seconds, not wall time, because the machine is shared (the load is printed first).
# Usage: tools/measure_sharding.sh [VERB…]   (default: every verb below; build first: dotnet build src/GlassML.Cli -c Release)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
dll=${GLASSML_DLL:-"$repo/src/GlassML.Cli/bin/Release/net10.0/GlassML.Cli.dll"}
W=$(mktemp -d /tmp/glassml-measure.XXXXXX)
trap 'rm -rf "$W"' EXIT
fx="$repo/tests/fixtures"; res="$repo/src/GlassML/Resources"
echo "# $(date -u +%FT%TZ) $(uptime | sed 's/.*load/load/'), $(nproc) cores"

# inputs: a 16-frame trajectory (first frame of each committed 500-atom NVE run), the ULE manifest, the demo glass
for i in $(seq 1 16); do (zcat "$fx/dynamics/nve/nve_$i.dump.gz" || true) | awk '/^ITEM: TIMESTEP/ { if (++t > 1) exit } { print }'; done > "$W/traj16.dump"

g() { nice -n 10 dotnet "$dll" "$@"; }
cpu() { /usr/bin/time -f "%U %S" -o "$W/t" nice -n 10 dotnet "$dll" "$@" > "$W/log" 2>&1 || { cat "$W/log"; exit 1; }; awk '{printf "%.2f", $1 + $2}' "$W/t"; }

# measure NAME EXT UNITS ARGS… : a markdown row per shard count
measure() {
  local name=$1 ext=$2 units=$3; shift 3
  local single; single=$(cpu "$@" --out "$W/$name.single$ext")
  local size; size=$(stat -c %s "$W/$name.single$ext")
  printf '| %s | %s | 1 process | %s | %s | — | %s | — |\n' "$name" "$units" "$single" "$single" "$size"
  for n in 1 2 4; do
    local out="$W/$name.s$n$ext" per=() total=0
    for k in $(seq 1 "$n"); do
      local c; c=$(cpu "$@" --out "$out" --shard "$k/$n"); per+=("$c"); total=$(echo "$total + $c" | bc)
    done
    local m; m=$(cpu merge "$out.parts" --out "$out")
    local same=no; cmp -s "$W/$name.single$ext" "$out" && same=yes
    local parts; parts=$(du -sb "$out.parts" | cut -f1)
    printf '| %s | %s | %s shard(s) | %s | %s | %s | %s (parts %s) | %s |\n' "$name" "$units" "$n" "$(IFS=/; echo "${per[*]}")" "$total" "$m" "$(stat -c %s "$out")" "$parts" "$same"
  done
}

verbs=${*:-"strain sf ule-build ule-encode ule-apply softness bonds tml displacements"}
echo "| verb | units | run | CPU per task (s) | CPU total (s) | merge CPU (s) | output (bytes) | equals 1 process |"
echo "|---|---:|---|---|---:|---:|---:|---|"
for v in $verbs; do
  case $v in
    strain) measure strain .csv 5 strain "$fx/dynamics/compression_ortho.dump.gz" "$fx/dynamics/compression_ortho.dump.gz" --frame all --types 1:Cu,2:Zr --threads 1 ;;
    sf) measure sf-apply .csv 16 sf apply "$W/traj16.dump" --model "$res/sf.model.json" --frame all --types 1:Cu,2:Zr --threads 1 ;;
    ule-build) measure ule-build .json 50 ule build --samples "$fx/ule/samples.csv" --soap n_max=4,l_max=4 --target-count 60 --types 1:Cu,2:Zr --threads 1 ;;
    ule-encode)
      [[ -f "$W/ule-build.single.json" ]] || g ule build --samples "$fx/ule/samples.csv" --soap n_max=4,l_max=4 --target-count 60 --types 1:Cu,2:Zr --out "$W/ule-build.single.json" > /dev/null
      measure ule-encode .csv 59 ule encode --dict "$W/ule-build.single.json" --samples "$fx/ule/samples.csv" --types 1:Cu,2:Zr --threads 1 ;;
    ule-apply) measure ule-apply .csv 7 ule apply --model "$res/ule.model.json" "$fx"/ule/is/*.dump.gz --types 1:Cu,2:Zr --threads 1 ;;
    softness) measure softness-apply .csv 1 softness apply "$res/demo_cu64zr36.data.gz" --model "$res/softness.model.json" --types 1:Cu,2:Zr --threads 1 ;;
    bonds) measure bonds-apply .csv 1 bonds apply "$res/demo_cu64zr36.data.gz" --model "$res/bonds.model.json" --types 1:Cu,2:Zr --threads 1 ;;
    tml) measure tml-apply .csv 1 tml apply "$res/tml_demo_trajectory.dump.gz" --model "$res/tml.model.json" --temperature 500 --dt 0.002 --starts 1 --types 1:Cu,2:Zr --threads 1 ;;
    displacements) measure displacements .csv 1 displacements "$fx/dynamics/isothermal_1500K.dump.gz" --lags 0.01,0.5,2 --temperature 1500 --dt 0.001 --types 1:Cu,2:Zr --threads 1 ;;
    *) echo "unknown verb $v" >&2; exit 2 ;;
  esac
done
echo "# $(date -u +%FT%TZ) $(uptime | sed 's/.*load/load/')"
