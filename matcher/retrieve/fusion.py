"""Channel results → one candidate table, fused by reciprocal-rank fusion."""
from __future__ import annotations

import numpy as np
import pandas as pd

CANDIDATE_ID = "candidate_id"
DENSE_SCORE, DENSE_RANK = "dense_score", "dense_rank"
SPARSE_SCORE, SPARSE_RANK = "sparse_score", "sparse_rank"
FUSED_SCORE, FUSED_RANK = "fused_score", "fused_rank"
CANDIDATE_COLUMNS = (
    CANDIDATE_ID, DENSE_SCORE, DENSE_RANK, SPARSE_SCORE, SPARSE_RANK, FUSED_SCORE, FUSED_RANK,
)
CHANNEL_RANK_COLUMNS = (DENSE_RANK, SPARSE_RANK)
RRF_K = 60


def channel_frame(ids: np.ndarray, scores: np.ndarray, score_column: str, rank_column: str) -> pd.DataFrame:
    """One channel's ranked list (a row of ``search`` output, None-padded) as id, score, 1-based rank."""
    found = np.array([i is not None for i in ids], dtype=bool)
    return pd.DataFrame({
        CANDIDATE_ID: ids[found].astype(str),
        score_column: scores[found].astype(np.float64),
        rank_column: np.arange(1, int(found.sum()) + 1, dtype=np.float64),
    })


def reciprocal_rank_fusion(ranks: pd.DataFrame, k: int = RRF_K) -> np.ndarray:
    """Σ over rank columns of 1 / (k + rank); a NaN rank (channel did not return it) adds nothing."""
    return np.nan_to_num(1.0 / (k + ranks.to_numpy(dtype=np.float64)), nan=0.0).sum(axis=1)


def fuse(dense: pd.DataFrame, sparse: pd.DataFrame, k: int = RRF_K) -> pd.DataFrame:
    """Outer-join two channel frames on candidate_id and rank by RRF; columns CANDIDATE_COLUMNS.

    Ranks are 1-based floats, NaN where a channel did not return the candidate. Ties in fused score
    go to the better single-channel rank, then to the candidate id, so the order is deterministic.
    """
    table = pd.merge(dense, sparse, on=CANDIDATE_ID, how="outer")
    for column in CANDIDATE_COLUMNS[1:5]:
        if column not in table.columns:
            table[column] = np.nan
    table[FUSED_SCORE] = reciprocal_rank_fusion(table[list(CHANNEL_RANK_COLUMNS)], k)
    best_rank = table[list(CHANNEL_RANK_COLUMNS)].min(axis=1)
    order = np.lexsort((table[CANDIDATE_ID].to_numpy(), best_rank.to_numpy(), -table[FUSED_SCORE].to_numpy()))
    table = table.iloc[order].reset_index(drop=True)
    table[FUSED_RANK] = np.arange(1, len(table) + 1, dtype=np.int64)
    return table[list(CANDIDATE_COLUMNS)]
