#!/usr/bin/env bash
# On the GPU machine (no .NET, PyTorch with CUDA): unpack the probe, check TorchSharp's native shim
# against PyTorch's libtorch, run the probe on CUDA with PyTorch's libraries, run PyTorch on the
# same MLP, and write everything under $OUT (report.json, pytorch.json, abi.txt, logs).
set -uo pipefail
cd "$(dirname "$0")"
OUT=${OUT:-$(pwd)/out}; mkdir -p "$OUT"
TORCH_LIB=$(python3 -c 'import torch, os; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')
work=$(mktemp -d); tar -C "$work" -xzf bundle/probe.tar.gz
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > "$OUT/gpu.txt" 2>&1
python3 bundle/abi_check.py "$work/probe/libLibTorchSharp.so" "$TORCH_LIB" > "$OUT/abi.txt" 2>&1
MNIST=../../src/Runtime/Data/mnist
timeout 240 python3 pytorch_mlp.py "$MNIST" cuda 10000 4 > "$OUT/pytorch_cuda.json" 2> "$OUT/pytorch_cuda.err"
LD_LIBRARY_PATH="$TORCH_LIB" timeout 300 "$work/probe/GpuProbe" "$OUT" cuda 10000 3 > "$OUT/probe.log" 2>&1
echo "probe exit: $?" >> "$OUT/probe.log"
tail -5 "$OUT/probe.log"; cat "$OUT/abi.txt" "$OUT/pytorch_cuda.json"
