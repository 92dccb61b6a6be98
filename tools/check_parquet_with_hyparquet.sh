#!/usr/bin/env bash
# Regenerates tests/fixtures/parquet/ (run from the repository root): a Parquet table written by `glassml featurize`
# (glass s1 with LAMMPS columns, tests/fixtures/columns) and the same table as read by hyparquet 1.31.5, an independent
# pure-JavaScript Parquet reader (npm; installed into a temporary folder). ParquetTableTests compares hyparquet's reading
# with the CSV that featurize writes today, bit for bit. Needs node and npm (Debian packages nodejs, npm) and the .NET SDK.
set -euo pipefail
root=$(pwd)
out=$root/tests/fixtures/parquet
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
npm install --no-audit --no-fund --silent --prefix "$tmp" hyparquet@1.31.5 >/dev/null
dotnet run --project "$root/src/GlassML.Cli" -c Release -- featurize "$root/tests/fixtures/columns/s1_columns.dump.gz" \
  --features distance,csro --neighbors cutoff --out "$out/s1_distance.parquet"
cp "$root/tools/check_parquet_with_hyparquet.mjs" "$tmp/read.mjs"
(cd "$tmp" && node read.mjs "$out/s1_distance.parquet") | gzip -9n > "$out/s1_distance.hyparquet.csv.gz"
echo "wrote $out/s1_distance.parquet and s1_distance.hyparquet.csv.gz"
