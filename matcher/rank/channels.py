"""Retrieval-channel columns (dense/sparse scores and ranks, fused score) for given (query, candidate) pairs.

Training rows are the pairs people saw and acted on, not only what retrieval returned; this computes
for each of them exactly what serving would have seen: each channel's score for the pair, its rank in
that channel's top ``depth`` (NaN beyond), and the reciprocal-rank fusion of those ranks. Queries run
in batches, so a million labelled pairs cost minutes, not hours.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from matcher.retrieve.candidates import CandidatePool
from matcher.retrieve.fusion import RRF_K, reciprocal_rank_fusion

QUERY_BATCH = 256


def _rank_lookup(ids: np.ndarray) -> dict[tuple[int, str], int]:
    return {(q, c): r for q, row in enumerate(ids) for r, c in enumerate(row, start=1) if c is not None}


def channel_columns(pairs: pd.DataFrame, query_pool: CandidatePool, candidate_pool: CandidatePool,
                    query_texts: Callable[[Sequence[str]], list[str]], depth: int = 200,
                    rrf_k: int = RRF_K) -> pd.DataFrame:
    """pairs: query_id, candidate_id -> same rows with dense_score, dense_rank, sparse_score, sparse_rank,
    fused_score. Query vectors come from ``query_pool`` (the stored vectors), texts from ``query_texts``."""
    parts = []
    queries = pairs["query_id"].unique()
    for start in range(0, len(queries), QUERY_BATCH):
        batch = queries[start:start + QUERY_BATCH]
        chunk = pairs[pairs["query_id"].isin(set(batch))]
        parts.append(_batch_columns(chunk, list(batch), query_pool, candidate_pool, query_texts(batch), depth))
    out = pd.concat(parts).reindex(pairs.index) if parts else pairs.assign()
    ranks = out[["dense_rank", "sparse_rank"]]
    out["fused_score"] = reciprocal_rank_fusion(ranks, rrf_k)
    return out


def _batch_columns(chunk: pd.DataFrame, batch: list[str], query_pool: CandidatePool, candidate_pool: CandidatePool,
                   texts: list[str], depth: int) -> pd.DataFrame:
    q_vectors = query_pool.dense.vectors(batch)
    q_row = pd.Series(np.arange(len(batch)), index=batch).reindex(chunk["query_id"]).to_numpy()
    c_ids = chunk["candidate_id"].astype(str).to_numpy()
    c_vectors = candidate_pool.dense.vectors(list(c_ids))
    dense_scores = np.einsum("ij,ij->i", q_vectors[q_row], c_vectors)
    sparse_matrix = candidate_pool.sparse.scores(texts)
    sparse_scores = sparse_matrix[q_row, candidate_pool.sparse.slots.positions(c_ids)]
    dense_top, _ = candidate_pool.dense.search(q_vectors, depth)
    sparse_top, _ = candidate_pool.sparse.search(texts, depth)
    dense_rank, sparse_rank = _rank_lookup(dense_top), _rank_lookup(sparse_top)
    keys = list(zip(q_row.tolist(), c_ids.tolist(), strict=True))
    d_rank = np.array([dense_rank.get(k, np.nan) for k in keys], dtype=float)
    s_rank = np.array([sparse_rank.get(k, np.nan) for k in keys], dtype=float)
    # Serving only knows a channel's score for what that channel returned: keep training identical.
    return chunk.assign(
        dense_score=np.where(np.isnan(d_rank), np.nan, dense_scores), dense_rank=d_rank,
        sparse_score=np.where(np.isnan(s_rank), np.nan, sparse_scores), sparse_rank=s_rank,
    )


def retrieved_pairs(query_ids: Sequence[str], query_pool: CandidatePool, candidate_pool: CandidatePool,
                    query_texts: Callable[[Sequence[str]], list[str]], depth: int = 200,
                    limit: int | None = None, rrf_k: int = RRF_K) -> pd.DataFrame:
    """What serving would retrieve for each query: the union of both channels' top ``depth``, best ``limit``
    by reciprocal-rank fusion. Columns query_id, candidate_id."""
    parts = []
    for start in range(0, len(query_ids), QUERY_BATCH):
        batch = list(query_ids[start:start + QUERY_BATCH])
        dense_top, _ = candidate_pool.dense.search(query_pool.dense.vectors(batch), depth)
        sparse_top, _ = candidate_pool.sparse.search(query_texts(batch), depth)
        for q, query in enumerate(batch):
            fused: dict[str, float] = {}
            for row in (dense_top[q], sparse_top[q]):
                for rank, cand in enumerate(row, start=1):
                    if cand is not None:
                        fused[cand] = fused.get(cand, 0.0) + 1.0 / (rrf_k + rank)
            best = sorted(fused, key=fused.__getitem__, reverse=True)[:limit]
            parts.append(pd.DataFrame({"query_id": query, "candidate_id": best}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["query_id", "candidate_id"])
