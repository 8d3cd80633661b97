"""The one matching path for every caller (CLI, API, bulk runs):
normalise -> embed -> retrieve -> features -> rank -> explain.

Opening a Matcher and its queries live here; refreshing records, saving pools and reloading rankers live in
:mod:`matcher.maintenance`, which the Matcher inherits.
"""
from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Engine

from matcher.config import Settings
from matcher.embed.encoder import Encoder, load_encoder
from matcher.embed.render import render_job, render_talent
from matcher.index.postings import warm_up as warm_up_postings
from matcher.index.slots import Allowed
from matcher.locks import ReadWriteLock
from matcher.maintenance import DIRECTIONS, Maintenance
from matcher.normalize.records import normalize_job, normalize_talent
from matcher.rank.batch import JobSide, TalentBatch, rank_jobs
from matcher.rank.features import warm_up as warm_up_features
from matcher.rank.matches import Match, Matches, matches_by_query
from matcher.rank.profiles import Profiles, job_profiles, talent_profiles
from matcher.rank.ranking import CandidateSide, Queries, count_fitting, rank_batch
from matcher.rank.registry import LoadedRanker, RankerRegistry
from matcher.rank.scoring import scorer_name
from matcher.rank.trees import warm_up as warm_up_trees
from matcher.retrieve.filters import RetrievalFilters
from matcher.retrieve.hybrid import RANK_DEPTH, RetrievalConfig
from matcher.retrieve.pools import open_pool
from matcher.shared_tables import open_shared
from matcher.side import Side, indexed_by_id
from matcher.store.db import make_engine, upgrade_database
from matcher.store.frame_snapshot import FRAMES_DIR, load_frame
from matcher.store.frames import JOB_COLUMNS, LIST_COLUMNS, TALENT_COLUMNS
from matcher.store.records import RecordNotFound

logger = logging.getLogger(__name__)

__all__ = ["UNSAVED_ID", "Match", "Matcher", "Matches"]

UNSAVED_ID = "__unsaved__"


