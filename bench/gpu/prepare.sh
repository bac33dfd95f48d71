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
du -sh bundle/probe.tar.gz
