#!/usr/bin/env bash
# Second device run (after run.sh): where the GPU should pay off. A wider MLP at batch 256 in
# Layerwise and PyTorch on CUDA and CPU, and a ~420 MB checkpoint saved/loaded from CUDA and CPU.
set -uo pipefail
cd "$(dirname "$0")"
OUT=${OUT:-$(pwd)/out}; mkdir -p "$OUT"
TORCH_LIB=$(python3 -c 'import torch, os; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')
work=$(mktemp -d); tar -C "$work" -xzf bundle/probe.tar.gz
MNIST=../../src/Runtime/Data/mnist
timeout 90 python3 pytorch_mlp.py "$MNIST" cuda 10000 4 wide 256 > "$OUT/pytorch_wide_cuda.json" 2> "$OUT/pytorch_wide_cuda.err"
timeout 120 python3 pytorch_mlp.py "$MNIST" cpu 10000 3 wide 256 > "$OUT/pytorch_wide_cpu.json" 2> "$OUT/pytorch_wide_cpu.err"
cat "$OUT"/pytorch_wide_*.json
LD_LIBRARY_PATH="$TORCH_LIB" timeout 300 "$work/probe/GpuProbe" "$OUT" cuda 10000 3 large > "$OUT/probe_large.log" 2>&1
echo "probe exit: $?"
rm -rf "$OUT"/ckpt*
grep -A1 '^== ' "$OUT/probe_large.log" | cut -c1-400
