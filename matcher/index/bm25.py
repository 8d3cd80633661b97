"""Okapi BM25's parameters and weighting: idf, the document-length norm and the term-frequency part."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from matcher.index.char_ngrams import DEFAULT_FEATURE_BITS

_REWEIGHT_CHUNK = 1 << 24


@dataclass(frozen=True)
class BM25Params:
    k1: float = 1.2
    b: float = 0.75
    feature_bits: int = DEFAULT_FEATURE_BITS
    merge_docs: int = 20_000
    """Documents added since the last merge are kept in a small segment until there are this many."""
    compact_fraction: float | None = 0.2
    """Drop tombstones once they exceed this fraction of positions; None = only on demand."""
    max_df_fraction: float | None = 0.5
    """Query terms in more than this share of documents are skipped (idf < ln 2: the template's labels,
    the commonest characters). They hold most of a query's postings but barely move a top-200 on demo
    data (tests/index/test_sparse.py). None scores every term."""
    prune_from_docs: int = 50_000
    """Below this many documents every term is scored: queries are fast anyway."""


def idf(df: np.ndarray, n_documents: int) -> np.ndarray:
    """ln(1 + (N − df + 0.5) / (df + 0.5)) as float32 for document frequencies ``df`` among ``n_documents``."""
    df = df.astype(np.float64)
    return np.log1p((n_documents - df + 0.5) / (df + 0.5)).astype(np.float32)


def length_norm(doc_len: np.ndarray, avgdl: float, params: BM25Params) -> np.ndarray:
    """k1·(1−b+b·dl/avgdl) per document (float32): the denominator's share that depends on its length."""
    k1, b = params.k1, params.b
    return (k1 * (1 - b + b * doc_len / max(avgdl, 1e-9))).astype(np.float32)


def tf_weights(counts: sp.csr_matrix, norm: np.ndarray, k1: float) -> sp.csr_matrix:
    """Term-frequency part tf·(k1+1) / (tf + norm) of (docs × features) ``counts``, row i normalised by norm[i]."""
    weighted = counts.copy()
    row_norm = np.repeat(norm, np.diff(counts.indptr))
    weighted.data = (counts.data * (k1 + 1) / (counts.data + row_norm)).astype(np.float32)
    return weighted


def reweight_postings(data: np.ndarray, docs: np.ndarray, old_norm: np.ndarray, new_norm: np.ndarray,
                      k1: float) -> None:
    """Re-weight posting values ``data`` of documents ``docs`` in place from ``old_norm`` to ``new_norm``.

    The term frequency is recovered exactly by inverting the old weighting (tf is an integer), in chunks so
    a large segment needs no full-size temporaries.
    """
    for start in range(0, len(data), _REWEIGHT_CHUNK):
        part, doc = data[start:start + _REWEIGHT_CHUNK], docs[start:start + _REWEIGHT_CHUNK]
        tf = np.rint(part * old_norm[doc] / (k1 + 1 - part))  # invert the old weighting exactly
        data[start:start + _REWEIGHT_CHUNK] = tf * (k1 + 1) / (tf + new_norm[doc])
