"""Keeps one process's Matcher in step with the database's change log.

Each serving process holds its own Matcher (frames, FAISS and BM25 pools, rankers). Writes from any
process, or from the CLI, add change-log entries in their transaction; a process applies the entries
after the last one it saw before it answers, re-reading exactly the records named (refresh is
idempotent: applying an entry twice changes nothing).
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from matcher.store.changes import ChangeEntry, changes_since, latest_seq, oldest_seq
from matcher.store.frames import stored_ids

if TYPE_CHECKING:
    from matcher.pipeline import Matcher

logger = logging.getLogger(__name__)

BATCH = 50_000
"""Entries read per query while catching up (a large import is applied in steps of this many)."""
REFRESH_CHUNK = 5_000
"""Ids per refresh call: bounds the IN list and the rows re-read at once."""


class ChangeFollower:
    """Applies change-log entries after ``seq`` to a Matcher. Thread-safe.

    Create it with :meth:`from_now` *before* the Matcher loads its frames: anything written during the
    load is then applied again at the first catch-up, which is harmless, instead of being missed.
    """

    def __init__(self, engine: Engine, seq: int = 0) -> None:
        self.engine = engine
        self._seq = seq
        self._lock = threading.Lock()

    @classmethod
    def from_now(cls, engine: Engine) -> ChangeFollower:
        return cls(engine, latest_seq(engine))

    @property
    def seq(self) -> int:
        """The last entry applied."""
        return self._seq

    def catch_up(self, matcher: Matcher) -> int:
        """Apply every entry newer than :attr:`seq`; returns how many were applied (0: one indexed query).

        Threads calling it together apply each entry once: one applies, the others wait for it.
        """
        if latest_seq(self.engine) <= self._seq:
            return 0
        applied = 0
        with self._lock:
            if oldest_seq(self.engine) > self._seq + 1:
                applied += self._reread_everything(matcher)
            while entries := changes_since(self.engine, self._seq, limit=BATCH):
                apply_changes(matcher, entries)
                self._seq = entries[-1].seq
                applied += len(entries)
        if applied:
            logger.info("applied %d change-log entries (now at %d)", applied, self._seq)
        return applied

    def _reread_everything(self, matcher: Matcher) -> int:
        """Entries after :attr:`seq` were pruned before this process applied them (``matcher db
        prune-changes``; or, on PostgreSQL, the log's first seq was never committed): which records changed is
        lost, so every talent and job, stored or held, is re-read. Returns how many."""
        seq = latest_seq(self.engine)  # before reading, as from_now: a write meanwhile is applied again
        logger.warning("change-log entries after %d were pruned before this process applied them; "
                       "re-reading every talent and job", self._seq)
        talents = list(dict.fromkeys([*stored_ids(self.engine, "talent"), *map(str, matcher.talents.frame.index)]))
        jobs = list(dict.fromkeys([*stored_ids(self.engine, "job"), *map(str, matcher.jobs.frame.index)]))
        entries = [ChangeEntry(seq, kind, entity_id) for kind, ids in (("talent", talents), ("job", jobs))
                   for entity_id in ids]
        apply_changes(matcher, [*entries, ChangeEntry(seq, "rankers", None)])
        self._seq = seq
        return len(entries)


def apply_changes(matcher: Matcher, entries: Sequence[ChangeEntry]) -> None:
    """Re-read the talents and jobs named (deleted ones leave the indexes), reload rankers if asked."""
    talents = _ids(entries, "talent")
    jobs = _ids(entries, "job")
    for start in range(0, len(talents), REFRESH_CHUNK):
        matcher.refresh_talents(talents[start:start + REFRESH_CHUNK])
    for start in range(0, len(jobs), REFRESH_CHUNK):
        matcher.refresh_jobs(jobs[start:start + REFRESH_CHUNK])
    if any(entry.kind == "rankers" for entry in entries):
        matcher.reload_rankers()


def _ids(entries: Sequence[ChangeEntry], kind: str) -> list[str]:
    """Distinct ids of one kind in first-seen order."""
    return list(dict.fromkeys(e.entity_id for e in entries if e.kind == kind and e.entity_id is not None))
