"""Arrays read from saved ``.npy`` files as copy-on-write memory maps, so worker processes share their pages.

Every API worker loads the same saved pools. Read into private memory, each worker holds its own copy of the
postings, statistics and profile tables; mapped, the pages come from the operating system's page cache, which
all processes mapping the file share (scripts/bench_memory.py measures the sum of PSS).

The maps are private (``mmap_mode="c"``, MAP_PRIVATE): an in-place write (a BM25 merge re-weighting the postings,
a document-frequency update) copies only the pages it touches into the writing process and never reaches the
file, which other workers keep reading. Saved files are only ever replaced by renaming a new directory over the
old one (:func:`matcher.index.snapshot.atomic_directory`), never rewritten in place, so a map stays valid
(the old file lives on, unlinked, until the last map of it closes).
"""
from __future__ import annotations

import mmap
import os
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from matcher.index.snapshot import IndexMismatchError
from matcher.memory import unwritten_map

CSR_PARTS = ("data", "indices", "indptr")


def load_array(path: Path, mapped: bool = True) -> np.ndarray:
    """The array saved at ``path`` (``np.save``): a copy-on-write map when ``mapped``, else read into memory.
    A plain ndarray either way (not an ``np.memmap``), which compiled kernels take like any other array."""
    if not mapped:
        return np.load(path, allow_pickle=False)
    try:
        array = np.load(path, mmap_mode="c", allow_pickle=False)
    except ValueError:  # an empty array: nothing to map
        return np.load(path, allow_pickle=False)
    return array.view(np.ndarray)


def save_array(path: Path, array: np.ndarray) -> None:
    """``np.save(path, array)``; when ``array`` is the whole map of a saved file this process has not written,
    that file is linked at ``path`` instead. Saving a pool after a few writes then neither reads nor copies the
    postings no write touched (nearly all of a large pool's), and their pages stay shared."""
    source = _unwritten_file(array)
    if source is not None:
        try:
            os.link(source, path)
            return
        except OSError:  # another file system, or links refused: copy
            pass
    np.save(path, array, allow_pickle=False)


def _unwritten_file(array: np.ndarray) -> Path | None:
    """The ``.npy`` file ``array`` maps whole (as :func:`load_array` maps it), if no page of the map was written."""
    base: object = array
    while isinstance(base, np.ndarray) and not isinstance(base, np.memmap):
        base = base.base
    if not isinstance(base, np.memmap) or base.filename is None or not array.size:
        return None
    if (base.shape, base.dtype, base.ctypes.data) != (array.shape, array.dtype, array.ctypes.data):
        return None  # a part of the map, or another view of it
    if base.flags.c_contiguous != array.flags.c_contiguous or unwritten_map(array.ctypes.data) is None:
        return None
    return Path(base.filename)


def is_mapped(array: np.ndarray) -> bool:
    """Whether ``array`` (or the array it views) is a memory map of a file."""
    base: object = array
    while isinstance(base, np.ndarray):
        if isinstance(base, np.memmap):
            return True
        base = base.base
    return isinstance(base, mmap.mmap)


def save_csr(directory: Path, name: str, matrix: sp.csr_matrix) -> None:
    """``matrix``'s three arrays as ``<name>.data.npy``, ``<name>.indices.npy``, ``<name>.indptr.npy``."""
    for part in CSR_PARTS:
        save_array(Path(directory) / f"{name}.{part}.npy", getattr(matrix, part))


def load_csr(directory: Path, name: str, shape: tuple[int, int], mapped: bool = True) -> sp.csr_matrix:
    """The matrix :func:`save_csr` wrote, its arrays mapped (``mapped``) and used as they are, not copied."""
    data, indices, indptr = (load_array(Path(directory) / f"{name}.{part}.npy", mapped) for part in CSR_PARTS)
    if len(indptr) != shape[0] + 1 or len(data) != len(indices) or (len(indptr) and indptr[-1] != len(data)):
        raise ValueError(f"{directory}: the arrays of {name} do not form a {shape[0]} × {shape[1]} CSR matrix")
    return sp.csr_matrix((data, indices, indptr), shape=shape, copy=False)


def load_postings(directory: Path, manifest: dict, n_features: int,
                  mapped: bool) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """The main and recent postings of a saved BM25 index: mapped arrays (format 2), or read from .npz (format 1);
    IndexMismatchError when the files do not hold what the manifest says."""
    if manifest["format_version"] == 1:
        return (_canonical(sp.load_npz(directory / "main.npz").tocsr()),
                _canonical(sp.load_npz(directory / "recent.npz").tocsr()))
    try:
        return tuple(_canonical(load_csr(directory, name, (n_features, int(manifest[f"{name}_docs"])), mapped))
                     for name in ("main", "recent"))
    except ValueError as error:
        raise IndexMismatchError(f"{error}; the snapshot is corrupt") from error


def _canonical(postings: sp.csr_matrix) -> sp.csr_matrix:
    """Each document at most once per term, which the scoring loop relies on (indexes built here always are;
    a file written otherwise is summed up rather than trusted)."""
    if not postings.has_canonical_format:
        postings.sum_duplicates()
    return postings
