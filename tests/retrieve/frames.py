"""The frame forms of one query's fusion (channel lists and their fused table as pandas frames), in which the
fusion tests state their known answers; the product fuses numpy columns (matcher.retrieve.fusion)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from matcher.retrieve.fusion import (
    CANDIDATE_COLUMNS,
    CANDIDATE_ID,
    DENSE_SCORE,
    QUERY,
    RRF_K,
    SPARSE_SCORE,
    fuse_ranked,
)


def channel_frame(ids: np.ndarray, scores: np.ndarray, score_column: str, rank_column: str) -> pd.DataFrame:
    """One channel's ranked list (a row of ``search`` output, None-padded) as id, score, 1-based rank."""
    found = np.array([i is not None for i in ids], dtype=bool)
    return pd.DataFrame({
        CANDIDATE_ID: ids[found].astype(str),
        score_column: scores[found].astype(np.float64),
        rank_column: np.arange(1, int(found.sum()) + 1, dtype=np.float64),
    })


def fuse(dense: pd.DataFrame, sparse: pd.DataFrame, k: int = RRF_K) -> pd.DataFrame:
    """Outer-join two channel frames (:func:`channel_frame`) on candidate_id and rank by RRF; columns
    CANDIDATE_COLUMNS. The frame form of :func:`fuse_ranked` for one query."""
    def as_row(frame: pd.DataFrame, score: str) -> tuple[np.ndarray, np.ndarray]:
        return (frame[CANDIDATE_ID].to_numpy(dtype=object).reshape(1, -1),
                frame[score].to_numpy(dtype=np.float64).reshape(1, -1))

    columns = fuse_ranked(*as_row(dense, DENSE_SCORE), *as_row(sparse, SPARSE_SCORE), k)
    del columns[QUERY]
    return pd.DataFrame(columns, columns=list(CANDIDATE_COLUMNS))
