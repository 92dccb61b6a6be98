#!/usr/bin/env bash
# Publishes the glassml command ahead of time into DIR (default ./dist/glassml): DIR/glassml is the command.
#
# The default (no option) is the fastest build this machine can make for RID:
#   Native AOT — one self-contained native executable, no JIT, no .NET runtime needed — when RID is linux-x64, the CPU has
#   the x86-64-v3 instructions the executable is compiled for (AVX2, FMA, BMI1/2, LZCNT, MOVBE, F16C; see the csproj: its
#   vector code is then the JIT's) and a clang is installed (the native linker the .NET AOT compiler drives; Debian
#   `apt-get install clang`). Compiling takes minutes. On a CPU with AVX-512 (F, CD, BW, DQ, VL: x86-64-v4) the executable is
#   compiled for x86-64-v4, so that the Vector512 kernels (SOAP's exponentials and small matrix products, the Voronoi
#   classification) run; such an executable refuses to start on a CPU without AVX-512. AOT_ISA=x86-64-v3 tools/publish.sh
#   makes the executable for every x86-64-v3 CPU instead (the same output bytes: every kernel gives the same bits at either
#   width, tests/…/SoapVectorWidthTests, VoronoiVectorWidthTests). tools/check_aot.sh compares its outputs with the ReadyToRun
#   publish byte for byte, every verb.
#   ReadyToRun otherwise (framework-dependent, any x64/arm64 CPU, needs the .NET 10 runtime): precompiled code, so a cold
#   call skips most JIT work. Also when the AOT compile fails (the reason is printed).
# Both run every verb with the same output bytes; the AOT build starts ≈ 0.15–0.2 s faster per call and runs the
# tessellation ≈ 10–15 % faster (docs/benchmarks.md, the two bench_all tables).
#
# --aot        Native AOT, or fail (no fallback).
# --r2r        ReadyToRun.
# --composite  a self-contained ReadyToRun publish whose framework and app are compiled together into one composite
#              image (no .NET runtime needed; ≈ 135 MB). Generic code across assemblies is then precompiled too, so a call
#              jits ≈ 30–40 methods instead of ≈ 110–220; outputs are the same bytes (docs/benchmarks.md, "start4").
# `dotnet run --project src/GlassML.Cli` and the tool package (`dotnet pack`) are unaffected (JIT).
# The last line printed names the build: "published: DIR/glassml (RID, Native AOT|ReadyToRun|...)".
# Usage: tools/publish.sh [--aot|--r2r|--composite] [DIR] [RID]     (RID default: linux-x64; e.g. linux-arm64, osx-arm64, win-x64)
set -euo pipefail
mode=auto
case "${1:-}" in
  --aot) mode=aot; shift ;;
  --r2r|--readytorun) mode=r2r; shift ;;
  --composite) mode=composite; shift ;;
  --*) echo "tools/publish.sh: unknown option $1 (use --aot, --r2r or --composite)" >&2; exit 2 ;;
esac
dir="${1:-dist/glassml}"
rid="${2:-linux-x64}"

# Why this machine cannot make (or run) the AOT build of RID; empty when it can.
aot_blocker() {
  if [ "$rid" != linux-x64 ]; then echo "RID $rid (the AOT default is for linux-x64 only)"; return; fi
  if [ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]; then echo "host $(uname -s) $(uname -m) is not x86-64 Linux"; return; fi
  local flags missing="" f
  flags=$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null || true)
  # (LZCNT, also in x86-64-v3, is not listed: some hypervisors hide its "abm" flag; the built executable's start-up check,
  # run below, is the final word)
  for f in avx2 fma bmi1 bmi2 movbe f16c; do
    [[ " $flags " == *" $f "* ]] || missing="$missing $f"
  done
  if [ -n "$missing" ]; then echo "the CPU lacks x86-64-v3 instructions:$missing"; return; fi
  if ! compgen -c clang | grep -qE '^clang(-[0-9]+)?$'; then echo "no clang on PATH (apt-get install clang)"; return; fi
}

publish_r2r() {
  # The ReadyToRun images in obj/ are reused when their inputs look unchanged, but a composite publish leaves component
  # stubs there that a framework-dependent publish must not copy (the app then aborts at start): compile afresh.
  rm -rf "src/GlassML.Cli/obj/Release/net10.0/$rid/R2R"
  dotnet publish src/GlassML.Cli -c Release -r "$rid" --self-contained false -o "$dir"
  echo "published: $dir/glassml ($rid, ReadyToRun)"
}

# The AOT instruction set: AOT_ISA if set, else x86-64-v4 where the CPU has AVX-512 (F, CD, BW, DQ, VL), else x86-64-v3.
aot_isa() {
  if [ -n "${AOT_ISA:-}" ]; then echo "$AOT_ISA"; return; fi
  local flags f
  flags=$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null || true)
  for f in avx512f avx512cd avx512bw avx512dq avx512vl; do
    [[ " $flags " == *" $f "* ]] || { echo x86-64-v3; return; }
  done
  echo x86-64-v4
}

publish_aot() {
  local isa
  isa=$(aot_isa)
  dotnet publish src/GlassML.Cli -c Release -r "$rid" -p:PublishAot=true -p:IlcInstructionSet="$isa" -o "$dir" || return 1
  [ -x "$dir/glassml" ] || { echo "no executable $dir/glassml" >&2; return 1; }
  # the executable checks the CPU's instructions at start and refuses to run without them
  "$dir/glassml" --version > /dev/null || { echo "$dir/glassml does not start on this machine" >&2; return 1; }
  echo "published: $dir/glassml ($rid, Native AOT, $isa)"
}

case "$mode" in
  composite)
    rm -rf "src/GlassML.Cli/obj/Release/net10.0/$rid/R2R"
    dotnet publish src/GlassML.Cli -c Release -r "$rid" --self-contained true -p:PublishReadyToRunComposite=true -o "$dir"
    echo "published: $dir/glassml ($rid, self-contained composite ReadyToRun)" ;;
  aot) publish_aot ;;
  r2r) publish_r2r ;;
  auto)
    why=$(aot_blocker)
    if [ -n "$why" ]; then
      echo "tools/publish.sh: ReadyToRun, not Native AOT: $why"
      publish_r2r
    else
      log=$(mktemp)
      if publish_aot > "$log" 2>&1; then
        cat "$log"
        rm -f "$log"
      else
        tail -15 "$log"
        echo "tools/publish.sh: the Native AOT publish failed (last lines above; full log $log); publishing ReadyToRun instead"
        publish_r2r
      fi
    fi ;;
esac
