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
    Built with numpy rather than a pandas merge: this runs once per query on the serving path.
    """
    position: dict[str, int] = {}
    for frame in (dense, sparse):
        for cid in frame[CANDIDATE_ID].to_numpy():
            position.setdefault(cid, len(position))
    n = len(position)
    columns = {c: np.full(n, np.nan) for c in CANDIDATE_COLUMNS[1:5]}
    for frame, score, rank in ((dense, DENSE_SCORE, DENSE_RANK), (sparse, SPARSE_SCORE, SPARSE_RANK)):
        rows = np.fromiter((position[c] for c in frame[CANDIDATE_ID].to_numpy()), dtype=np.int64, count=len(frame))
        if score in frame:
            columns[score][rows] = frame[score].to_numpy(dtype=np.float64)
            columns[rank][rows] = frame[rank].to_numpy(dtype=np.float64)
    ids = np.array(list(position), dtype=object)
    ranks = np.column_stack([columns[c] for c in CHANNEL_RANK_COLUMNS]) if n else np.zeros((0, 2))
    fused = np.nan_to_num(1.0 / (k + ranks), nan=0.0).sum(axis=1)
    best_rank = np.fmin(columns[DENSE_RANK], columns[SPARSE_RANK])
    order = np.lexsort((ids.astype(str), best_rank, -fused)) if n else np.zeros(0, dtype=np.int64)
    table = {CANDIDATE_ID: ids[order].astype(str) if n else np.array([], dtype=object)}
    table.update({c: columns[c][order] for c in CANDIDATE_COLUMNS[1:5]})
    table[FUSED_SCORE] = fused[order]
    table[FUSED_RANK] = np.arange(1, n + 1, dtype=np.int64)
    return pd.DataFrame(table, columns=list(CANDIDATE_COLUMNS))
