"""Hand-made hostile HDF5 files for bench/Fuzz, derived from files Layerwise wrote.

usage: python3 hostile_h5.py MODEL_H5 WEIGHTS_WEIGHTS_H5 OUT_DIR
Writes OUT_DIR/<reader>__<name>.h5 (reader: load-h5 or weights-weights-h5): link cycles (the soft link
to itself that overflowed PureHDF's stack), external links out of the folder, a chunked dataset declared
huge but never written, a huge attribute. Needs h5py (Debian's python3-h5py); bench/Fuzz skips this
phase without it.
"""
import shutil
import sys

import h5py
import numpy as np


def first_group_with_datasets(f, root):
    found = []

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset) and not found:
            found.append(name)
    f[root].visititems(visit)
    return f"{root}/{found[0]}" if found else None


def variant(src, dst, edit):
    shutil.copyfile(src, dst)
    with h5py.File(dst, "r+") as f:
        edit(f)


def replace_with(f, path, link):
    del f[path]
    f[path] = link


def main(model_h5, weights_h5, out):
    for reader, src, root in (("load-h5", model_h5, "model_weights"), ("weights-weights-h5", weights_h5, "layers")):
        with h5py.File(src, "r") as f:
            dataset = first_group_with_datasets(f, root)
        group = dataset.rsplit("/", 1)[0]
        parent = group.rsplit("/", 1)[0]
        p = f"{out}/{reader}__"
        variant(src, p + "self_soft_link.h5", lambda f: replace_with(f, group, h5py.SoftLink("/" + group)))
        variant(src, p + "soft_link_pair.h5", lambda f: (replace_with(f, group, h5py.SoftLink("/" + group + "_b")),
                                                        f.__setitem__(group + "_b", h5py.SoftLink("/" + group))))
        variant(src, p + "dataset_soft_link_to_itself.h5", lambda f: replace_with(f, dataset, h5py.SoftLink("/" + dataset)))
        variant(src, p + "hard_link_cycle.h5", lambda f: f[group].__setitem__("loop", f[parent]))
        variant(src, p + "external_link_etc_passwd.h5", lambda f: replace_with(f, group, h5py.ExternalLink("/etc/passwd", "/")))
        variant(src, p + "external_link_outside.h5", lambda f: replace_with(f, dataset, h5py.ExternalLink("../../outside.h5", "/x")))

        def huge_chunked(f):
            shape = f[dataset].shape
            del f[dataset]
            big = tuple([100_000] * len(shape)) if len(shape) > 1 else (1_000_000_000,)
            f.create_dataset(dataset, shape=big, chunks=tuple([64] * len(shape)), dtype="f4")
        variant(src, p + "huge_chunked_never_written.h5", huge_chunked)

        def huge_attribute(f):
            f[group].attrs["weight_names"] = np.array([b"x" * 1000] * 20_000)
        variant(src, p + "huge_attribute.h5", huge_attribute)


if __name__ == "__main__":
    main(*sys.argv[1:4])
