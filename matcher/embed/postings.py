"""Scoring straight from BM25 postings: one compiled pass over each query term's postings.

The scipy form (gather the query's rows of the postings matrix, then a sparse × dense product) copies every
posting it touches (~1M on 100k talents, a job query) and, for a batch of queries, multiplies each posting
by every query's weight, zero or not. This loop reads each query's own postings in place and adds
``weight × posting`` into that query's row of scores: the same sums in the same term order, so the scores
equal scipy's bit for bit.
"""
from __future__ import annotations

from functools import cache

import numpy as np


def _accumulate(indptr: np.ndarray, indices: np.ndarray, data: np.ndarray, terms: np.ndarray,
                weights: np.ndarray, out: np.ndarray, offset: int) -> None:  # pragma: no cover - compiled
    for query in range(weights.shape[0]):
        for position in range(terms.shape[0]):
            weight = weights[query, position]
            if weight == 0:
                continue
            term = terms[position]
            for posting in range(indptr[term], indptr[term + 1]):
                out[query, offset + indices[posting]] += weight * data[posting]


def accumulate_postings(indptr: np.ndarray, indices: np.ndarray, data: np.ndarray, terms: np.ndarray,
                        weights: np.ndarray, out: np.ndarray, offset: int = 0) -> None:
    """``out[q, offset + doc] += weights[q, t] · data`` over the postings of each ``terms[t]`` (rows of a CSR
    matrix of terms × documents given by ``indptr, indices, data``). ``out`` is (q, n) float32, C-contiguous,
    with n ≥ offset + the matrix's documents."""
    if out.dtype != np.float32 or not out.flags.c_contiguous:
        raise ValueError("out must be a C-contiguous float32 array")
    if len(terms):
        _compiled()(indptr, indices, data, np.ascontiguousarray(terms, dtype=np.int64),
                    np.ascontiguousarray(weights, dtype=np.float32), out, offset)


@cache
def _compiled():  # noqa: ANN202 - a numba dispatcher
    """The loop compiled by numba, imported on first use: numba adds ~0.5 s to the start of any process
    importing it, and most commands never score a query. ``cache=True`` keeps the machine code beside this
    file, so later processes load it instead of compiling (~1 s)."""
    from numba import njit
    return njit(cache=True, nogil=True)(_accumulate)


def warm_up() -> None:
    """Compile (or load the cached compilation of) the loop now rather than on the first query."""
    out = np.zeros((1, 1), dtype=np.float32)
    accumulate_postings(np.array([0, 1], dtype=np.int32), np.array([0], dtype=np.int32),
                        np.ones(1, dtype=np.float32), np.array([0]), np.ones((1, 1), dtype=np.float32), out)
