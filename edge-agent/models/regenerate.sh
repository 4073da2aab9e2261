#!/usr/bin/env bash
# Retrains the bundled demo model on synthetic physiology and exports it next to this script.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs="$(mktemp -d)"
trainer=(dotnet run --project "$root/trainer" -c Release --)
"${trainer[@]}" train --data "synthetic:7?subjects=16" --epochs 15 --seed 1 \
  --run-id synthetic-demo --runs-dir "$runs"
"${trainer[@]}" export --run "$runs/synthetic-demo" --out "$runs/synthetic-demo/synthetic-demo.onnx"
cp "$runs/synthetic-demo/synthetic-demo.onnx" "$root/edge-agent/models/synthetic-demo.onnx"
echo "Wrote edge-agent/models/synthetic-demo.onnx (run kept in $runs)"
