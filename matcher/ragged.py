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


def gathered(flats: Sequence[Sequence[np.ndarray]], starts: Sequence[np.ndarray], ends: Sequence[np.ndarray],
             part_of_row: np.ndarray, row_in_part: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """Flat arrays whose row ``i`` is row ``row_in_part[i]`` of part ``part_of_row[i]``, and the n + 1 offsets of
    their rows. Part ``k`` holds the aligned flat arrays ``flats[k]`` (values and their levels, say), its row
    ``r`` being ``flats[k][j][starts[k][r]:ends[k][r]]``; its rows lie end to end (row ``r`` ends where ``r + 1``
    starts), as encoded profiles' sets and rendered texts' bytes do.

    Rows taken in runs (the next row of the same part, as when a saved table's unchanged rows are copied around
    a few new ones, or a batch of consecutive rows is taken) are copied a run at a time; otherwise element by
    element through index arrays (for texts' bytes, eight bytes of index per byte copied)."""
    n, single = len(part_of_row), len(flats) == 1
    picks = [slice(None)] if single else [np.flatnonzero(part_of_row == k) for k in range(len(flats))]
    source, lengths = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    for k, at in enumerate(picks):
        rows = row_in_part[at]
        source[at] = starts[k][rows]
        lengths[at] = ends[k][rows] - source[at]
    out = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=out[1:])
    breaks = np.flatnonzero((np.diff(part_of_row) != 0) | (np.diff(row_in_part) != 1)) + 1
    if n and len(breaks) + 1 <= max(n // RUN_ROWS, 1):
        results = [np.empty(int(out[-1]), dtype=flat.dtype) for flat in flats[0]]
        for a, b in zip([0, *breaks.tolist()], [*breaks.tolist(), n], strict=True):
            k, first, last = int(part_of_row[a]), int(source[a]), int(source[b - 1] + lengths[b - 1])
            for result, flat in zip(results, flats[k], strict=True):
                result[out[a]:out[b]] = flat[first:last]
        return results, out
    if single:
        taken = ranges(source, source + lengths)
        return [flat[taken] for flat in flats[0]], out
    results = [np.empty(int(out[-1]), dtype=flat.dtype) for flat in flats[0]]
    for k, at in enumerate(picks):
        target, taken = ranges(out[:-1][at], out[1:][at]), ranges(source[at], source[at] + lengths[at])
        for result, flat in zip(results, flats[k], strict=True):
            result[target] = flat[taken]
    return results, out


RUN_ROWS = 16
"""Rows per run, on average, above which :func:`gathered` copies run by run."""
