"""Channel results → one candidate table, fused by reciprocal-rank fusion.

Candidates are fused as integer codes that sort as their ids do: a pool's searches give slot positions, each
slot's id has a rank among the live ids (:attr:`SlotTable.id_rank`), and ids are looked up only for the rows kept
(:func:`fuse_slots`); lists of ids are coded first (:func:`fuse_ranked`). Every (dense rank, sparse rank) pair's
fused score and place in the order are tabled once (:func:`rank_pairs`), so ordering a query's candidates is an
integer sort."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from matcher.index.slots import SlotTable

CANDIDATE_ID = "candidate_id"
DENSE_SCORE, DENSE_RANK = "dense_score", "dense_rank"
SPARSE_SCORE, SPARSE_RANK = "sparse_score", "sparse_rank"
FUSED_SCORE, FUSED_RANK = "fused_score", "fused_rank"
CANDIDATE_COLUMNS = (
    CANDIDATE_ID, DENSE_SCORE, DENSE_RANK, SPARSE_SCORE, SPARSE_RANK, FUSED_SCORE, FUSED_RANK,
)
CHANNEL_RANK_COLUMNS = (DENSE_RANK, SPARSE_RANK)
RRF_K = 60
QUERY = "query"
"""Position of the query among those searched together (0-based), in :func:`fuse_ranked` output."""
CODE = "candidate_code"
"""In :func:`fuse_codes` output, where CANDIDATE_ID stands in :func:`fuse_ranked`'s."""
CODE_MATRIX_WIDTH = 4
"""Fuse through a (queries × codes) matrix when there are at most this many codes per searched rank (a catalogue
of jobs); else row by row over the entries found (a pool of talents)."""


def reciprocal_rank_fusion(ranks: pd.DataFrame, k: int = RRF_K) -> np.ndarray:
    """Σ over rank columns of 1 / (k + rank); a NaN rank (channel did not return it) adds nothing."""
    return np.nan_to_num(1.0 / (k + ranks.to_numpy(dtype=np.float64)), nan=0.0).sum(axis=1)


def fuse_ranked(dense_ids: np.ndarray, dense_scores: np.ndarray, sparse_ids: np.ndarray, sparse_scores: np.ndarray,
                k: int = RRF_K, limit: int | None = None) -> dict[str, np.ndarray]:
    """RRF of both channels for each of q queries, from (q, k) best-first search outputs padded with None.

    Returns aligned columns QUERY (0-based query position) and CANDIDATE_COLUMNS: queries in order, each
    best first. Ranks are 1-based (channel ranks floats, NaN where a channel did not return the candidate).
    Ties in fused score go to the better single-channel rank, then to the candidate id, so the order is
    deterministic. ``limit`` keeps each query's best fused candidates. A channel lists a candidate at most
    once per query. Searches of a pool go through :func:`fuse_slots` instead, which needs no string work.
    """
    names, (dense_codes, sparse_codes) = _codes_in_id_order(dense_ids, sparse_ids)
    return _with_ids(fuse_codes(dense_codes, dense_scores, sparse_codes, sparse_scores, len(names), k, limit),
                     names)


def fuse_slots(dense: SlotTable, dense_slots: np.ndarray, dense_scores: np.ndarray,
               sparse: SlotTable, sparse_slots: np.ndarray, sparse_scores: np.ndarray,
               k: int = RRF_K, limit: int | None = None) -> dict[str, np.ndarray]:
    """:func:`fuse_ranked` of one pool's channel searches given as slot positions ((q, k) int64, -1 padded, as
    ``search_slots`` returns them): candidates are matched and tie-broken by their id's rank among the live ids
    (:attr:`SlotTable.id_rank`, the same in both channels of a pool), and ids are looked up only for the rows
    kept. The same columns, values and order as :func:`fuse_ranked` of the channels' ``search`` output."""
    if dense.n_live != sparse.n_live:
        raise ValueError(f"the dense channel holds {dense.n_live} candidates and the sparse one {sparse.n_live}; "
                         "a pool's channels must hold the same ids (change them through the pool)")
    codes = [_slot_codes(table, slots) for table, slots in ((dense, dense_slots), (sparse, sparse_slots))]
    return _with_ids(fuse_codes(codes[0], dense_scores, codes[1], sparse_scores, dense.n_live, k, limit),
                     dense.ranked_ids)


def _slot_codes(table: SlotTable, slots: np.ndarray) -> np.ndarray:
    """Each found slot's id rank, -1 where nothing was found."""
    codes = np.full(np.shape(slots), -1, dtype=np.int64)
    found = slots >= 0
    codes[found] = table.id_rank[slots[found]]
    return codes


