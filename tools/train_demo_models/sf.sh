#!/bin/bash
# Retrains the shipped sf model src/GlassML/Resources/sf.model.json with glassml's own `sf train` on the committed NVE
# fixture of glass s1 (tests/fixtures/dynamics/nve/nve_start.dump.gz + the numpy v_flex of vflex_ref.csv.gz): default
# settings (r_p lowflex, C 1, ε 0.1, tolerance 1e-6, seeded 20 % test split, seed 1). Rerunning gives the same bytes
# (SfDemoModelTests retrains it in-process and compares). Usage (from the repository root): tools/train_demo_models/sf.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
OUT=$(mktemp -d)
dotnet run --project src/GlassML.Cli -c Release -- sf train \
    --data tests/fixtures/dynamics/nve/nve_start.dump.gz:tests/fixtures/dynamics/vflex_ref.csv.gz \
    --types 1:Cu,2:Zr --seed 1 --out "$OUT/run"
cp "$OUT/run/model.json" src/GlassML/Resources/sf.model.json
rm -rf "$OUT"
ls -l src/GlassML/Resources/sf.model.json
