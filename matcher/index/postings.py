"""Scoring straight from BM25 postings: one compiled pass over each query term's postings, and the best k
of a score row in another.

The scipy form (gather the query's rows of the postings matrix, then a sparse × dense product) copies every
posting it touches (about every talent's, for a job query) and, for a batch of queries, multiplies each posting
by every query's weight, zero or not. This loop reads each query's own postings in place and adds
``weight × posting`` into that query's row of scores: the same sums in the same term order, so the scores
equal scipy's bit for bit.

A job's query scores nearly every one of 100k talents above zero, so picking its best 200 is a pass over the
whole row either way: numpy's partition copies and reorders the row, a bounded heap only compares each score
with the worst kept one, and takes the filter mask in the same pass (timed by scripts/bench_retrieval.py).

The commonest scored terms (a quarter to a half of all documents: the template's field labels, common
characters) hold a large share of a job query's postings. Scattered one posting at a time they dominate the
loop; the same weights laid out as full rows (:class:`DenseRows`, zeros where a document lacks the term) are
added with vector instructions instead, for a bounded amount of memory (DENSE_BUDGET_BYTES). Adding ``weight × 0``
leaves a score unchanged and each score still gets its terms in the same order, so the sums stay bit for bit.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from matcher.index.char_ngrams import distinct_terms

NO_MASK = np.zeros(0, dtype=bool)
"""``mask`` argument of :func:`top_positive` meaning every position is allowed."""


DENSE_FROM_FRACTION = 0.25
"""Terms in at least this share of a segment's documents are kept as :class:`DenseRows` too."""
DENSE_BUDGET_BYTES = 64 << 20
"""At most this much of dense rows per segment, the commonest terms first."""


@dataclass(frozen=True)
class DenseRows:
    """Some terms' postings of a segment as full rows: ``rows[i, doc]`` is ``terms[i]``'s posting of ``doc``, 0
    where the document lacks the term. ``terms`` is sorted."""

    terms: np.ndarray
    rows: np.ndarray

    @classmethod
    def none(cls) -> DenseRows:
        return cls(np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32))

    @classmethod
    def of(cls, indptr: np.ndarray, indices: np.ndarray, data: np.ndarray, n_docs: int,
           scored: np.ndarray | None = None) -> DenseRows:
        """The terms of a CSR (terms × ``n_docs``) segment in at least :data:`DENSE_FROM_FRACTION` of its
        documents, within :data:`DENSE_BUDGET_BYTES`, the commonest first; only those where ``scored`` (bool per
        term; None for all) is True, as a query scores no others."""
        df = np.diff(indptr)
        common = np.flatnonzero((df >= DENSE_FROM_FRACTION * n_docs) & (df > 0))
        if scored is not None:
            common = common[scored[common]]
        budget = DENSE_BUDGET_BYTES // max(4 * n_docs, 1)
        terms = np.sort(common[np.argsort(-df[common], kind="stable")[:budget]]).astype(np.int64)
        rows = np.zeros((len(terms), n_docs), dtype=np.float32)
        for row, term in zip(rows, terms, strict=True):
            row[indices[indptr[term]:indptr[term + 1]]] = data[indptr[term]:indptr[term + 1]]
        return cls(terms, rows)

    def positions(self, terms: np.ndarray) -> np.ndarray:
        """Each of ``terms``' row in :attr:`rows`, −1 for terms without one."""
        found = np.searchsorted(self.terms, terms).clip(max=max(len(self.terms) - 1, 0))
        hit = self.terms[found] == terms if len(self.terms) else np.zeros(len(terms), dtype=bool)
        return np.where(hit, found, -1).astype(np.int64)


_NO_DENSE = DenseRows.none()


def _accumulate(indptr: np.ndarray, indices: np.ndarray, data: np.ndarray, terms: np.ndarray,
                weights: np.ndarray, out: np.ndarray, offset: int, dense_at: np.ndarray,
                dense: np.ndarray) -> None:  # pragma: no cover - compiled
    for query in range(weights.shape[0]):
        row = out[query]  # a view: one index per posting instead of two
        for position in range(terms.shape[0]):
            weight = weights[query, position]
            if weight == 0:
                continue
            if dense_at[position] >= 0:  # a whole row: one vectorised pass
                full = dense[dense_at[position]]
                target = row[offset:offset + full.shape[0]]  # indexed from 0, so no negative-index check
                for doc in range(full.shape[0]):
                    target[doc] += weight * full[doc]
                continue
            term = terms[position]
            posting, end = indptr[term], indptr[term + 1]
            # Four postings at a time, every load before any store: the compiler cannot know that a term's
            # documents are distinct, so the plain loop waits for each store before the next load (a measurable
            # part of the loop: scripts/bench_retrieval.py). Each score still gets its terms' additions in the
            # same order.
            while posting + 4 <= end:
                d0, d1 = offset + indices[posting], offset + indices[posting + 1]
                d2, d3 = offset + indices[posting + 2], offset + indices[posting + 3]
                s0, s1 = row[d0] + weight * data[posting], row[d1] + weight * data[posting + 1]
                s2, s3 = row[d2] + weight * data[posting + 2], row[d3] + weight * data[posting + 3]
                row[d0], row[d1], row[d2], row[d3] = s0, s1, s2, s3
                posting += 4
            while posting < end:
                row[offset + indices[posting]] += weight * data[posting]
                posting += 1