def fuse_codes(dense_codes: np.ndarray, dense_scores: np.ndarray, sparse_codes: np.ndarray,
               sparse_scores: np.ndarray, n_codes: int, k: int = RRF_K,
               limit: int | None = None) -> dict[str, np.ndarray]:
    """:func:`fuse_ranked` over candidates given as integer codes in [0, n_codes) that sort as their ids do
    ((q, k) int64, -1 padded); the column CODE stands where CANDIDATE_ID will."""
    n_queries = max(len(dense_codes), len(sparse_codes))
    dense_codes, dense_scores = _rows(dense_codes, dense_scores, n_queries)
    sparse_codes, sparse_scores = _rows(sparse_codes, sparse_scores, n_queries)
    pairs = rank_pairs(k, dense_codes.shape[1], sparse_codes.shape[1])
    by_code = n_codes <= CODE_MATRIX_WIDTH * max(dense_codes.shape[1] + sparse_codes.shape[1], 1)
    layout = _fuse_by_code if by_code else _fuse_by_entry
    query, code, dense_rank, sparse_rank, rank = layout(dense_codes, sparse_codes, n_codes, pairs, limit)
    out = {QUERY: query, CODE: code}
    for column, score, ranks, scores in ((DENSE_RANK, DENSE_SCORE, dense_rank, dense_scores),
                                         (SPARSE_RANK, SPARSE_SCORE, sparse_rank, sparse_scores)):
        found = ranks > 0
        out[score] = np.full(len(query), np.nan)
        out[score][found] = scores.ravel()[query[found] * scores.shape[1] + ranks[found] - 1]
        out[column] = np.where(found, ranks, np.nan)
    out[FUSED_SCORE], out[FUSED_RANK] = pairs.fused.ravel()[pairs.cell(dense_rank, sparse_rank)], rank
    return out


@dataclass(frozen=True)
class RankPairs:
    """Every (dense rank, sparse rank) a candidate can have, 0 where that channel did not return it: ``fused[d, s]``
    its RRF score and ``order[d, s]`` its place in the fused order, equal for pairs that tie on fused score and
    best single-channel rank (so a stable sort by place leaves such ties in code order). ``absent`` is the
    place of (0, 0), after every other."""

    fused: np.ndarray
    order: np.ndarray
    absent: int

    def cell(self, dense_rank: np.ndarray, sparse_rank: np.ndarray) -> np.ndarray:
        """Flat index into :attr:`fused` and :attr:`order` of each (dense rank, sparse rank)."""
        return dense_rank.astype(np.int64) * self.order.shape[1] + sparse_rank

    def place(self, dense_rank: np.ndarray, sparse_rank: np.ndarray) -> np.ndarray:
        """:attr:`order` of each (dense rank, sparse rank), in their shape."""
        return self.order.ravel()[self.cell(dense_rank, sparse_rank)]


@lru_cache(maxsize=16)
def rank_pairs(k: int, dense_depth: int, sparse_depth: int) -> RankPairs:
    """:class:`RankPairs` for channels of up to ``dense_depth`` and ``sparse_depth`` ranks. Each fused score is
    computed with the float operations of adding up a candidate's channels (0, plus the dense share, plus the
    sparse share), so equal pairs tie exactly where the per-candidate sums do."""
    dense, sparse = np.arange(dense_depth + 1.0), np.arange(sparse_depth + 1.0)  # rank 0: not returned
    fused = np.zeros((dense_depth + 1, sparse_depth + 1))
    fused += np.divide(1.0, k + dense, out=np.zeros_like(dense), where=dense > 0)[:, None]
    fused += np.divide(1.0, k + sparse, out=np.zeros_like(sparse), where=sparse > 0)[None, :]
    best = np.fmin(np.where(dense > 0, dense, np.nan)[:, None], np.where(sparse > 0, sparse, np.nan)[None, :]).ravel()
    flat = fused.ravel()
    order = np.lexsort((best, -flat))  # (0, 0) last: the only fused score of 0
    flat, best = flat[order], best[order]
    new_place = np.r_[False, (flat[1:] != flat[:-1]) | (best[1:] != best[:-1])]
    place = np.empty(len(order), dtype=np.int64)
    place[order] = np.cumsum(new_place)
    absent = int(place[0])
    dtype = np.uint16 if absent < 1 << 16 else np.uint32  # 16 bits: numpy sorts them by radix
    return RankPairs(fused, place.astype(dtype).reshape(fused.shape), absent)


