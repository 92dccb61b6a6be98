#!/bin/bash
# Retrains the shipped tml demo model src/GlassML/Resources/tml.model.json with `glassml tml train` on the committed
# isothermal fixtures of glass s1 (tests/fixtures/tml). Deterministic: a rerun writes the same bytes
# (TmlDemoModelTests checks that retraining reproduces the shipped file byte for byte).
# Build first (dotnet build src/GlassML.Cli -c Release). 250 instances per class keep the file small (the kNN model stores its training instances); lags up to 5 ps only,
# since the embedded demo trajectory (tml_demo_trajectory.dump.gz) covers 5 ps after its start. Every run is its own
# class (over 5 ps the automatic rule would merge 300, 700 and 1000 K of this fast-quenched glass).
set -euo pipefail
cd "$(dirname "$0")/../.."
F=tests/fixtures/tml
OUT=$(mktemp -d)
dotnet run --project src/GlassML.Cli -c Release --no-build -- tml train \
  $F/isothermal_300K.dump.gz@300 $F/isothermal_700K.dump.gz@700 $F/isothermal_1000K.dump.gz@1000 $F/isothermal_1500K.dump.gz@1500 \
  --lags 0.01,0.02,0.05,0.1,0.2,0.5,1,2,5 --dt 0.001 --tg 700 --k 50 --classes 300,700,1000,1500 --max-per-class 250 --seed 1 \
  --types 1:Cu,2:Zr --out "$OUT/run" --model src/GlassML/Resources/tml.model.json
rm -rf "$OUT"
ls -l src/GlassML/Resources/tml.model.json
