"""Index positions ↔ external string ids, with tombstones for deleted positions."""
from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from pathlib import Path

import numpy as np

from matcher.index.id_order import IdOrder

IDS_FILE = "ids.npy"
LIVE_FILE = "live.npy"

# What a search may be restricted to: a bool mask over positions, a collection of ids, or nothing.
Allowed = np.ndarray | Collection[str] | None


class SlotTable:
    """Append-only positions ("slots") of an index, each holding one external id, live or tombstoned.

    Updates append a new slot and tombstone the old one, so positions never move between
    compactions; ``generation`` changes on every mutation so callers can cache position-aligned data.
    :attr:`id_rank` numbers each live slot's id in string order, kept in step with every change.
    """

    def __init__(self, ids: Sequence[str] = (), live: np.ndarray | None = None) -> None:
        self._ids = np.array(list(ids), dtype=object)
        self._live = np.ones(len(self._ids), dtype=bool) if live is None else np.asarray(live, dtype=bool)
        if len(self._live) != len(self._ids):
            raise ValueError(f"live mask has {len(self._live)} entries for {len(self._ids)} ids")
        self._slot_of: dict[str, int] = {self._ids[s]: int(s) for s in np.flatnonzero(self._live)}
        if len(self._slot_of) != int(self._live.sum()):
            raise ValueError("an id occurs in more than one live slot")
        self._order = IdOrder(self._ids, self._live)
        self.generation = 0

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def ids(self) -> np.ndarray:
        """(n_slots,) object array of the id held by each slot, tombstoned ones included."""
        return self._ids

    @property
    def live(self) -> np.ndarray:
        """(n_slots,) bool: False where the slot was deleted or superseded by an update."""
        return self._live

    @property
    def id_rank(self) -> np.ndarray:
        """(n_slots,) int64: each live slot's id's rank among the live ids in string order, −1 where tombstoned.
        Tables holding the same live ids rank them alike (see :class:`~matcher.index.id_order.IdOrder`)."""
        return self._order.rank

    @property
    def ranked_ids(self) -> np.ndarray:
        """(n_live,) object array of the live ids in string order: ``ranked_ids[id_rank[slot]]`` is the slot's id."""
        return self._order.ids

    @property
    def n_live(self) -> int:
        return len(self._slot_of)

    @property
    def n_dead(self) -> int:
        return len(self._ids) - len(self._slot_of)

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._slot_of

    def append(self, ids: Sequence[str]) -> np.ndarray:
        """Give each id a new slot (tombstoning its current slot, if any); return the new positions."""
        ids = [str(i) for i in ids]
        if len(set(ids)) != len(ids):
            duplicates = sorted({i for i in ids if ids.count(i) > 1})[:5]
            raise ValueError(f"ids repeat within one batch: {duplicates}")
        replaced = np.array([self._slot_of.get(i, -1) for i in ids], dtype=np.int64)
        self._live[replaced[replaced >= 0]] = False  # the id lives on in its new slot, keeping its rank
        start = len(self._ids)
        new_ids = np.array(ids, dtype=object)
        self._order.append(new_ids, replaced)
        self._ids = np.concatenate([self._ids, new_ids])
        self._live = np.concatenate([self._live, np.ones(len(ids), dtype=bool)])
        self._slot_of.update(zip(ids, range(start, start + len(ids)), strict=True))
        self.generation += 1
        return np.arange(start, start + len(ids), dtype=np.int64)

    def delete(self, ids: Iterable[str]) -> None:
        """Tombstone the live slots of ``ids``; unknown ids raise KeyError before anything changes."""
        ids = [str(i) for i in ids]
        missing = [i for i in ids if i not in self._slot_of]
        if missing:
            raise KeyError(f"{len(missing)} id(s) not in the index, e.g. {missing[:5]}")
        if ids:
            slots = np.array([self._slot_of.pop(i) for i in ids], dtype=np.int64)
            self._live[slots] = False
            self._order.delete(slots)
            self.generation += 1

    def positions(self, ids: Iterable[str]) -> np.ndarray:
        """(n,) int64 live slot of each id, -1 where the id is not live."""
        return np.array([self._slot_of.get(str(i), -1) for i in ids], dtype=np.int64)

    def ids_at(self, positions: np.ndarray) -> np.ndarray:
        """Ids held by ``positions`` (any shape, -1 for none) as an object array of that shape, None at -1."""
        out = np.full(positions.shape, None, dtype=object)
        found = positions >= 0
        out[found] = self._ids[positions[found]]
        return out

    def search_mask(self, allowed: Allowed) -> np.ndarray | None:
        """(n_slots,) bool of live, allowed slots; None when nothing is excluded at all."""
        if allowed is None:
            return None if self.n_dead == 0 else self._live.copy()
        if isinstance(allowed, np.ndarray) and allowed.dtype == bool:
            if allowed.shape != self._live.shape:
                raise ValueError(f"allowed mask has shape {allowed.shape}, expected ({len(self)},)")
            return allowed & self._live
        mask = np.zeros(len(self), dtype=bool)
        slots = self.positions(allowed)
        mask[slots[slots >= 0]] = True
        return mask

    def compact(self) -> np.ndarray:
        """Drop tombstoned slots, renumbering the rest in order; return the kept old positions."""
        keep = np.flatnonzero(self._live)
        self._ids = self._ids[keep]
        self._live = np.ones(len(keep), dtype=bool)
        self._slot_of = {item_id: s for s, item_id in enumerate(self._ids)}
        self._order.compact(keep)
        self.generation += 1
        return keep

    def save(self, directory: Path) -> None:
        np.save(Path(directory) / IDS_FILE, np.asarray(self._ids.astype(str)), allow_pickle=False)
        np.save(Path(directory) / LIVE_FILE, self._live, allow_pickle=False)

    @classmethod
    def load(cls, directory: Path) -> SlotTable:
        ids = np.load(Path(directory) / IDS_FILE, allow_pickle=False)
        live = np.load(Path(directory) / LIVE_FILE, allow_pickle=False)
        return cls(ids.tolist(), live)
