"""Hybrid retrieval for many queries at once: one dense and one sparse search per batch, fused in numpy.

The per-query :func:`matcher.retrieve.hybrid.retrieve` serves the API; bulk runs send thousands of
queries, where one FAISS call, one BM25 product and one vectorised fusion per batch cost a fraction
of a loop over queries. Both give the same candidates in the same order (checked by an oracle test).
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from matcher.embed.slots import Allowed
from matcher.retrieve.candidates import CandidatePool
from matcher.retrieve.fusion import (
    CANDIDATE_ID,
    DENSE_RANK,
    DENSE_SCORE,
    FUSED_RANK,
    FUSED_SCORE,
    SPARSE_RANK,
    SPARSE_SCORE,
)
from matcher.retrieve.hybrid import RetrievalConfig

QUERY = "query"
"""Position of the query in the batch (0-based), the first column of a batch result."""
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
    dense_ids, dense_scores = pool.dense.search(vectors, config.per_channel, allowed)
    dense_ids[np.linalg.norm(vectors, axis=1) == 0] = None
    sparse_ids, sparse_scores = pool.sparse.search(list(texts), config.per_channel, allowed)
    return fuse_batch(dense_ids, dense_scores, sparse_ids, sparse_scores, config.rrf_k, config.limit)


def _long(ids: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(q, k) None-padded search output -> query, id, score, 1-based rank of every found entry."""
    found = ids != None  # noqa: E711 - elementwise comparison on an object array
    query, column = np.nonzero(found)
    return query, ids[found], scores[found].astype(np.float64), (column + 1).astype(np.float64)


def fuse_batch(dense_ids: np.ndarray, dense_scores: np.ndarray, sparse_ids: np.ndarray, sparse_scores: np.ndarray,
               k: int, limit: int | None = None) -> pd.DataFrame:
    """Outer join of both channels on (query, candidate) and RRF per query, with ``fuse``'s tie rules:
    higher fused score, then better single-channel rank, then candidate id."""
    dq, did, dscore, drank = _long(dense_ids, dense_scores)
    sq, sid, sscore, srank = _long(sparse_ids, sparse_scores)
    codes, names = pd.factorize(np.concatenate([did, sid]), sort=True)  # code order = id string order
    n_names = max(len(names), 1)
    keys = np.concatenate([dq * n_names + codes[:len(did)], sq * n_names + codes[len(did):]])
    pairs, slot = np.unique(keys, return_inverse=True)
    columns = {c: np.full(len(pairs), np.nan) for c in (DENSE_SCORE, DENSE_RANK, SPARSE_SCORE, SPARSE_RANK)}
    dense_slot, sparse_slot = slot[:len(did)], slot[len(did):]
    columns[DENSE_SCORE][dense_slot], columns[DENSE_RANK][dense_slot] = dscore, drank
    columns[SPARSE_SCORE][sparse_slot], columns[SPARSE_RANK][sparse_slot] = sscore, srank
    fused = (np.nan_to_num(1.0 / (k + columns[DENSE_RANK]), nan=0.0)
             + np.nan_to_num(1.0 / (k + columns[SPARSE_RANK]), nan=0.0))
    query, code = pairs // n_names, pairs % n_names
    best_rank = np.fmin(columns[DENSE_RANK], columns[SPARSE_RANK])
    order = np.lexsort((code, best_rank, -fused, query))
    query, code, fused = query[order], code[order], fused[order]
    starts = np.searchsorted(query, query, side="left")
    rank = np.arange(len(query)) - starts + 1
    keep = slice(None) if limit is None else rank <= limit
    # Ids stay a numpy object column: pandas' default string dtype costs a conversion here and in every
    # later gather of the batch's pairs.
    table = {QUERY: query[keep], CANDIDATE_ID: pd.Series(np.asarray(names, dtype=object)[code[keep]], dtype=object)}
    table.update({c: values[order][keep] for c, values in columns.items()})
    table[FUSED_SCORE], table[FUSED_RANK] = fused[keep], rank[keep]
    return pd.DataFrame(table, columns=list(BATCH_COLUMNS))
