"""The fusion as it was before it moved to integer codes: string ids compared, np.unique over (query, id) keys and one
lexsort. Kept unchanged as the plain twin the oracle tests hold :mod:`matcher.retrieve.fusion` to."""
from __future__ import annotations

import numpy as np

from matcher.retrieve.fusion import (
    CANDIDATE_ID,
    DENSE_RANK,
    DENSE_SCORE,
    FUSED_RANK,
    FUSED_SCORE,
    QUERY,
    RRF_K,
    SPARSE_RANK,
    SPARSE_SCORE,
)

_CHANNEL_COLUMNS = (DENSE_SCORE, DENSE_RANK, SPARSE_SCORE, SPARSE_RANK)


def fuse_ranked_reference(dense_ids: np.ndarray, dense_scores: np.ndarray, sparse_ids: np.ndarray,
                          sparse_scores: np.ndarray, k: int = RRF_K, limit: int | None = None) -> dict[str, np.ndarray]:
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
