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


def gathered(flats: Sequence[np.ndarray], offsets: Sequence[np.ndarray], part_of_row: np.ndarray,
             row_in_part: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One flat array whose row ``i`` is row ``row_in_part[i]`` of part ``part_of_row[i]`` (part ``k``'s row
    ``r`` is ``flats[k][offsets[k][r]:offsets[k][r + 1]]``), and the n + 1 offsets of its rows.

    Rows taken in runs (the next row of the same part, as when a saved table's unchanged rows are copied
    around a few new ones) are copied a run at a time; otherwise element by element through one index array,
    which for a million texts' bytes would be eight bytes of index per byte copied."""
    n = len(part_of_row)
    picks = [np.flatnonzero(part_of_row == k) for k in range(len(flats))]
    lengths = np.zeros(n, dtype=np.int64)
    for k, at in enumerate(picks):
        rows = row_in_part[at]
        lengths[at] = offsets[k][rows + 1] - offsets[k][rows]
    out = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=out[1:])
    flat = np.empty(int(out[-1]), dtype=flats[0].dtype if len(flats) else np.int64)
    breaks = np.flatnonzero((np.diff(part_of_row) != 0) | (np.diff(row_in_part) != 1)) + 1
    if n and len(breaks) + 1 <= max(n // RUN_ROWS, 1):
        for a, b in zip([0, *breaks.tolist()], [*breaks.tolist(), n], strict=True):
            k, first, last = int(part_of_row[a]), int(row_in_part[a]), int(row_in_part[b - 1])
            flat[out[a]:out[b]] = flats[k][offsets[k][first]:offsets[k][last + 1]]
        return flat, out
    for k, at in enumerate(picks):
        rows = row_in_part[at]
        flat[ranges(out[at], out[at] + lengths[at])] = flats[k][ranges(offsets[k][rows], offsets[k][rows + 1])]
    return flat, out


RUN_ROWS = 16
"""Rows per run, on average, above which :func:`gathered` copies run by run."""
