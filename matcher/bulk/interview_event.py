"""One event's interview caps and candidate pairs, validated and coded as integer arrays for a solver.

``ScheduleLimits`` are the caps (interviews per talent, per job opening, per booth); ``prepare_event`` checks a
bulk run's pairs against the event's jobs and codes them into an ``Event``, which both the min-cost flow
(``matcher.bulk.schedule``) and the greedy baseline (``matcher.bulk.greedy``) solve.
"""
from __future__ import annotations

import dataclasses
import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from matcher.bulk.report import URGENT_STARS

logger = logging.getLogger(__name__)

PAIR_COLUMNS = ("talent_id", "job_id", "score")
JOB_COLUMNS = ("headcount", "urgency_stars")
SCORE_SCALE = 10_000
"""Arc costs are integers: a score enters the flow as round(score × SCORE_SCALE), i.e. to 4 decimals. The
schedule is exactly optimal for the rounded scores, so within 0.00005 × interviews of the real-valued optimum;
a pair whose score rounds to ≤ 0 cannot raise the total and is never scheduled, by either solver."""
BOOTH_KINDS = ("employer", "job")


@dataclass(frozen=True)
class ScheduleLimits:
    """per_talent: interviews a talent can sit; per_job_factor: a job sees at most ceil(headcount × factor)
    candidates (missing headcount counts as 1); employer_slots: interviews an employer's booth can hold, one
    number for every booth or per employer key (employer_id, else the employer name; booths not listed are
    unlimited), None for no booth limit. booths: "employer" (a booth per employer, ``employer_keys``) or "job"
    (a booth per job, keyed by job id); employer_slots then caps each such booth."""

    per_talent: int = 3
    per_job_factor: float = 3.0
    employer_slots: int | Mapping[str, int] | None = None
    booths: str = "employer"

    def __post_init__(self) -> None:
        if not _is_count(self.per_talent) or self.per_talent < 1:
            raise ValueError(f"per_talent must be an integer ≥ 1, got {self.per_talent!r}")
        if not (isinstance(self.per_job_factor, int | float) and math.isfinite(self.per_job_factor)
                and self.per_job_factor > 0):
            raise ValueError(f"per_job_factor must be a finite number > 0, got {self.per_job_factor!r}")
        slots = self.employer_slots
        counts = slots.items() if isinstance(slots, Mapping) else [("every booth", slots)] if slots is not None else []
        for employer, count in counts:
            if not _is_count(count) or count < 0:
                raise ValueError(f"employer_slots for {employer} must be an integer ≥ 0, got {count!r}")
        if self.booths not in BOOTH_KINDS:
            raise ValueError(f"booths must be one of {', '.join(BOOTH_KINDS)}, got {self.booths!r}")


@dataclass(frozen=True, eq=False)
class Event:
    """One event's candidate pairs as integer codes, validated and ready for a solver.

    Pair arrays, (p,) for the pairs whose rounded score is > 0: talent, job int32 codes into talent_ids and
    job_ids; gain int64 round(score × SCORE_SCALE); score float64. Job arrays, (j,) in ``jobs`` order:
    job_limit, job_need (ceil headcount, missing: 1) int64; job_urgent bool; job_employer int32 codes into
    employers. employer_cap (e,) int64, unlimited booths capped at p. score_spread: interquartile range of
    every input score (the urgent bonus's unit).
    """

    talent: np.ndarray
    job: np.ndarray
    gain: np.ndarray
    score: np.ndarray
    talent_ids: pd.Index
    job_ids: pd.Index
    job_limit: np.ndarray
    job_need: np.ndarray
    job_urgent: np.ndarray
    job_employer: np.ndarray
    employers: pd.Index
    employer_cap: np.ndarray
    per_talent: int
    score_spread: float