class Matcher(Maintenance):
    """Loaded state for matching: frames, encoder, both candidate pools and the active rankers.

    The database is the source of truth; pools are a cache checked against it on open. Searches run
    concurrently under a readers–writer lock; updates (refresh, flush, reload: :class:`Maintenance`; FAISS
    and BM25 are not safe beside concurrent searches) wait for them and run alone.
    """

    def __init__(self, talents: Side, jobs: Side, encoder: Encoder, rankers: dict[str, LoadedRanker | None],
                 reference_year: int, config: RetrievalConfig | None = None, settings: Settings | None = None,
                 profile_tables: tuple[Profiles, Profiles] | None = None):
        """``profile_tables``: the talents' and the jobs' profiles when already made (:meth:`open` maps them),
        else made here from the frames."""
        self.talents, self.jobs, self.encoder, self.rankers = talents, jobs, encoder, rankers
        self.reference_year, self.settings = reference_year, settings
        self.relevance_floor = True
        self.native = settings.native if settings is not None else True
        """Compiled kernels (True) or the plain numpy / scipy / LightGBM paths: Settings.native."""
        """False only for measurements that need every retrieved candidate ranked (the field evaluation)."""
        self.config = config or RetrievalConfig(limit=RANK_DEPTH)
        self.talent_profile_table, self.job_profile_table = profile_tables or (
            talent_profiles(talents.frame, reference_year), job_profiles(jobs.frame))
        self._lock = ReadWriteLock()
        self._dirty: set[str] = set()
        self._db: Engine | None = None
        self._talent_columns: tuple[str, ...] | None = None
        """Set by :meth:`keep_talent_columns`: the only talent columns held, and talent writes refused."""

    @classmethod
    def open(cls, settings: Settings, rebuild: bool = False) -> Matcher:
        upgrade_database(settings)
        engine = make_engine(settings)
        frames = settings.index_dir / FRAMES_DIR  # columnar copies, reused while the change log stands still
        talents, jobs = (indexed_by_id(load_frame(engine, "talent", frames, rebuild), "talent_id"),
                         indexed_by_id(load_frame(engine, "job", frames, rebuild), "job_id"))
        encoder = load_encoder(settings)
        factory = settings.index_factory
        pools = {side: open_pool(settings.index_dir, side, frame, encoder, factory, rebuild, settings.native)
                 for side, frame in (("talent", talents), ("job", jobs))}
        if settings.native:
            warm_up_postings()  # compiled (or loaded from numba's cache) now, not on the first query
            warm_up_trees()
            warm_up_features()
        registry = RankerRegistry(settings.ranker_dir, native=settings.native)
        rankers = {d: registry.active_or_none(d) for d in DIRECTIONS}
        year = datetime.now(UTC).year
        # Texts and encoded profiles mapped from files beside the indexes: every worker shares their pages. Each
        # pool was just checked against (or built from) its frame, so its snapshot id is the frame's.
        talent_texts, talent_table = open_shared(
            settings.index_dir, "talent", talents, year, lambda rows, coded: talent_profiles(rows, year, coded),
            rebuild=rebuild, snapshot_id=pools["talent"].dense.data_snapshot_id)
        job_texts, job_table = open_shared(
            settings.index_dir, "job", jobs, year, job_profiles,
            rebuild=rebuild, snapshot_id=pools["job"].dense.data_snapshot_id)
        return cls(Side(talents, pools["talent"], talent_texts), Side(jobs, pools["job"], job_texts), encoder, rankers,
                   reference_year=year, settings=settings, profile_tables=(talent_table, job_table))

    # -- queries: each call is one batch through matcher.rank.ranking, as a bulk run's batch is ----------
    def recommend(self, talent_ids: Sequence[str], top: int = 10,
                  filters: RetrievalFilters | None = None) -> dict[str, Matches]:
        """Jobs for each saved talent, best first (KeyError for an unknown id)."""
        with self._lock.reading():
            ids = _known(self.talents, talent_ids, "talent")
            return dict(zip(ids, self._matches("recommend", self._saved("recommend", ids), top, filters),
                            strict=True))

    def candidates(self, job_ids: Sequence[str], top: int = 10,
                   filters: RetrievalFilters | None = None) -> dict[str, Matches]:
        """Talents for each saved job, best first (KeyError for an unknown id)."""
        with self._lock.reading():
            ids = _known(self.jobs, job_ids, "job")
            return dict(zip(ids, self._matches("candidates", self._saved("candidates", ids), top, filters),
                            strict=True))

    def recommend_table(self, talent_ids: Sequence[str], top: int = 20, depth: int | None = RANK_DEPTH,
                        jobs: Allowed = None) -> pd.DataFrame:
        """Jobs for many saved talents in one pass (bulk runs): columns RECOMMEND_TABLE_COLUMNS, talents in
        the given order, each best first. Batched retrieval, one feature build and one ranker call per
        batch; reasons without per-feature contributions. ``depth`` ranks only the best fused candidates
        (None: all retrieved); at the serving depth (the default) each talent's rows equal
        :meth:`recommend`'s. ``jobs`` limits the jobs.
        """
        with self._lock.reading():
            return rank_jobs(self.job_side(), self._talent_batch(talent_ids, self.talent_profile_table),
                             top, depth, jobs)

    def talent_batch(self, talent_ids: Sequence[str]) -> TalentBatch:
        """Saved talents as a self-contained batch for bulk workers (KeyError for an unknown id)."""
        with self._lock.reading():
            return self._talent_batch(talent_ids, self.talent_profile_table.subset(talent_ids))

    def _talent_batch(self, talent_ids: Sequence[str], profiles: Profiles) -> TalentBatch:
        ids = _known(self.talents, talent_ids, "talent")
        return TalentBatch(ids, [self.talents.texts[t] for t in ids], self.talents.pool.dense.vectors(ids), profiles)

    def fitting_counts(self, job_ids: Sequence[str], talent_ids: Sequence[str] | None = None,
                       least: int = 0) -> dict[str, int]:
        """Per saved job, how many of ``talent_ids`` (every talent when None) fit it, whatever their other
        matches or anyone's top N (matcher.rank.ranking.count_fitting): an urgent position's gap. ``least``:
        retrieval depth per channel at least this (e.g. twice the largest headcount)."""
        with self._lock.reading():
            ids = _known(self.jobs, job_ids, "job")
            among = None if talent_ids is None else set(map(str, talent_ids))
            allowed = None if among is None or len(among) >= len(self.talents) else among
            side = self._searched("candidates")
            side = replace(side, config=replace(side.config, per_channel=max(side.config.per_channel, least),
                                                limit=None))
            counts = count_fitting("candidates", self._saved("candidates", ids), side, allowed=allowed)
            return dict(zip(ids, counts.tolist(), strict=True))

    def job_fields(self, job_ids: Sequence[str], columns: Sequence[str]) -> dict[str, dict]:
        """Stored ``columns`` of loaded jobs by id (unknown ids left out; missing values None): what a match
        list shows beside each job, from the rows the matching used instead of another database read."""
        with self._lock.reading():
            return self.jobs.fields(job_ids, columns)

    def job_side(self) -> JobSide:
        """The job side as one picklable bundle for bulk workers (a snapshot: later writes are not seen)."""
        return self._searched("recommend")

    def _searched(self, direction: str) -> CandidateSide:
        """The side a direction searches (jobs to recommend, talents as candidates) with its ranker."""
        side, profiles = ((self.jobs, self.job_profile_table) if direction == "recommend"
                          else (self.talents, self.talent_profile_table))
        return CandidateSide(side.pool, profiles, self.rankers.get(direction), self.config, native=self.native)

    def _saved(self, direction: str, ids: list[str]) -> Queries:
        """Saved talents (recommend) or jobs (candidates) as queries: their stored texts and vectors, rows of the
        whole profile table."""
        side, profiles = ((self.talents, self.talent_profile_table) if direction == "recommend"
                          else (self.jobs, self.job_profile_table))
        return Queries([side.texts[i] for i in ids], side.pool.dense.vectors(ids), profiles, profiles.positions(ids))

    def match_profile(self, raw_talent: Mapping[str, object], top: int = 10,
                      filters: RetrievalFilters | None = None, job_ids: frozenset[str] | None = None) -> Matches:
        """Jobs for an unsaved talent given with raw field names (the job-fair desk); ``job_ids`` limits the
        retrieved jobs to these (an event's or a booth's positions) before ranking."""
        row = _unsaved_row(raw_talent, normalize_talent, "talent_id", TALENT_COLUMNS)
        text, profile = render_talent(row.iloc[0]), talent_profiles(row, self.reference_year)
        with self._lock.reading():
            return self._matches("recommend", self._unsaved(text, profile), top, filters, job_ids)[0]

    def match_job(self, raw_job: Mapping[str, object], top: int = 10,
                  filters: RetrievalFilters | None = None) -> Matches:
        """Talents for an unsaved job posting given with raw field names."""
        row = _unsaved_row(raw_job, normalize_job, "job_id", JOB_COLUMNS)
        text, profile = render_job(row.iloc[0]), job_profiles(row)
        with self._lock.reading():
            return self._matches("candidates", self._unsaved(text, profile), top, filters)[0]

    def _unsaved(self, text: str, profile: Profiles) -> Queries:
        return Queries([text], self.encoder.encode([text]), profile, profile.positions([UNSAVED_ID]))

    def _matches(self, direction: str, queries: Queries, top: int, filters: RetrievalFilters | None,
                 within: frozenset[str] | None = None) -> list[Matches]:
        """Each query's matches, explained (reasons, contributions, or what the nearest candidates lack);
        ``within`` keeps only these retrieved candidates (an event's positions), before ranking."""
        if not len(queries.texts):
            return []
        side = self._searched(direction)
        ranked = rank_batch(direction, queries, side, top, filters=filters, within=within,
                            floor=self.relevance_floor, explain=True)
        return matches_by_query(ranked, len(queries.texts), scorer_name(side.ranker), self.relevance_floor)

    def status(self) -> dict:
        return {
            "talents": len(self.talents), "jobs": len(self.jobs),
            "encoder": {"manifest_hash": self.encoder.manifest_hash, "dim": self.encoder.dim},
            "rankers": {d: (r.version if r else None) for d, r in self.rankers.items()},
        }


def _known(side: Side, ids: Sequence[str], what: str) -> list[str]:
    """``ids`` as strings, in order; RecordNotFound (a KeyError) naming the first few unknown ones."""
    ids = [str(i) for i in ids]
    if unknown := [i for i in ids if i not in side.texts]:
        raise RecordNotFound(what, unknown[0], f"unknown {what} id(s): {unknown[:5]}")
    return ids


def _unsaved_row(raw: Mapping[str, object], normalise, id_column: str, columns: Sequence[str]) -> pd.DataFrame:
    """One normalised row with every stored column (absent ones None), under a placeholder id."""
    values = {**raw, **normalise({**raw, id_column: UNSAVED_ID}), id_column: UNSAVED_ID}
    row = {c: values.get(c) for c in columns}
    for column in LIST_COLUMNS & set(columns):
        row[column] = row[column] if isinstance(row[column], list) else []
    return pd.DataFrame([row], index=[UNSAVED_ID])
