#!/usr/bin/env bash
# Plan B on the GPU machine (shared/GPU.md): compile TorchSharp 0.107.0's native shim
# (libLibTorchSharp.so, sources carried in bundle/native) against the PyTorch installed there, when
# the shim built for libtorch 2.10 needs symbols that PyTorch's libtorch does not export.
# Plain g++ rather than TorchSharp's CMake: find_package(Torch) with a CUDA wheel wants the CUDA
# toolkit, and the shim only needs libtorch's headers and its CPU-side libraries (libtorch_cuda is
# loaded by TorchSharp itself at run time).
# Usage: build_shim.sh NATIVE_SRC TORCH_DIR OUTPUT_DIR
set -euo pipefail
src=$1; torch=$2; out=$3
abi=$(python3 -c 'import torch; print(int(torch._C._GLIBCXX_USE_CXX11_ABI))')
objs=$(mktemp -d)
flags=(-O2 -fPIC -std=c++17 -w -D_GLIBCXX_USE_CXX11_ABI=$abi -D__LINUX__ -D_NO_ASYNCRTIMP -D_NO_PPLXIMP
       -fvisibility=hidden -I"$src" -I"$torch/include" -I"$torch/include/torch/csrc/api/include")
export objs
printf '%s\n' "$src"/LibTorchSharp/*.cpp | xargs -P "$(nproc)" -I{} sh -c 'g++ "$@" -c {} -o "$objs/$(basename {}).o"' _ "${flags[@]}"
gcc -O2 -fPIC -c "$src/LibTorchSharp/crc32c.c" -o "$objs/crc32c.o"
mkdir -p "$out"
g++ -shared -o "$out/libLibTorchSharp.so" "$objs"/*.o -L"$torch/lib" -ltorch -ltorch_cpu -lc10 \
    -Wl,-rpath,'$ORIGIN/' -Wl,-Bsymbolic -Wl,-Bsymbolic-functions
echo "built $out/libLibTorchSharp.so ($(stat -c %s "$out/libLibTorchSharp.so") bytes)"