def _top_k(row: np.ndarray, mask: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover
    """The ``k`` best positive, allowed entries of ``row`` as (scores, positions), in no order. A min-heap
    keeps the k best seen, its root the worst of them; it starts full of placeholders (score 0, past the
    row's end) that every positive entry beats, so there is one code path: beat the root, replace it, sift
    down. "Worse" means a lower score, or the same score at a later position."""
    scores = np.zeros(k, dtype=row.dtype)
    kept = np.full(k, row.shape[0], dtype=np.int64)
    masked = mask.shape[0] > 0
    for position in range(row.shape[0]):
        score = row[position]
        if score <= scores[0] or (masked and not mask[position]):
            continue  # an equal score at a later position is worse than the root too
        parent = 0
        while True:
            child = 2 * parent + 1
            if child >= k:
                break
            right = child + 1
            if right < k and (scores[right] < scores[child]
                              or (scores[right] == scores[child] and kept[right] > kept[child])):
                child = right
            if scores[child] > score or (scores[child] == score and kept[child] < position):
                break  # the smaller child is better than the new entry: it belongs here
            scores[parent], kept[parent] = scores[child], kept[child]
            parent = child
        scores[parent], kept[parent] = score, position
    return scores, kept


def accumulate_postings(indptr: np.ndarray, indices: np.ndarray, data: np.ndarray, terms: np.ndarray,
                        weights: np.ndarray, out: np.ndarray, offset: int = 0,
                        dense: DenseRows | None = None) -> None:
    """``out[q, offset + doc] += weights[q, t] · data`` over the postings of each ``terms[t]`` (rows of a CSR
    matrix of terms × documents given by ``indptr, indices, data``, holding each document at most once per
    term, as postings do), in the order of ``terms``. ``out`` is (q, n) float32, C-contiguous, with
    n ≥ offset + the matrix's documents. ``dense``: the same postings of some terms as full rows, used for
    those terms instead of scattering (the sums are the same)."""
    if out.dtype != np.float32 or not out.flags.c_contiguous:
        raise ValueError("out must be a C-contiguous float32 array")
    if not len(terms):
        return
    terms = np.ascontiguousarray(terms, dtype=np.int64)
    dense = dense if dense is not None else _NO_DENSE
    if len(dense.terms) and offset + dense.rows.shape[1] > out.shape[1]:
        raise ValueError(f"dense rows of {dense.rows.shape[1]} documents at offset {offset} do not fit an output "
                         f"of {out.shape[1]}")
    _compiled().accumulate(indptr, indices, data, terms, np.ascontiguousarray(weights, dtype=np.float32), out,
                           offset, dense.positions(terms), dense.rows)


def top_positive(row: np.ndarray, k: int, mask: np.ndarray | None = None) -> np.ndarray:
    """Positions of the ``k`` largest positive entries of ``row`` (1-d) where ``mask`` (bool, same length; None
    for all) is True, best first, ties by position: what a stable sort of the row by descending score gives."""
    if mask is not None and mask.shape != row.shape:
        raise ValueError(f"mask has shape {mask.shape}, expected {row.shape}")
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    scores, positions = _compiled().top_k(np.ascontiguousarray(row), NO_MASK if mask is None else mask, k)
    found = scores > 0
    scores, positions = scores[found], positions[found]
    return positions[np.lexsort((positions, -scores))]


class _Kernels:
    """The compiled loops (numba dispatchers)."""

    def __init__(self) -> None:
        from numba import njit

        compiled = njit(cache=True, nogil=True)
        self.accumulate = compiled(_accumulate)
        self.top_k = compiled(_top_k)


@cache
def _compiled() -> _Kernels:
    """The loops compiled by numba, imported on first use: importing numba slows the start of any process, and
    most commands never score a query. ``cache=True`` keeps the machine code beside this file, so later
    processes load it instead of compiling."""
    return _Kernels()


def warm_up() -> None:
    """Compile (or load the cached compilation of) the loops now rather than on the first query, the query's
    tokenizer (matcher.index.char_ngrams) included."""
    distinct_terms(["warm up"])
    out = np.zeros((1, 1), dtype=np.float32)
    indptr, indices, data = np.array([0, 1], dtype=np.int32), np.array([0], dtype=np.int32), np.ones(1, np.float32)
    for dense in (None, DenseRows.of(indptr, indices, data, 1)):
        accumulate_postings(indptr, indices, data, np.array([0]), np.ones((1, 1), dtype=np.float32), out, 0, dense)
    top_positive(out[0], 1)
    top_positive(out[0], 1, np.ones(1, dtype=bool))
