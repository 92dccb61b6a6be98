#!/usr/bin/env bash
# Retrain the shipped softness model src/GlassML/Resources/softness.model.json from the committed MD fixture
# (tests/fixtures/softness: g1, g2 train, g3 test; Cu64Zr36 compressed to 8 %), with the method's defaults
# (label strain 0.04, D² sum with cutoff 4.5 Å > 5 Å², cascade variance=0,corr=0.99,top=50,rfe=13, 5-fold CV
# grouped by sample, seed 1). Same bytes when rerun, for any --threads (tests/.../SoftnessDemoModelTests checks it).
#
#   tools/train_demo_models/softness.sh [RUN_DIR]     (default RUN_DIR: a temporary folder, removed)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
GLASSML="${GLASSML:-dotnet $ROOT/src/GlassML.Cli/bin/Release/net10.0/GlassML.Cli.dll}"
RUN="${1:-$(mktemp -d /tmp/glassml-softness-demo.XXXXXX)/run}"
$GLASSML softness train --samples "$ROOT/tests/fixtures/softness/samples.csv" --out "$RUN" --types 1:Cu,2:Zr --seed 1
cp "$RUN/model.json" "$ROOT/src/GlassML/Resources/softness.model.json"
echo "wrote src/GlassML/Resources/softness.model.json ($(wc -c < "$ROOT/src/GlassML/Resources/softness.model.json") bytes)"
