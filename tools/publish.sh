#!/usr/bin/env bash
# Publishes the glassml command ReadyToRun (ahead-of-time compiled code, framework-dependent) for this machine's runtime
# into DIR (default ./dist/glassml): DIR/glassml is the command. A cold call then skips most JIT work
# (docs/benchmarks.md, "Start-up"). `dotnet run --project src/GlassML.Cli` and the tool package are unaffected.
# Usage: tools/publish.sh [DIR] [RID]        (RID default: linux-x64; e.g. linux-arm64, osx-arm64, win-x64)
set -euo pipefail
dir="${1:-dist/glassml}"
rid="${2:-linux-x64}"
dotnet publish src/GlassML.Cli -c Release -r "$rid" --self-contained false -o "$dir"
echo "published: $dir/glassml ($rid, ReadyToRun)"
