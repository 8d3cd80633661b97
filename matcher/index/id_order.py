"""Each slot's id as its rank among the live ids in string order: integer keys that compare and sort as the ids do."""
from __future__ import annotations

import numpy as np

NOT_LIVE = -1
"""Rank of a tombstoned slot: searches never return it."""


def argsort_ids(ids: np.ndarray) -> np.ndarray:
    """Positions of ``ids`` (strings) in Python's string order, ties in position order. A fixed-width unicode
    array compares code point by code point as Python does, and sorts faster than Python objects; only ids
    ending in NUL characters would differ, and ``ids.npy`` cannot hold those anyway."""
    return np.argsort(np.asarray(ids, dtype=str), kind="stable")


class IdOrder:
    """``rank[slot]``: the rank of the slot's id among the live ids in string order (``NOT_LIVE`` for a tombstoned
    slot); ``ids[rank]`` gives the id back.

    Two indexes holding the same live ids (the dense and the sparse channel of one pool) give every id the same
    rank, so their search results fuse on ranks alone, and ties broken by rank are broken by id. A
    :class:`~matcher.index.slots.SlotTable` keeps it in step: computed once when the table is built or loaded,
    then updated in place by each append, delete and compaction (no full re-sort of the pool's ids).
    """

    def __init__(self, slot_ids: np.ndarray, live: np.ndarray) -> None:
        live_slots = np.flatnonzero(live)
        order = argsort_ids(slot_ids[live_slots])
        self.ids = np.asarray(slot_ids[live_slots][order], dtype=object)
        self.rank = np.full(len(slot_ids), NOT_LIVE, dtype=np.int64)
        self.rank[live_slots[order]] = np.arange(len(order), dtype=np.int64)

    def __len__(self) -> int:
        return len(self.ids)

    def append(self, ids: np.ndarray, replaced: np.ndarray) -> None:
        """New slots for ``ids`` (object array) at the end; ``replaced[i]`` is the live slot ``ids[i]`` held until
        now (tombstoned by this append, its id keeping its rank), −1 for an id not live before."""
        kept = replaced >= 0
        fresh = np.flatnonzero(~kept)
        if len(fresh):
            order = argsort_ids(ids[fresh])
            fresh, fresh_ids = fresh[order], ids[fresh[order]]
            at = np.searchsorted(self.ids, fresh_ids)  # where each new id goes among the current ones
            # A current rank r moves down by the number of new ids inserted at or before it.
            self.rank += _by_rank(np.cumsum(np.bincount(at, minlength=len(self.ids) + 1)[:len(self.ids)]))[self.rank]
            self.ids = np.insert(self.ids, at, fresh_ids)
        new_rank = np.empty(len(ids), dtype=np.int64)
        new_rank[kept] = self.rank[replaced[kept]]
        self.rank[replaced[kept]] = NOT_LIVE
        if len(fresh):
            new_rank[fresh] = at + np.arange(len(at))
        self.rank = np.concatenate([self.rank, new_rank])

    def delete(self, slots: np.ndarray) -> None:
        """The ids of live ``slots`` are gone: later ids move up one rank for each removed before them."""
        gone = self.rank[slots]
        self.rank[slots] = NOT_LIVE
        removed = np.bincount(gone, minlength=len(self.ids))
        self.rank -= _by_rank(np.cumsum(removed) - removed)[self.rank]  # removed ranks below each
        self.ids = np.delete(self.ids, gone)

    def compact(self, keep: np.ndarray) -> None:
        """Slots renumbered to ``keep`` (the old positions kept, in order); the live ids are unchanged."""
        self.rank = self.rank[keep]


def _by_rank(shift: np.ndarray) -> np.ndarray:
    """``shift`` (one entry per current rank) with a 0 after it, so that indexing it with ranks leaves
    ``NOT_LIVE`` (-1, the last entry) unshifted."""
    return np.append(shift, 0)
