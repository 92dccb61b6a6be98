#!/usr/bin/env bash
# Publishes the glassml command ReadyToRun (ahead-of-time compiled code, framework-dependent) for this machine's runtime
# into DIR (default ./dist/glassml): DIR/glassml is the command. A cold call then skips most JIT work
# (docs/benchmarks.md, "Start-up"). `dotnet run --project src/GlassML.Cli` and the tool package are unaffected.
# With --aot: a Native AOT publish instead (one self-contained native executable, no JIT, no .NET runtime needed; for
# x64 compiled for x86-64-v3, i.e. AVX2/FMA CPUs, so that its vector code is the JIT's — see the csproj). Compiling
# takes minutes; tools/check_aot.sh compares its outputs with the ReadyToRun publish byte for byte.
# With --composite: a self-contained ReadyToRun publish whose framework and app are compiled together into one composite
# image (no .NET runtime needed; ≈ 135 MB instead of ≈ 25 MB plus the runtime). Generic code across assemblies
# (System.CommandLine options, MathNet matrices, collections of the framework over GlassML's types) is then precompiled
# too, so a call jits ≈ 30–40 methods instead of ≈ 110–220; outputs are the same bytes (docs/benchmarks.md, "start4").
# Usage: tools/publish.sh [--aot|--composite] [DIR] [RID]        (RID default: linux-x64; e.g. linux-arm64, osx-arm64, win-x64)
set -euo pipefail
aot=0; composite=0
if [ "${1:-}" = "--aot" ]; then aot=1; shift; elif [ "${1:-}" = "--composite" ]; then composite=1; shift; fi
dir="${1:-dist/glassml}"
rid="${2:-linux-x64}"
# The ReadyToRun images in obj/ are reused when their inputs look unchanged, but a composite publish leaves component
# stubs there that a framework-dependent publish must not copy (the app then aborts at start): compile afresh.
rm -rf "src/GlassML.Cli/obj/Release/net10.0/$rid/R2R"
if [ "$composite" = 1 ]; then
  dotnet publish src/GlassML.Cli -c Release -r "$rid" --self-contained true -p:PublishReadyToRunComposite=true -o "$dir"
  echo "published: $dir/glassml ($rid, self-contained composite ReadyToRun)"
elif [ "$aot" = 1 ]; then
  dotnet publish src/GlassML.Cli -c Release -r "$rid" -p:PublishAot=true -o "$dir"
  echo "published: $dir/glassml ($rid, Native AOT)"
else
  dotnet publish src/GlassML.Cli -c Release -r "$rid" --self-contained false -o "$dir"
  echo "published: $dir/glassml ($rid, ReadyToRun)"
fi
