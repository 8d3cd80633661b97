"""The event interview schedule: which talent interviews at which job, chosen by min-cost flow under caps.

A bulk run's talent_top.csv lists each talent's best jobs with a match score. At the event a talent can sit
only a few interviews, a job's booth sees only a few candidates per opening, and an employer's booth holds a
fixed number of interviews. ``schedule_interviews`` picks the interviews that maximise the total match score
under those caps (exactly, as a min-cost flow solved by OR-Tools), with a bounded bonus that keeps urgent
(★4–5) positions from being starved by one popular job. ``greedy_schedule`` (in ``matcher.bulk.greedy``) is
the by-hand baseline, and ``compare`` sets the two side by side for reports. ``matcher.bulk.timetable`` turns
the chosen pairs into the event's timetable (booths, times, desks).
"""
from __future__ import annotations

import logging
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from ortools.graph.python import min_cost_flow

from matcher.bulk.report import URGENT_STARS

logger = logging.getLogger(__name__)

PAIR_COLUMNS = ("talent_id", "job_id", "score")
JOB_COLUMNS = ("headcount", "urgency_stars")
ASSIGNMENT_COLUMNS = ("talent_id", "job_id", "employer", "score")
COMPARED_METRICS = ("interviews", "talents_scheduled", "total_score", "urgent_covered", "urgent_filled", "seconds")
SCORE_SCALE = 10_000
"""Arc costs are integers: a score enters the flow as round(score × SCORE_SCALE), i.e. to 4 decimals. The
schedule is exactly optimal for the rounded scores, so within 0.00005 × interviews of the real-valued optimum;
a pair whose score rounds to ≤ 0 cannot raise the total and is never scheduled, by either solver."""
DEFAULT_URGENT_BONUS = 0.5
"""Half the interquartile range of the pair scores per urgent interview (up to headcount): enough to move a
talent from a popular job to an urgent one they match nearly as well, too little to fill it with poor matches."""
SOLVER = "ortools.SimpleMinCostFlow"
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
class Schedule:
    """assignments: one row per chosen interview, ASSIGNMENT_COLUMNS (employer: the booth key), by talent_id
    then best score first. Which pairs, not when: ``matcher.bulk.timetable`` gives each a time and a desk.
    summary: solver, interviews, talents_scheduled, total_score (plain sum of match scores,
    no bonus), urgent_positions, urgent_covered (≥ 1 interview), urgent_filled (≥ headcount), seconds."""

    assignments: pd.DataFrame
    summary: dict


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


def read_pairs(talent_top: Path) -> pd.DataFrame:
    """talent_id, job_id (str) and score (float64) from a bulk run's talent_top.csv; rank and reasons are
    skipped by the parser: 2M rows read in ~1 s into ~70 MB."""
    try:
        return pd.read_csv(talent_top, usecols=list(PAIR_COLUMNS), keep_default_na=False,
                           dtype={"talent_id": str, "job_id": str, "score": "float64"})
    except ValueError as error:
        raise ValueError(f"{talent_top}: expected columns {', '.join(PAIR_COLUMNS)} with numeric scores "
                         f"({error})") from error


def schedule_interviews(pairs: pd.DataFrame, jobs: pd.DataFrame, limits: ScheduleLimits | None = None, *,
                        urgent_bonus: float = DEFAULT_URGENT_BONUS) -> Schedule:
    """The interviews of maximum total score under ``limits``, plus an urgency bonus (see ``_solve_flow``).

    pairs: talent_id, job_id (str), score (float; negative allowed). jobs: indexed by job_id with headcount,
    urgency_stars (float, NaN allowed), employer_id and/or employer. urgent_bonus: each of an urgent job's
    first headcount interviews gains urgent_bonus × the interquartile range of the pair scores in the
    objective (reported as summary["urgent_bonus_score"]); 0 maximises the plain total score. limits: None
    for the defaults.
    """
    if not (isinstance(urgent_bonus, int | float) and math.isfinite(urgent_bonus) and urgent_bonus >= 0):
        raise ValueError(f"urgent_bonus must be a finite number ≥ 0, got {urgent_bonus!r}")
    started = time.perf_counter()
    event = prepare_event(pairs, jobs, limits or ScheduleLimits())
    bonus = round(urgent_bonus * event.score_spread * SCORE_SCALE)
    chosen = _solve_flow(event, bonus)
    return build_schedule(event, chosen, SOLVER, started, urgent_bonus_score=bonus / SCORE_SCALE)


