#!/usr/bin/env bash
# Executes notebooks/restaking-risk.ipynb headless on two run folders and checks its figures.
# Usage: scripts/plots.sh RUN_DIR LONG_RUN_DIR OUT_DIR [VENV]
# RESTAKE_REPLAY_DIR, RESTAKE_SWEEP_DIR, RESTAKE_SENSITIVITY_DIR (optional) pass through to the notebook.
# Writes OUT_DIR/restaking-risk.ipynb (executed) and OUT_DIR/<figure>.png|.svg; exits non-zero
# when a cell fails or a figure is missing.
set -euo pipefail
run_dir=$1 long_dir=$2 out_dir=$3 venv=${4:-.venv}
root=$(cd "$(dirname "$0")/.." && pwd)
figures=(compounding-fan terminal-distribution slashing-distribution var-es slashing-attribution risk-return
         ten-year-compounding)
mkdir -p "$out_dir"
abs() { (cd "$1" && pwd); }
run_dir=$(abs "$run_dir"); long_dir=$(abs "$long_dir"); out_dir=$(abs "$out_dir")
for f in "${figures[@]}" shared-vs-isolated timeline sweep tornado replay-path; do rm -f "$out_dir/$f.png" "$out_dir/$f.svg"; done
RESTAKE_RUN_DIR="$run_dir" RESTAKE_LONG_RUN_DIR="$long_dir" RESTAKE_FIG_DIR="$out_dir" MPLBACKEND=Agg \
  "$venv/bin/jupyter" nbconvert --to notebook --execute "$root/notebooks/restaking-risk.ipynb" \
  --output-dir "$out_dir" --ExecutePreprocessor.timeout=600 --log-level=WARN
missing=()
for f in "${figures[@]}"; do
  for ext in png svg; do [ -s "$out_dir/$f.$ext" ] || missing+=("$f.$ext"); done
done
if [ ${#missing[@]} -gt 0 ]; then echo "plots: missing figures in $out_dir: ${missing[*]}" >&2; exit 1; fi
echo "plots: ${#figures[@]} figures (PNG + SVG) and the executed notebook in $out_dir"
