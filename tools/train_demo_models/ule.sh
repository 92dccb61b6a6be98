#!/usr/bin/env bash
# Train the shipped ULE demo model (src/GlassML/Resources/ule.model.json) with the method's own verbs on the committed
# IS fixture (tests/fixtures/ule). Small SOAP (n_max 4, l_max 4) and 100 trees keep the file small; rerunning gives the
# same bytes (the test UleDemoModelTests retrains and compares the model and recipe sections).
#
#   tools/train_demo_models/ule.sh [GLASSML]     (default: dotnet run of src/GlassML.Cli, Release)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
if [[ $# -ge 1 ]]; then G=("$1"); else G=(dotnet run --project src/GlassML.Cli -c Release --); fi
TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT
# the settings (also in tests/GlassML.Tests/Workflows/Ule/UleDemoModelTests.cs)
"${G[@]}" ule build --samples tests/fixtures/ule/samples.csv --types 1:Cu,2:Zr --soap n_max=4,l_max=4 --target-count 40 --threads 1 --out "$TMP/ules.json"
"${G[@]}" ule encode --dict "$TMP/ules.json" --samples tests/fixtures/ule/samples.csv --types 1:Cu,2:Zr --threads 1 --out "$TMP/fractions.csv"
"${G[@]}" ule train --fractions "$TMP/fractions.csv" --dict "$TMP/ules.json" --cv 5 --top 20 --gbdt n_estimators=100 --seed 1 --threads 1 --out "$TMP/run"
cp "$TMP/run/model.json" src/GlassML/Resources/ule.model.json
ls -l src/GlassML/Resources/ule.model.json
