"""Hybrid retrieval for many queries at once: one dense and one sparse search per batch, fused in numpy.

The per-query :func:`matcher.retrieve.hybrid.retrieve` serves the API; bulk runs send thousands of
queries, where one FAISS call, one BM25 product and one vectorised fusion per batch cost a fraction
of a loop over queries. Both give the same candidates in the same order (checked by an oracle test).
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from matcher.index.slots import Allowed
from matcher.retrieve.candidates import CandidatePool
from matcher.retrieve.fusion import (
    CANDIDATE_ID,
    DENSE_RANK,
    DENSE_SCORE,
    FUSED_RANK,
    FUSED_SCORE,
    QUERY,
    SPARSE_RANK,
    SPARSE_SCORE,
    fuse_ranked,
    fuse_slots,
)
from matcher.retrieve.hybrid import RetrievalConfig

BATCH_COLUMNS = (QUERY, CANDIDATE_ID, DENSE_SCORE, DENSE_RANK, SPARSE_SCORE, SPARSE_RANK, FUSED_SCORE, FUSED_RANK)


def retrieve_batch(pool: CandidatePool, texts: Sequence[str], vectors: np.ndarray,
                   config: RetrievalConfig | None = None, allowed: Allowed = None) -> pd.DataFrame:
    """Candidates for each query: columns BATCH_COLUMNS, queries in order, each best fused rank first.

    ``vectors`` (q, d) float32 L2-normalised, row i encoding ``texts[i]``; an all-zero row skips the
    dense channel for that query, as in ``retrieve``. ``allowed`` restricts both channels (a bool mask
    over slot positions or a collection of ids). ``config.limit`` keeps the best fused candidates per query.
    """
    config = config or RetrievalConfig()
    vectors = np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)
    dense_slots, dense_scores = pool.dense.search_slots(vectors, config.per_channel, allowed)
    dense_slots[np.linalg.norm(vectors, axis=1) == 0] = -1
    sparse_slots, sparse_scores = pool.sparse.search_slots(list(texts), config.per_channel, allowed)
    table = fuse_slots(pool.dense.slots, dense_slots, dense_scores, pool.sparse.slots, sparse_slots, sparse_scores,
                       config.rrf_k, config.limit)
    table[CANDIDATE_ID] = pd.Series(table[CANDIDATE_ID], dtype=object)  # never pandas' string dtype
    return pd.DataFrame(table, columns=list(BATCH_COLUMNS))


def fuse_batch(dense_ids: np.ndarray, dense_scores: np.ndarray, sparse_ids: np.ndarray, sparse_scores: np.ndarray,
               k: int, limit: int | None = None) -> pd.DataFrame:
    """:func:`fuse_ranked` as a frame with columns BATCH_COLUMNS."""
    table = fuse_ranked(dense_ids, dense_scores, sparse_ids, sparse_scores, k, limit)
    table[CANDIDATE_ID] = pd.Series(table[CANDIDATE_ID], dtype=object)  # never pandas' string dtype
    return pd.DataFrame(table, columns=list(BATCH_COLUMNS))
