"""Hybrid retrieval in both directions: dense + BM25 channels under hard filters, fused by RRF.

One path for one query or many: :func:`retrieve_batch` searches each channel once for the whole batch and
fuses in numpy; a single query is a batch of one (:func:`retrieve` is its one-query table).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from matcher.index.slots import Allowed
from matcher.retrieve.candidates import CandidatePool
from matcher.retrieve.filters import RetrievalFilters
from matcher.retrieve.fusion import CANDIDATE_COLUMNS, QUERY, RRF_K, fuse_slots

RANK_DEPTH = 100
"""Fused candidates the ranker scores per query when serving (``Matcher``) and in bulk runs by default.
Ranking the best 100 instead of the whole union (up to 400) left sampled top-10 lists unchanged with the trained
rankers and saves part of every query's ranking (measured by scripts/bench_api.py; bulk runs' agreement with
ranking all by scripts/bench_bulk.py --depth)."""


@dataclass(frozen=True)
class RetrievalConfig:
    """How many candidates each channel fetches and how they are fused.

    200 per channel leaves the ranker a wide pool while keeping both searches in the low
    milliseconds; RRF k=60 is the constant of Cormack et al. (2009), robust without tuning.
    """

    per_channel: int = 200
    rrf_k: int = RRF_K
    limit: int | None = None
    """Keep only the best ``limit`` fused candidates; None keeps the whole union."""


def retrieve_batch(pool: CandidatePool, texts: Sequence[str], vectors: np.ndarray,
                   config: RetrievalConfig | None = None, allowed: Allowed = None,
                   filters: RetrievalFilters | None = None) -> dict[str, np.ndarray]:
    """Candidates for each of q queries as aligned numpy columns QUERY and CANDIDATE_COLUMNS (ids an object
    array): queries in order, each best fused rank first (:func:`matcher.retrieve.fusion.fuse_slots`).

    ``vectors`` (q, d) float32 L2-normalised, row i encoding ``texts[i]``, from the pool's encoder; an
    all-zero row (empty text) skips the dense channel for that query. ``allowed`` (a bool mask over slot
    positions or a collection of ids) or ``filters`` (hard filters on the pool's metadata) restrict both
    channels, so every candidate satisfies them. ``config.limit`` keeps each query's best fused candidates.
    """
    if allowed is not None and filters is not None:
        raise ValueError("restrict retrieval by allowed or by filters, not both")
    config = config or RetrievalConfig()
    vectors = np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)
    dense_allowed, sparse_allowed = (allowed, allowed) if filters is None else pool.masks(filters)
    empty = np.linalg.norm(vectors, axis=1) == 0
    if empty.all():  # no query to search densely: skip the call
        dense_slots, dense_scores = np.full((len(texts), 0), -1, dtype=np.int64), np.zeros((len(texts), 0), np.float32)
    else:
        dense_slots, dense_scores = pool.dense.search_slots(vectors, config.per_channel, dense_allowed)
        dense_slots[empty] = -1
    sparse_slots, sparse_scores = pool.sparse.search_slots(list(texts), config.per_channel, sparse_allowed)
    return fuse_slots(pool.dense.slots, dense_slots, dense_scores, pool.sparse.slots, sparse_slots, sparse_scores,
                      config.rrf_k, config.limit)


def retrieve(pool: CandidatePool, query_text: str, query_vector: np.ndarray,
             filters: RetrievalFilters | None = None, config: RetrievalConfig | None = None) -> pd.DataFrame:
    """Candidates from ``pool`` for one query (a batch of one): columns CANDIDATE_COLUMNS, best fused rank
    first. ``query_vector`` (d,) float32 L2-normalised; a zero vector skips the dense channel."""
    columns = retrieve_batch(pool, [query_text], np.asarray(query_vector).reshape(1, -1), config, filters=filters)
    del columns[QUERY]
    return pd.DataFrame(columns, columns=list(CANDIDATE_COLUMNS))
