"""Ragged rows: rows of varying length cut from one flat array by start and end offsets.

Encoded profiles keep every row's sets this way, and the rendered texts every row's UTF-8 bytes; both are
gathered and interleaved by these two functions instead of a Python step per row.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def ranges(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Concatenation of arange(s, e) for each pair, without a Python loop."""
    lengths = ends - starts
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    run_start = np.repeat(starts - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
    return run_start + np.arange(total, dtype=np.int64)


def gathered(flats: Sequence[np.ndarray], starts: Sequence[np.ndarray], ends: Sequence[np.ndarray],
             part_of_row: np.ndarray, row_in_part: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One flat array whose row ``i`` is row ``row_in_part[i]`` of part ``part_of_row[i]`` (part ``k``'s row
    ``r`` is ``flats[k][starts[k][r]:ends[k][r]]``), and the n + 1 offsets of its rows."""
    n = len(part_of_row)
    picks = [np.flatnonzero(part_of_row == k) for k in range(len(flats))]
    lengths = np.zeros(n, dtype=np.int64)
    for k, at in enumerate(picks):
        rows = row_in_part[at]
        lengths[at] = ends[k][rows] - starts[k][rows]
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    flat = np.empty(int(offsets[-1]), dtype=flats[0].dtype if flats else np.int64)
    for k, at in enumerate(picks):
        rows = row_in_part[at]
        flat[ranges(offsets[at], offsets[at] + lengths[at])] = flats[k][ranges(starts[k][rows], ends[k][rows])]
    return flat, offsets
