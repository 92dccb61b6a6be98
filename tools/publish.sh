#!/usr/bin/env bash
# Publishes the glassml command ReadyToRun (ahead-of-time compiled code, framework-dependent) for this machine's runtime
# into DIR (default ./dist/glassml): DIR/glassml is the command. A cold call then skips most JIT work
# (docs/benchmarks.md, "Start-up"). `dotnet run --project src/GlassML.Cli` and the tool package are unaffected.
# With --aot: a Native AOT publish instead (one self-contained native executable, no JIT, no .NET runtime needed; for
# x64 compiled for x86-64-v3, i.e. AVX2/FMA CPUs, so that its vector code is the JIT's — see the csproj). Compiling
# takes minutes; tools/check_aot.sh compares its outputs with the ReadyToRun publish byte for byte.
# Usage: tools/publish.sh [--aot] [DIR] [RID]        (RID default: linux-x64; e.g. linux-arm64, osx-arm64, win-x64)
set -euo pipefail
aot=0
if [ "${1:-}" = "--aot" ]; then aot=1; shift; fi
dir="${1:-dist/glassml}"
rid="${2:-linux-x64}"
if [ "$aot" = 1 ]; then
  dotnet publish src/GlassML.Cli -c Release -r "$rid" -p:PublishAot=true -o "$dir"
  echo "published: $dir/glassml ($rid, Native AOT)"
else
  dotnet publish src/GlassML.Cli -c Release -r "$rid" --self-contained false -o "$dir"
  echo "published: $dir/glassml ($rid, ReadyToRun)"
fi
