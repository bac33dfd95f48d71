#!/usr/bin/env bash
# Device run: the recurrent, convolution, normalization and functional models on CUDA (GpuProbe's
# "layers" mode). Results go to $OUT/report_layers.json.
set -uo pipefail
cd "$(dirname "$0")"
OUT=${OUT:-$(pwd)/out}; mkdir -p "$OUT"
TORCH_LIB=$(python3 -c 'import torch, os; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')
work=$(mktemp -d); tar -C "$work" -xzf bundle/probe.tar.gz
LD_LIBRARY_PATH="$TORCH_LIB" timeout 300 "$work/probe/GpuProbe" "$OUT" cuda 0 0 layers > "$OUT/probe_layers.log" 2>&1
echo "probe exit: $?"
rm -rf "$OUT"/layers_*
grep -A1 '^== ' "$OUT/probe_layers.log" | cut -c1-700
