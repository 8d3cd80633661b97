"""Hybrid retrieval in both directions: dense + BM25 channels under hard filters, fused by RRF."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from matcher.embed.encoder import Encoder
from matcher.embed.render import render_job, render_talent
from matcher.retrieve.candidates import CandidatePool
from matcher.retrieve.filters import RetrievalFilters, Side
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


def retrieve(pool: CandidatePool, query_text: str, query_vector: np.ndarray,
             filters: RetrievalFilters | None = None, config: RetrievalConfig | None = None) -> pd.DataFrame:
    """Candidates from ``pool`` for one query: columns CANDIDATE_COLUMNS, best fused rank first.

    ``query_vector`` (d,) float32 L2-normalised, from the same encoder as the pool's dense index;
    a zero vector (empty text) skips the dense channel. Filters apply inside both channels, so
    every returned candidate satisfies them.
    """
    return pd.DataFrame(retrieve_columns(pool, query_text, query_vector, filters, config),
                        columns=list(CANDIDATE_COLUMNS))


def retrieve_columns(pool: CandidatePool, query_text: str, query_vector: np.ndarray,
                     filters: RetrievalFilters | None = None,
                     config: RetrievalConfig | None = None) -> dict[str, np.ndarray]:
    """:func:`retrieve` as aligned numpy columns (CANDIDATE_COLUMNS; ids an object array): the serving path."""
    config = config or RetrievalConfig()
    dense_mask, sparse_mask = pool.masks(filters or RetrievalFilters())
    vector = np.asarray(query_vector, dtype=np.float32).reshape(1, -1)
    if np.linalg.norm(vector) > 0:
        dense_slots, dense_scores = pool.dense.search_slots(vector, config.per_channel, dense_mask)
    else:
        dense_slots, dense_scores = np.full((1, 0), -1, dtype=np.int64), np.zeros((1, 0), dtype=np.float32)
    sparse_slots, sparse_scores = pool.sparse.search_slots([query_text], config.per_channel, sparse_mask)
    columns = fuse_slots(pool.dense.slots, dense_slots, dense_scores, pool.sparse.slots, sparse_slots,
                         sparse_scores, config.rrf_k, config.limit)
    del columns[QUERY]
    return columns


def _check_side(pool: CandidatePool, side: Side) -> None:
    if pool.side != side:
        raise ValueError(f"expected a pool of {side}s to search, got a pool of {pool.side}s")


def jobs_for_talent(talent: Mapping[str, Any], encoder: Encoder, jobs: CandidatePool,
                    filters: RetrievalFilters | None = None,
                    config: RetrievalConfig | None = None) -> pd.DataFrame:
    """Talent → jobs: render and encode the talent record, then :func:`retrieve` over ``jobs``."""
    _check_side(jobs, "job")
    text = render_talent(talent)
    return retrieve(jobs, text, encoder.encode([text])[0], filters, config)


def talents_for_job(job: Mapping[str, Any], encoder: Encoder, talents: CandidatePool,
                    filters: RetrievalFilters | None = None,
                    config: RetrievalConfig | None = None) -> pd.DataFrame:
    """Job → talents: render and encode the job record, then :func:`retrieve` over ``talents``."""
    _check_side(talents, "talent")
    text = render_job(job)
    return retrieve(talents, text, encoder.encode([text])[0], filters, config)
