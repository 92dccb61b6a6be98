#!/bin/sh
# Trains the shipped demo model of the bonds method (src/GlassML/Resources/bonds.model.json) with the method's own
# verbs on committed fixtures: EAM bond-cutting energies of every first-shell bond of glass s1 (500 atoms Cu50Zr50,
# cutoffs Cu-Cu 3.3, Cu-Zr 3.6, Zr-Zr 3.9 Å; Mendelev CuZr_mm.eam.fs), one GPR per pair type with 80 bonds per type
# on a small SOAP (n_max 3, l_max 2) to keep the model under 500 KB. Same bytes when rerun
# (BondsDemoModelTests.RetrainingReproducesTheShippedModel). Run from the repository root after
# `dotnet build src/GlassML.Cli -c Release`.
set -e
G="dotnet src/GlassML.Cli/bin/Release/net10.0/GlassML.Cli.dll"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp tests/fixtures/glass-s1/s1_cu50zr50_500.data.gz "$tmp/s1.data.gz"
$G bonds label "$tmp/s1.data.gz" --types 1:Cu,2:Zr --source eam --potential tests/fixtures/eam/CuZr_mm.eam.fs.gz \
   --bond-cutoffs Cu-Cu:3.3,Cu-Zr:3.6,Zr-Zr:3.9 --out "$tmp/s1_labels.csv"
printf 'file,labels\ns1.data.gz,s1_labels.csv\n' > "$tmp/samples.csv"
$G bonds train --samples "$tmp/samples.csv" --types 1:Cu,2:Zr --per-type 80 --soap nmax=3,lmax=2 \
   --bond-cutoffs Cu-Cu:3.3,Cu-Zr:3.6,Zr-Zr:3.9 --seed 1 --out "$tmp/run"
cp "$tmp/run/model.json" src/GlassML/Resources/bonds.model.json
ls -l src/GlassML/Resources/bonds.model.json
