"""h5py's side of FormatsBench's comparison, driven by it over stdin so that rounds alternate.

Commands, one per line; each answers one line "<milliseconds> <extra>":
  read PATH          every float dataset under /model_weights (or the root) of PATH, read with read_direct into
                     numpy arrays allocated once, before the first timed read (as LoadWeights fills an existing
                     model); the file's open is timed too. extra = the number of bytes read.
  write SRC DST      the datasets of SRC (read once, untimed) written to DST as float32 contiguous datasets of the
                     same shapes, at the same paths, with the same attributes on every group and dataset (layer and
                     weight names, the config texts), as Keras' h5py writer does; then flushed, fsync'd and renamed
                     over DST: what Model.Save does (AtomicFile: write beside, fsync, rename). extra = bytes written.
  write-nosync SRC DST   the same without fsync (for reference).
  peak               extra = VmHWM growth (kB) of this process since it started answering.
  quit
"""
import os
import sys
import time

import h5py
import numpy as np


def status_kb(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def float_datasets(f):
    root = f["model_weights"] if "model_weights" in f else f
    found = []
    root.visititems(lambda name, obj: found.append(obj.name) if isinstance(obj, h5py.Dataset) and obj.dtype.kind == "f" else None)
    return found


read_arrays = {}
source = {}


def read(path):
    if not read_arrays:
        with h5py.File(path, "r") as f:
            for name in float_datasets(f):
                read_arrays[name] = np.empty(f[name].shape, dtype=f[name].dtype)
    start = time.perf_counter()
    with h5py.File(path, "r") as f:
        for name, array in read_arrays.items():
            f[name].read_direct(array)
    return (time.perf_counter() - start) * 1000, sum(a.nbytes for a in read_arrays.values())


def load_source(path):
    """Everything to write, in memory: groups with their attributes, datasets with values and attributes."""
    groups, datasets = [], []

    def visit(name, obj):
        attrs = {k: v for k, v in obj.attrs.items()}
        if isinstance(obj, h5py.Dataset):
            datasets.append((obj.name, obj[()].astype("<f4") if obj.dtype.kind == "f" else obj[()], attrs))
        else:
            groups.append((obj.name, attrs))

    with h5py.File(path, "r") as f:
        root_attrs = {k: v for k, v in f.attrs.items()}
        f.visititems(visit)
    return root_attrs, groups, datasets


def write(src, dst, sync):
    if src not in source:
        source.clear()
        source[src] = load_source(src)
    root_attrs, groups, datasets = source[src]
    temporary = dst + ".tmp"
    start = time.perf_counter()
    with h5py.File(temporary, "w") as f:
        f.attrs.update(root_attrs)
        for name, attrs in groups:
            f.create_group(name).attrs.update(attrs)
        for name, values, attrs in datasets:
            f.create_dataset(name, data=values).attrs.update(attrs)
        f.flush()
        if sync:
            os.fsync(f.id.get_vfd_handle())
    os.replace(temporary, dst)
    return (time.perf_counter() - start) * 1000, sum(v.nbytes for _, v, _ in datasets)


def main():
    baseline = status_kb("VmRSS")
    print("ready", flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] == "quit":
            break
        if words[0] == "read":
            ms, extra = read(words[1])
        elif words[0] in ("write", "write-nosync"):
            ms, extra = write(words[1], words[2], sync=words[0] == "write")
        elif words[0] == "peak":
            ms, extra = 0.0, status_kb("VmHWM") - baseline
        else:
            raise SystemExit("unknown command: " + line)
        print("%.3f %d" % (ms, extra), flush=True)


if __name__ == "__main__":
    main()
