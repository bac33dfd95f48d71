#!/usr/bin/env bash
# On the GPU machine (no .NET, PyTorch with CUDA): unpack the probe, check TorchSharp's native shim
# against PyTorch's libtorch, run the probe on CUDA with PyTorch's libraries (rebuilding the shim
# there if it cannot bind: plan B), run PyTorch on the same MLP, and write everything under $OUT.
set -uo pipefail
cd "$(dirname "$0")"
OUT=${OUT:-$(pwd)/out}; mkdir -p "$OUT"
start=$(date +%s); stamp() { echo "[$(( $(date +%s) - start ))s] $*" | tee -a "$OUT/run.log"; }
TORCH_DIR=$(python3 -c 'import torch, os; print(os.path.dirname(torch.__file__))')
TORCH_LIB=$TORCH_DIR/lib
work=$(mktemp -d); tar -C "$work" -xzf bundle/probe.tar.gz
{ nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv
  python3 -c 'import torch, sys; print("python", sys.version.split()[0], "torch", torch.__version__, "cuda", torch.version.cuda, "cxx11abi", torch._C._GLIBCXX_USE_CXX11_ABI)'
  nproc; for t in g++ gcc cmake nvcc; do printf '%s: %s\n' "$t" "$(command -v $t || echo absent)"; done
  ldd --version | head -1; } > "$OUT/gpu.txt" 2>&1
stamp "environment: $(head -2 "$OUT/gpu.txt" | tail -1)"
python3 bundle/abi_check.py "$work/probe/libLibTorchSharp.so" "$TORCH_LIB" > "$OUT/abi.txt" 2>&1
stamp "abi: $(head -1 "$OUT/abi.txt")"

MNIST=../../src/Runtime/Data/mnist
timeout 90 python3 pytorch_mlp.py "$MNIST" cuda 10000 4 > "$OUT/pytorch_cuda.json" 2> "$OUT/pytorch_cuda.err"
stamp "pytorch cuda: $(cat "$OUT/pytorch_cuda.json")"
timeout 60 python3 pytorch_mlp.py "$MNIST" cpu 10000 2 > "$OUT/pytorch_cpu.json" 2> "$OUT/pytorch_cpu.err"
stamp "pytorch cpu: $(cat "$OUT/pytorch_cpu.json")"
probe() { LD_LIBRARY_PATH="$TORCH_LIB" timeout "$1" "$work/probe/GpuProbe" "$OUT" cuda 10000 3 > "$OUT/probe.log" 2>&1; echo $?; }
rc=$(probe 200)
stamp "probe exit $rc"
if [ "$rc" != 0 ] || grep -q '"error"' "$OUT/report.json" 2>/dev/null; then
  if grep -qi 'symbol lookup error\|undefined symbol\|EntryPointNotFound' "$OUT/probe.log" && [ -d bundle/native ] && command -v g++ >/dev/null; then
    stamp "plan B: building the shim against $TORCH_DIR"
    mv "$OUT/probe.log" "$OUT/probe_shipped_shim.log"; mv "$OUT/report.json" "$OUT/report_shipped_shim.json" 2>/dev/null
    if timeout 220 bash build_shim.sh bundle/native "$TORCH_DIR" "$work/shim" > "$OUT/shim_build.log" 2>&1; then
      cp "$work/shim/libLibTorchSharp.so" "$work/probe/libLibTorchSharp.so"
      python3 bundle/abi_check.py "$work/probe/libLibTorchSharp.so" "$TORCH_LIB" > "$OUT/abi_rebuilt.txt" 2>&1
      rc=$(probe 150); stamp "probe (rebuilt shim) exit $rc"
    else stamp "shim build failed: $(tail -3 "$OUT/shim_build.log")"; fi
  fi
fi
rm -rf "$OUT"/ckpt* "$OUT/whole"
tail -40 "$OUT/probe.log"
