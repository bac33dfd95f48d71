#!/usr/bin/env bash
# On the CPU machine: publish GpuProbe self-contained, without libtorch, into bench/gpu/bundle/
# (ignored by git; carried to the GPU machine with `carry: ["bench/gpu/bundle"]`).
set -euo pipefail
cd "$(dirname "$0")"
rm -rf bundle
dotnet publish GpuProbe -c Release -r linux-x64 --self-contained -p:InvariantGlobalization=true -o bundle/probe
tar -C bundle -czf bundle/probe.tar.gz probe && rm -rf bundle/probe
# shared/tools/abi_check.py travels in the bundle: the GPU machine gets the repository, not ../shared.
cp ../../../shared/tools/abi_check.py bundle/
# Plan B material: TorchSharp 0.107.0's native shim sources (release commit c20b6a1c of
# dotnet/TorchSharp, MIT), compiled on the GPU machine only if the shipped shim cannot bind there.
# Taken from a local mirror of that repository (TORCHSHARP_REPO); skipped with a note when absent.
repo=${TORCHSHARP_REPO:-/work/.mirror/dotnet+TorchSharp/repo}
if git -C "$repo" cat-file -e c20b6a1c 2>/dev/null; then
  mkdir -p bundle/native && git -C "$repo" archive c20b6a1c src/Native | tar -x -C bundle/native --strip-components=2
else
  echo "note: no TorchSharp mirror at $repo; plan B (build_shim.sh) will not be available on the GPU machine"
fi
du -sh bundle/probe.tar.gz bundle