@dataclass(frozen=True, eq=False)
class PairCodes:
    """Candidate pairs as codes, the form a solver and the timetable read them in: talent (p,) int codes into
    talent_ids (str, numbered in order of first appearance, as ``pd.factorize`` numbers them), job (p,) int
    codes into job_names (str, any order), score (p,) float64; rows (p,): the pairs' row labels, for errors.
    A bulk run builds them while reading its parts (``matcher.bulk.written``); ``of`` codes a DataFrame."""

    talent: np.ndarray
    talent_ids: pd.Index
    job: np.ndarray
    job_names: pd.Index
    score: np.ndarray
    rows: pd.Index

    @classmethod
    def of(cls, pairs: pd.DataFrame) -> PairCodes:
        """``pairs`` (talent_id, job_id, score) coded; ids are read as text. Raises ValueError for a missing
        column or a missing job id."""
        _require_columns(pairs, PAIR_COLUMNS, "pairs")
        talent, talent_ids = pd.factorize(pairs["talent_id"].astype(str))
        job, job_names = pd.factorize(pairs["job_id"].astype(str))
        if (job < 0).any():
            raise ValueError(f"pairs row {pairs.index[np.argmax(job < 0)]!r}: job_id is missing")
        return cls(talent, pd.Index(talent_ids), job, pd.Index(job_names), pairs["score"].to_numpy(np.float64),
                   pairs.index)

    def with_scores(self, score: np.ndarray) -> PairCodes:
        return dataclasses.replace(self, score=np.asarray(score, np.float64))

    def talent_of(self, row: int) -> str:
        return str(self.talent_ids[self.talent[row]])

    def job_of(self, row: int) -> str:
        return str(self.job_names[self.job[row]])


def prepare_event(pairs: pd.DataFrame | PairCodes, jobs: pd.DataFrame, limits: ScheduleLimits) -> Event:
    """Validate ``pairs`` (a DataFrame of talent_id, job_id, score, or the same already coded) against ``jobs``
    and code them for a solver. Raises ValueError for a missing column, a job id not in ``jobs``, a
    non-finite score, a repeated talent–job pair or a negative headcount."""
    coded = pairs if isinstance(pairs, PairCodes) else PairCodes.of(pairs)
    _require_columns(jobs, JOB_COLUMNS, "jobs")
    job_ids = pd.Index(jobs.index.astype(str), name="job_id")
    if job_ids.has_duplicates:
        raise ValueError(f"jobs: job id {job_ids[job_ids.duplicated()][0]!r} appears more than once")
    talent, talent_ids, score = coded.talent, coded.talent_ids, coded.score
    job = _job_codes(coded, job_ids)
    _check_pairs(coded, talent, job, score, len(job_ids))
    gain = np.rint(score * SCORE_SCALE).astype(np.int64)
    keep = gain > 0
    spread = float(np.subtract(*np.percentile(score, [75, 25]))) if len(score) else 0.0
    job_limit, job_need = _job_caps(jobs, job_ids, limits.per_job_factor)
    keys = booth_keys(jobs, limits.booths)
    job_employer, employers = pd.factorize(keys)
    return Event(talent=_kept(talent, keep, np.int32), job=_kept(job, keep, np.int32), gain=_kept(gain, keep),
                 score=_kept(score, keep), talent_ids=pd.Index(talent_ids, name="talent_id"), job_ids=job_ids,
                 job_limit=job_limit, job_need=job_need,
                 job_urgent=(jobs["urgency_stars"].astype(float).fillna(0) >= URGENT_STARS).to_numpy(),
                 job_employer=job_employer.astype(np.int32), employers=pd.Index(employers, name="employer"),
                 employer_cap=_booth_caps(employers, limits.employer_slots, int(keep.sum())),
                 per_talent=limits.per_talent, score_spread=spread)


def _kept(values: np.ndarray, keep: np.ndarray, dtype: type | None = None) -> np.ndarray:
    """``values[keep]`` as ``dtype``; ``values`` itself when every row is kept and it has that type already (the
    pairs' own arrays, never written to: a copy of a province's pairs is what the run's memory peaks on)."""
    kept = values if keep.all() else values[keep]
    return kept if dtype is None else kept.astype(dtype, copy=False)


