#!/usr/bin/env bash
# Retrains every shipped demo model (src/GlassML/Resources/<method>.model.json) with each method's own `train` on the
# committed fixtures, by running tools/train_demo_models/<method>.sh for each method that has one. Rerunning gives the
# same bytes; each method's *DemoModelTests retrains its model in-process and compares.
# Usage (from anywhere): tools/train_demo_models.sh [METHOD ...]
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
methods=("$@")
if [[ ${#methods[@]} -eq 0 ]]; then
  for f in "$dir"/train_demo_models/*.sh; do methods+=("$(basename "$f" .sh)"); done
fi
for m in "${methods[@]}"; do
  echo "== $m"
  bash "$dir/train_demo_models/$m.sh"
done
(cd "$dir/.." && git status --short src/GlassML/Resources/ || true)
