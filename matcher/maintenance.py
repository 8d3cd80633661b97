"""The write side of a loaded Matcher: refreshing talents and jobs from the database, saving changed pools,
reloading rankers. Queries live in :mod:`matcher.pipeline`, whose Matcher inherits these methods."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pandas as pd
from sqlalchemy import Engine

from matcher.config import Settings
from matcher.embed.encoder import Encoder
from matcher.embed.render import RENDERERS
from matcher.locks import ReadWriteLock
from matcher.memory import release_unused
from matcher.rank.profiles import Profiles, job_profiles, talent_profiles
from matcher.rank.registry import LoadedRanker, RankerRegistry
from matcher.retrieve.pools import POOL_DIRS, mark_current, pools_lock
from matcher.side import Side, indexed_by_id, replaced_texts
from matcher.store.db import make_engine
from matcher.store.frames import load_jobs, load_talents

DIRECTIONS = ("recommend", "candidates")


class Maintenance:
    """Writes to a Matcher's loaded state, each alone under the writer side of its readers–writer lock (FAISS and
    BM25 are not safe beside concurrent searches); the Matcher declares the state in its ``__init__``."""

    talents: Side
    jobs: Side
    encoder: Encoder
    rankers: dict[str, LoadedRanker | None]
    reference_year: int
    settings: Settings | None
    talent_profile_table: Profiles
    job_profile_table: Profiles
    _lock: ReadWriteLock
    _dirty: set[str]
    _db: Engine | None
    _talent_columns: tuple[str, ...] | None

    def keep_talent_columns(self, columns: Sequence[str]) -> None:
        """Hold only ``columns`` of the talents' rows from now on: what a bulk run's process reads of them (its
        report's and 暂无合适岗位 sheet's), where the rest of a million rows is over a gigabyte. Matching is
        unchanged (texts, vectors and profiles are made at open); refreshing talents is refused from then on,
        since fresh rows would come with every column."""
        with self._lock.writing():
            self.talents = replace(self.talents, base=self.talents.frame[list(columns)], stored={}, positions=None)
            self._talent_columns = tuple(columns)
        release_unused()  # the dropped columns' strings were Arrow's: without this its allocator keeps them

    def refresh_talents(self, talent_ids: Sequence[str]) -> None:
        """Re-read these talents from the database and update frame and indexes (deletes included)."""
        if self._talent_columns is not None:
            raise RuntimeError("this Matcher holds only some talent columns (keep_talent_columns): it cannot "
                               "take talent writes; open another one to follow them")
        frame = load_talents(self._engine(), talent_ids=list(talent_ids))
        fresh = indexed_by_id(frame, "talent_id")
        with self._lock.writing():
            gone = _removed(talent_ids, fresh, self.talents)
            self.talents = self._refreshed(self.talents, fresh, gone, "talent")
            self.talent_profile_table = self.talent_profile_table.replaced(
                talent_profiles(fresh, self.reference_year), gone)

    def refresh_jobs(self, job_ids: Sequence[str]) -> None:
        """Re-read these jobs from the database and update frame and indexes (deletes included)."""
        frame = load_jobs(self._engine(), job_ids=list(job_ids))
        fresh = indexed_by_id(frame, "job_id")
        with self._lock.writing():
            gone = _removed(job_ids, fresh, self.jobs)
            self.jobs = self._refreshed(self.jobs, fresh, gone, "job")
            self.job_profile_table = self.job_profile_table.replaced(job_profiles(fresh), gone)

    def _refreshed(self, side: Side, fresh: pd.DataFrame, gone: list[str], name: str) -> Side:
        if gone:
            side.pool.delete(gone)
        fresh_texts = RENDERERS[name](fresh) if len(fresh) else []
        if len(fresh):
            side.pool.upsert(fresh, self.encoder.encode(fresh_texts), fresh_texts)
        self._dirty.add(name)  # flush() records the pool's data snapshot when it saves it
        texts = replaced_texts(side.texts, dict(zip(fresh.index, fresh_texts, strict=True)), gone)
        return side.written(fresh, gone, texts)

    def flush(self) -> None:
        """Save pools changed since open, so the next process reuses them instead of rebuilding."""
        if not self._dirty:  # nothing to save: no wait for another process's pools lock
            return
        index_dir = self._settings().index_dir
        with self._lock.writing(), pools_lock(index_dir):
            for name in sorted(self._dirty):
                side = self.talents if name == "talent" else self.jobs
                mark_current(side.pool, side.frame)
                side.pool.save(index_dir / POOL_DIRS[name])  # type: ignore[index]
            self._dirty.clear()

    def reload_rankers(self) -> None:
        """Load the registry's active ranker of each direction (after a training run activated one)."""
        settings = self._settings()
        registry = RankerRegistry(settings.ranker_dir, native=settings.native)
        with self._lock.writing():
            self.rankers = {d: registry.active_or_none(d) for d in DIRECTIONS}

    def _engine(self) -> Engine:
        """One engine (and connection pool) for the Matcher's life, made on the first write."""
        if self._db is None:
            self._db = make_engine(self._settings())
        return self._db

    def _settings(self) -> Settings:
        if self.settings is None:
            raise RuntimeError("this Matcher was built without settings; open it with Matcher.open(settings)")
        return self.settings


def _removed(ids: Sequence[str], fresh: pd.DataFrame, current: Side) -> list[str]:
    """Ids asked for that the database no longer has but the loaded side still holds: deletions."""
    return [i for i in map(str, ids) if i not in fresh.index and i in current.texts]