def _solve_flow(event: Event, bonus: int) -> np.ndarray:
    """(p,) bool: the pairs a min-cost flow schedules. Arc costs are negated gains, capacities the caps:

    source → talent (per_talent) → job (1 per pair, cost −gain) → employer → sink (booth slots), and each
    job → employer is two parallel arcs: for an urgent job a bonus arc of capacity min(need, limit) and cost
    −bonus, then a plain arc for the rest of its limit; the solver fills the cheaper bonus arc first, so the
    bonus is a concave gain on the job's first ``need`` interviews. A zero-cost source → sink bypass can carry
    the whole supply, so no unit is ever pushed through a pair that does not lower the cost: with every pair
    gain > 0 the optimum is the maximum-score schedule, and a pair is taken only because it raises the total.
    """
    n_talents, n_jobs, n_employers = len(event.talent_ids), len(event.job_ids), len(event.employers)
    n_pairs = len(event.talent)
    source, sink = 0, 1
    talent_nodes = 2 + np.arange(n_talents)
    job_nodes = 2 + n_talents + np.arange(n_jobs)
    employer_nodes = 2 + n_talents + n_jobs + np.arange(n_employers)
    supply = event.per_talent * n_talents
    bonus_cap = np.where(event.job_urgent & (bonus > 0), np.minimum(event.job_need, event.job_limit), 0)
    job_booths = employer_nodes[event.job_employer]
    arcs = [  # (tails, heads, capacities, unit costs); the pair arcs come second, right after n_talents arcs
        (np.full(n_talents, source), talent_nodes, np.full(n_talents, event.per_talent), np.zeros(n_talents)),
        (talent_nodes[event.talent], job_nodes[event.job], np.ones(n_pairs), -event.gain),
        (job_nodes, job_booths, bonus_cap, np.full(n_jobs, -bonus)),
        (job_nodes, job_booths, event.job_limit - bonus_cap, np.zeros(n_jobs)),
        (employer_nodes, np.full(n_employers, sink), np.minimum(event.employer_cap, supply), np.zeros(n_employers)),
        ([source], [sink], [supply], [0]),
    ]
    tails, heads, capacities, costs = (np.concatenate(column) for column in zip(*arcs, strict=True))
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails.astype(np.int32), heads.astype(np.int32),
                                              capacities.astype(np.int64), costs.astype(np.int64))
    flow.set_nodes_supplies(np.array([source, sink], np.int32), np.array([supply, -supply], np.int64))
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow ended with status {status} on {n_pairs} pairs")
    logger.info("min-cost flow: %d pairs, %d talents, %d jobs, cost %d", n_pairs, n_talents, n_jobs,
                flow.optimal_cost())
    return flow.flows(np.arange(n_talents, n_talents + n_pairs, dtype=np.int32)) > 0


def prepare_event(pairs: pd.DataFrame, jobs: pd.DataFrame, limits: ScheduleLimits) -> Event:
    """Validate ``pairs`` against ``jobs`` and code them for a solver. Raises ValueError for a missing column,
    a job id not in ``jobs``, a non-finite score, a repeated talent–job pair or a negative headcount."""
    _require_columns(pairs, PAIR_COLUMNS, "pairs")
    _require_columns(jobs, JOB_COLUMNS, "jobs")
    job_ids = pd.Index(jobs.index.astype(str), name="job_id")
    if job_ids.has_duplicates:
        raise ValueError(f"jobs: job id {job_ids[job_ids.duplicated()][0]!r} appears more than once")
    talent, talent_ids = pd.factorize(pairs["talent_id"].astype(str))
    job = _job_codes(pairs["job_id"], job_ids)
    score = pairs["score"].to_numpy(np.float64)
    _check_pairs(pairs, talent, job, score, len(job_ids))
    gain = np.rint(score * SCORE_SCALE).astype(np.int64)
    keep = gain > 0
    spread = float(np.subtract(*np.percentile(score, [75, 25]))) if len(score) else 0.0
    job_limit, job_need = _job_caps(jobs, job_ids, limits.per_job_factor)
    keys = booth_keys(jobs, limits.booths)
    job_employer, employers = pd.factorize(keys)
    return Event(talent=talent[keep].astype(np.int32), job=job[keep].astype(np.int32), gain=gain[keep],
                 score=score[keep], talent_ids=pd.Index(talent_ids, name="talent_id"), job_ids=job_ids,
                 job_limit=job_limit, job_need=job_need,
                 job_urgent=(jobs["urgency_stars"].astype(float).fillna(0) >= URGENT_STARS).to_numpy(),
                 job_employer=job_employer.astype(np.int32), employers=pd.Index(employers, name="employer"),
                 employer_cap=_booth_caps(employers, limits.employer_slots, int(keep.sum())),
                 per_talent=limits.per_talent, score_spread=spread)


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


