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
_CHANNEL_COLUMNS = (DENSE_SCORE, DENSE_RANK, SPARSE_SCORE, SPARSE_RANK)
RRF_K = 60
QUERY = "query"
"""Position of the query among those searched together (0-based), in :func:`fuse_ranked` output."""


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
    """Outer-join two channel frames (:func:`channel_frame`) on candidate_id and rank by RRF; columns
    CANDIDATE_COLUMNS. The frame form of :func:`fuse_ranked` for one query."""
    def as_row(frame: pd.DataFrame, score: str) -> tuple[np.ndarray, np.ndarray]:
        return (frame[CANDIDATE_ID].to_numpy(dtype=object).reshape(1, -1),
                frame[score].to_numpy(dtype=np.float64).reshape(1, -1))

    columns = fuse_ranked(*as_row(dense, DENSE_SCORE), *as_row(sparse, SPARSE_SCORE), k)
    del columns[QUERY]
    return pd.DataFrame(columns, columns=list(CANDIDATE_COLUMNS))


def fuse_ranked(dense_ids: np.ndarray, dense_scores: np.ndarray, sparse_ids: np.ndarray, sparse_scores: np.ndarray,
                k: int = RRF_K, limit: int | None = None) -> dict[str, np.ndarray]:
    """RRF of both channels for each of q queries, from (q, k) best-first search outputs padded with None.

    Returns aligned columns QUERY (0-based query position) and CANDIDATE_COLUMNS: queries in order, each
    best first. Ranks are 1-based (channel ranks floats, NaN where a channel did not return the candidate).
    Ties in fused score go to the better single-channel rank, then to the candidate id, so the order is
    deterministic. ``limit`` keeps each query's best fused candidates. Pure numpy: it runs once per
    request on the serving path and once per batch in bulk runs.
    """
    dq, did, dscore, drank = _long(dense_ids, dense_scores)
    sq, sid, sscore, srank = _long(sparse_ids, sparse_scores)
    codes, names = _codes_in_id_order(np.concatenate([did, sid]))
    n_names = max(len(names), 1)
    keys = np.concatenate([dq * n_names + codes[:len(did)], sq * n_names + codes[len(did):]])
    pairs, slot = np.unique(keys, return_inverse=True)
    dense_slot, sparse_slot = slot[:len(did)], slot[len(did):]
    columns = np.full((len(_CHANNEL_COLUMNS), len(pairs)), np.nan)  # rows in _CHANNEL_COLUMNS order
    columns[0, dense_slot], columns[1, dense_slot] = dscore, drank
    columns[2, sparse_slot], columns[3, sparse_slot] = sscore, srank
    fused = np.zeros(len(pairs))  # a channel's candidates are distinct: 0 + dense + sparse, in that order
    fused[dense_slot] += 1.0 / (k + drank)
    fused[sparse_slot] += 1.0 / (k + srank)
    query, code = np.divmod(pairs, n_names)
    order = np.lexsort((code, np.fmin(columns[1], columns[3]), -fused, query))
    query, code, fused, columns = query[order], code[order], fused[order], columns[:, order]
    rank = np.arange(len(query)) - np.searchsorted(query, query, side="left") + 1
    if limit is not None:
        keep = rank <= limit
        query, code, fused, columns, rank = query[keep], code[keep], fused[keep], columns[:, keep], rank[keep]
    # Ids stay numpy objects: pandas' default string dtype costs a conversion here and in every later gather.
    out = {QUERY: query, CANDIDATE_ID: np.asarray(names, dtype=object)[code]}
    out.update(zip(_CHANNEL_COLUMNS, columns, strict=True))
    out[FUSED_SCORE], out[FUSED_RANK] = fused, rank
    return out


def _long(ids: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(q, k) None-padded search output -> query, id, score, 1-based rank of every found entry."""
    found = ids != None  # noqa: E711 - elementwise comparison on an object array
    query, column = np.nonzero(found)
    return query, ids[found], scores[found].astype(np.float64), (column + 1).astype(np.float64)


def _codes_in_id_order(ids: np.ndarray) -> tuple[np.ndarray, list]:
    """Integer codes of ``ids`` numbered in id string order, and the distinct ids (a dict over the few hundred
    ids of a request: faster than pandas' factorize, and no slower on bulk batches; measured by
    scripts/bench_retrieval.py)."""
    values = ids.tolist()
    names = sorted(set(values))
    position = {name: code for code, name in enumerate(names)}
    return np.fromiter(map(position.__getitem__, values), dtype=np.int64, count=len(values)), names