def booth_keys(jobs: pd.DataFrame, booths: str = "employer") -> pd.Series:
    """Per job, the key of its booth: ``employer_keys`` for a booth per employer, the job id for one per job."""
    if booths == "job":
        return pd.Series(jobs.index.astype(str), index=jobs.index, dtype=object)
    return employer_keys(jobs)


def employer_keys(jobs: pd.DataFrame) -> pd.Series:
    """Per job, the key its booth goes by: employer_id when present, else the employer name, else the job id
    (a job with no known employer is its own booth)."""
    keys = pd.Series(jobs.index.astype(str), index=jobs.index, dtype=object)
    for column in ("employer", "employer_id"):  # later wins: an id beats a name
        if column in jobs:
            values = jobs[column].astype(object)
            present = values.notna() & (values.astype(str).str.strip() != "")
            keys = keys.where(~present, values.astype(str).str.strip())
    return keys


def _job_codes(coded: PairCodes, job_ids: pd.Index) -> np.ndarray:
    positions = job_ids.get_indexer(coded.job_names)
    if (positions < 0).any():
        unknown = list(coded.job_names[positions < 0])
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        raise ValueError(f"pairs name job ids not in jobs: {', '.join(map(repr, unknown[:5]))}{more}")
    return positions[coded.job]


def _check_pairs(coded: PairCodes, talent: np.ndarray, job: np.ndarray, score: np.ndarray, n_jobs: int) -> None:
    if (talent < 0).any():
        raise ValueError(f"pairs row {coded.rows[np.argmax(talent < 0)]!r}: talent_id is missing")
    bad = ~np.isfinite(score)
    if bad.any():
        row = np.argmax(bad)
        raise ValueError(f"pairs row {coded.rows[row]!r} ({coded.talent_of(row)} – {coded.job_of(row)}): score "
                         f"must be a finite number, got {score[row]}")
    key = talent.astype(np.int64) * n_jobs + job
    ordered = np.sort(key)  # a sort, not a hash table: a million talents' run has tens of millions of pairs
    if (ordered[1:] == ordered[:-1]).any():
        row = np.argmax(pd.Series(key).duplicated().to_numpy())
        raise ValueError(f"pairs row {coded.rows[row]!r}: talent {coded.talent_of(row)!r} and job "
                         f"{coded.job_of(row)!r} are paired more than once")


def _job_caps(jobs: pd.DataFrame, job_ids: pd.Index, per_job_factor: float) -> tuple[np.ndarray, np.ndarray]:
    """(limit, need): ceil(headcount × factor) and ceil(headcount), missing headcount counting as 1."""
    headcount = jobs["headcount"].astype(float).fillna(1.0).to_numpy()
    if (headcount < 0).any():
        raise ValueError(f"jobs: job {job_ids[np.argmax(headcount < 0)]!r} has a negative headcount")
    slack = 1e-9  # 1.1 × 3 is 3.3000000000000003 in floats; 0.1 × 30 must not become 4
    limit = np.ceil(headcount * per_job_factor - slack).astype(np.int64)
    return np.maximum(limit, 0), np.ceil(headcount - slack).astype(np.int64)


def _booth_caps(employers: pd.Index, slots: int | Mapping[str, int] | None, unlimited: int) -> np.ndarray:
    if slots is None:
        return np.full(len(employers), unlimited, np.int64)
    if not isinstance(slots, Mapping):
        return np.full(len(employers), slots, np.int64)
    unknown = sorted(set(slots) - set(employers))
    if unknown:
        logger.warning("employer_slots name %d employers with no job at this event, e.g. %s", len(unknown),
                       unknown[:3])
    return np.array([slots.get(key, unlimited) for key in employers], np.int64)


def _require_columns(frame: pd.DataFrame, columns: tuple[str, ...], name: str) -> None:
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise ValueError(f"{name}: missing columns {', '.join(missing)} (expected {', '.join(columns)})")


def _is_count(value: object) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool)
