#!/usr/bin/env bash
# Runs the demo and saves a screenshot of its report (docs/demo-report.png, shown in the README) with headless
# Chromium (Debian package chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
dotnet run --project src/GlassML.Cli -c Release -- demo --out "$out/demo" >/dev/null
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=0.75 \
  --window-size=1280,2200 --screenshot="$PWD/docs/demo-report.png" "file://$out/demo/report.html" 2>/dev/null
rm -rf "$out"
ls -la docs/demo-report.png