def _fuse_by_code(dense_codes: np.ndarray, sparse_codes: np.ndarray, n_codes: int, pairs: RankPairs,
                  limit: int | None) -> tuple[np.ndarray, ...]:
    """Few codes: each channel's ranks scattered into a (q, n_codes) matrix, whose columns are in code order,
    so one stable sort of each row by place orders it. Returns query, code, dense rank, sparse rank and fused
    rank of each kept candidate (ranks 0 where a channel did not return it)."""
    n_queries, width = len(dense_codes), n_codes + 1  # a last column takes the channels' empty entries
    rows = (np.arange(n_queries, dtype=np.int64) * width)[:, None]
    ranks = []
    for codes in (dense_codes, sparse_codes):
        by_code = np.zeros((n_queries, width), dtype=np.int32)
        # Flat indices: numpy's 1-d take and put cost a fraction of 2-d fancy indexing.
        by_code.ravel()[np.where(codes >= 0, codes, n_codes) + rows] = np.arange(1, codes.shape[1] + 1)
        ranks.append(by_code)
    place = pairs.place(ranks[0][:, :n_codes], ranks[1][:, :n_codes])
    order = np.argsort(place, axis=1, kind="stable")[:, :limit]
    query, position = np.nonzero(np.take_along_axis(place, order, axis=1) != pairs.absent)
    code = order[query, position]
    cell = code + query * width
    return query, code, ranks[0].ravel()[cell], ranks[1].ravel()[cell], position + 1


def _fuse_by_entry(dense_codes: np.ndarray, sparse_codes: np.ndarray, n_codes: int, pairs: RankPairs,
                   limit: int | None) -> tuple[np.ndarray, ...]:
    """Many codes (a large pool): each query's row of both channels' entries, twins found by sorting the row by
    code, then the row sorted by (place, code). Returns what :func:`_fuse_by_code` returns."""
    dense_depth = dense_codes.shape[1]
    if (pairs.absent + 1) * (n_codes + 1) >= 1 << 62:
        raise ValueError(f"{n_codes} candidates at these channel depths overflow the fusion's sort key")
    codes = np.concatenate([dense_codes, sparse_codes], axis=1)
    codes = np.where(codes >= 0, codes, n_codes)
    by_code = np.argsort(codes, axis=1)
    sorted_codes = np.take_along_axis(codes, by_code, axis=1)
    query, at = np.nonzero((sorted_codes[:, 1:] == sorted_codes[:, :-1]) & (sorted_codes[:, 1:] < n_codes))
    dense_cell = np.minimum(by_code[query, at], by_code[query, at + 1])  # dense cells come first in a row
    sparse_cell = np.maximum(by_code[query, at], by_code[query, at + 1])
    column = np.arange(codes.shape[1])
    found = codes < n_codes
    dense_rank = np.where(column < dense_depth, column + 1, 0) * found
    sparse_rank = np.where(column >= dense_depth, column + 1 - dense_depth, 0) * found
    sparse_rank[query, dense_cell] = sparse_cell + 1 - dense_depth  # the dense cell takes its twin's rank
    sparse_rank[query, sparse_cell] = 0  # and the twin's own cell is dropped
    key = pairs.place(dense_rank, sparse_rank).astype(np.int64) * (n_codes + 1) + codes
    order = np.argsort(key, axis=1)[:, :limit]  # codes differ within a row, so keys do too
    query, position = np.nonzero(np.take_along_axis(key, order, axis=1) < pairs.absent * (n_codes + 1))
    cell = order[query, position]
    return query, codes[query, cell], dense_rank[query, cell], sparse_rank[query, cell], position + 1


def _rows(codes: np.ndarray, scores: np.ndarray, n_queries: int) -> tuple[np.ndarray, np.ndarray]:
    """(q, k) codes as int64 and scores, padded with empty rows up to ``n_queries``."""
    codes, scores = np.asarray(codes, dtype=np.int64), np.asarray(scores)
    missing = n_queries - len(codes)
    if missing:
        codes = np.concatenate([codes, np.full((missing, codes.shape[1]), -1, dtype=np.int64)])
        scores = np.concatenate([scores, np.full((missing, scores.shape[1]), -np.inf, dtype=scores.dtype)])
    return codes, scores


def _codes_in_id_order(*channels: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
    """The distinct ids of None-padded channel outputs in id string order, and each channel's ids as codes into
    them (-1 for None): a dict over the few hundred ids of a request is faster than pandas' factorize."""
    values = [channel.ravel().tolist() for channel in channels]
    names = sorted({v for channel in values for v in channel if v is not None})
    position = {name: code for code, name in enumerate(names)}
    position[None] = -1
    codes = [np.fromiter(map(position.__getitem__, channel), dtype=np.int64, count=len(channel)).reshape(ids.shape)
             for channel, ids in zip(values, channels, strict=True)]
    return np.asarray(names, dtype=object), codes


def _with_ids(columns: dict[str, np.ndarray], names: np.ndarray) -> dict[str, np.ndarray]:
    """The CODE column replaced by the ids it stands for (an object array), in its place."""
    # Ids stay numpy objects: pandas' default string dtype costs a conversion here and in every later gather.
    return {CANDIDATE_ID if key == CODE else key: names[value] if key == CODE else value
            for key, value in columns.items()}