def build_schedule(event: Event, chosen: np.ndarray, solver: str, started: float, **extra: object) -> Schedule:
    """The Schedule of the ``chosen`` (p,) bool pairs of ``event``, timed from ``started`` (perf_counter)."""
    picked = np.flatnonzero(chosen)
    talent, job = event.talent[picked], event.job[picked]
    frame = pd.DataFrame({"talent_id": event.talent_ids.take(talent), "job_id": event.job_ids.take(job),
                          "employer": event.employers.take(event.job_employer[job]), "score": event.score[picked]})
    frame = frame.sort_values(["talent_id", "score", "job_id"], ascending=[True, False, True], kind="stable")
    per_job = np.bincount(job, minlength=len(event.job_ids))
    urgent = event.job_urgent
    summary = {"solver": solver, "interviews": len(picked), "talents_scheduled": int(np.unique(talent).size),
               "total_score": float(event.score[picked].sum()), "urgent_positions": int(urgent.sum()),
               "urgent_covered": int((urgent & (per_job >= 1)).sum()),
               "urgent_filled": int((urgent & (per_job >= event.job_need)).sum()),
               "seconds": round(time.perf_counter() - started, 3), **extra}
    return Schedule(assignments=frame.reset_index(drop=True)[list(ASSIGNMENT_COLUMNS)], summary=summary)


def compare(schedule: Schedule, greedy: Schedule) -> dict:
    """The two schedules side by side: solvers, urgent_positions, shared_interviews (talent–job pairs both
    chose) and, per COMPARED_METRICS, {"schedule", "greedy", "difference" (schedule − greedy)}."""
    pair = ["talent_id", "job_id"]
    shared = schedule.assignments[pair].merge(greedy.assignments[pair], on=pair)
    metrics = {metric: {"schedule": schedule.summary[metric], "greedy": greedy.summary[metric],
                        "difference": schedule.summary[metric] - greedy.summary[metric]}
               for metric in COMPARED_METRICS}
    return {"solvers": {"schedule": schedule.summary["solver"], "greedy": greedy.summary["solver"]},
            "urgent_positions": schedule.summary["urgent_positions"], "shared_interviews": len(shared),
            "metrics": metrics}


def _job_codes(job_column: pd.Series, job_ids: pd.Index) -> np.ndarray:
    codes, named = pd.factorize(job_column.astype(str))
    if (codes < 0).any():
        raise ValueError(f"pairs row {job_column.index[np.argmax(codes < 0)]!r}: job_id is missing")
    positions = job_ids.get_indexer(named)
    if (positions < 0).any():
        unknown = list(named[positions < 0])
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        raise ValueError(f"pairs name job ids not in jobs: {', '.join(map(repr, unknown[:5]))}{more}")
    return positions[codes]


def _check_pairs(pairs: pd.DataFrame, talent: np.ndarray, job: np.ndarray, score: np.ndarray, n_jobs: int) -> None:
    if (talent < 0).any():
        raise ValueError(f"pairs row {pairs.index[np.argmax(talent < 0)]!r}: talent_id is missing")
    bad = ~np.isfinite(score)
    if bad.any():
        row = np.argmax(bad)
        raise ValueError(f"pairs row {pairs.index[row]!r} ({pairs['talent_id'].iloc[row]} – "
                         f"{pairs['job_id'].iloc[row]}): score must be a finite number, got {score[row]}")
    repeated = pd.Series(talent.astype(np.int64) * n_jobs + job).duplicated().to_numpy()
    if repeated.any():
        row = np.argmax(repeated)
        raise ValueError(f"pairs row {pairs.index[row]!r}: talent {pairs['talent_id'].iloc[row]!r} and job "
                         f"{pairs['job_id'].iloc[row]!r} are paired more than once")


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
