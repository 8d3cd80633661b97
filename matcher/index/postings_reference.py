"""The plain path of :mod:`matcher.index.postings`: scipy's sparse product for the scores, numpy's partition for
the best k. Same signatures and the same answers as the compiled loops, for ``Settings.native = False`` and as
their oracle in the tests.

The scores are bit for bit the loop's: scipy adds each document's ``weight × posting`` terms in the order of
``terms`` into a zeroed row, as the loop does into the zeroed rows :meth:`BM25Index.scores` hands it. The best k
are the loop's too, ties included: everything strictly above the k-th best score, then the earliest positions
holding exactly that score.
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from matcher.index.postings import DenseRows


def accumulate_postings(indptr: np.ndarray, indices: np.ndarray, data: np.ndarray, terms: np.ndarray,
                        weights: np.ndarray, out: np.ndarray, offset: int = 0,
                        dense: DenseRows | None = None) -> None:
    """:func:`matcher.index.postings.accumulate_postings` as ``out[:, offset:] += weights · postings[terms]``.
    ``dense`` is accepted and not needed: it holds the same postings the product reads."""
    if out.dtype != np.float32 or not out.flags.c_contiguous:
        raise ValueError("out must be a C-contiguous float32 array")
    if not len(terms):
        return
    postings = sp.csr_matrix((data, indices, indptr), shape=(len(indptr) - 1, out.shape[1] - offset))
    chosen = postings[np.asarray(terms, dtype=np.int64)]
    out[:, offset:] += (chosen.T @ np.asarray(weights, dtype=np.float32).T).T


def top_positive(row: np.ndarray, k: int, mask: np.ndarray | None = None) -> np.ndarray:
    """:func:`matcher.index.postings.top_positive` by partition: positions of the ``k`` largest positive entries
    of ``row`` where ``mask`` is True, best first, ties by position."""
    if mask is not None and mask.shape != row.shape:
        raise ValueError(f"mask has shape {mask.shape}, expected {row.shape}")
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    allowed = row > 0 if mask is None else (row > 0) & mask
    positions = np.flatnonzero(allowed)
    scores = row[positions]
    if len(positions) > k:
        kth = scores[np.argpartition(-scores, k - 1)[k - 1]]  # the k-th best score
        above = np.flatnonzero(scores > kth)
        tied = np.flatnonzero(scores == kth)[:k - len(above)]  # flatnonzero is in position order
        keep = np.concatenate([above, tied])
        positions, scores = positions[keep], scores[keep]
    return positions[np.lexsort((positions, -scores))].astype(np.int64)
