"""The event interview schedule: which talent interviews at which job, chosen by min-cost flow under caps.

A bulk run's talent_top.csv lists each talent's best jobs with a match score. At the event a talent can sit
only a few interviews, a job's booth sees only a few candidates per opening, and an employer's booth holds a
fixed number of interviews. ``schedule_interviews`` picks the interviews that maximise the total match score
under those caps (exactly, as a min-cost flow solved by OR-Tools), with a bounded bonus that keeps urgent
(★4–5) positions from being starved by one popular job. ``greedy_schedule`` (in ``matcher.bulk.greedy``) is
the by-hand baseline, and ``compare`` sets the two side by side for reports. ``matcher.bulk.timetable`` turns
the chosen pairs into the event's timetable (booths, times, desks). The caps and the coded pairs a solver
works on are ``matcher.bulk.interview_event``'s.
"""
from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from ortools.graph.python import min_cost_flow

from matcher.bulk.interview_event import (
    PAIR_COLUMNS,
    SCORE_SCALE,
    Event,
    PairCodes,
    ScheduleLimits,
    prepare_event,
)

logger = logging.getLogger(__name__)

ASSIGNMENT_COLUMNS = ("talent_id", "job_id", "employer", "score")
COMPARED_METRICS = ("interviews", "talents_scheduled", "total_score", "urgent_covered", "urgent_filled", "seconds")
DEFAULT_URGENT_BONUS = 0.5
"""Half the interquartile range of the pair scores per urgent interview (up to headcount): enough to move a
talent from a popular job to an urgent one they match nearly as well, too little to fill it with poor matches."""
SOLVER = "ortools.SimpleMinCostFlow"


@dataclass(frozen=True, eq=False)
class Schedule:
    """assignments: one row per chosen interview, ASSIGNMENT_COLUMNS (employer: the booth key), by talent_id
    then best score first. Which pairs, not when: ``matcher.bulk.timetable`` gives each a time and a desk.
    summary: solver, interviews, talents_scheduled, total_score (plain sum of match scores,
    no bonus), urgent_positions, urgent_covered (≥ 1 interview), urgent_filled (≥ headcount), seconds."""

    assignments: pd.DataFrame
    summary: dict


def read_pairs(talent_top: Path) -> pd.DataFrame:
    """talent_id, job_id (str) and score (float64) from a bulk run's talent_top.csv; rank and reasons are
    skipped by the parser (time and memory measured by scripts/bench_print.py)."""
    try:
        return pd.read_csv(talent_top, usecols=list(PAIR_COLUMNS), keep_default_na=False,
                           dtype={"talent_id": str, "job_id": str, "score": "float64"})
    except ValueError as error:
        raise ValueError(f"{talent_top}: expected columns {', '.join(PAIR_COLUMNS)} with numeric scores "
                         f"({error})") from error


def schedule_interviews(pairs: pd.DataFrame | PairCodes, jobs: pd.DataFrame, limits: ScheduleLimits | None = None, *,
                        urgent_bonus: float = DEFAULT_URGENT_BONUS) -> Schedule:
    """The interviews of maximum total score under ``limits``, plus an urgency bonus (see ``_solve_flow``).

    pairs: talent_id, job_id (str), score (float; negative allowed), or the same coded. jobs: indexed by job_id
    with headcount, urgency_stars (float, NaN allowed), employer_id and/or employer. urgent_bonus: each of an
    urgent job's first headcount interviews gains urgent_bonus × the interquartile range of the pair scores in the
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
    """(p,) bool: the pairs a min-cost flow schedules (see :func:`_flow_over`), posed on the pairs some maximum
    schedule may use (:func:`usable_pairs`): a province's pool offers millions of pairs to an event of a few
    thousand interviews."""
    usable = np.flatnonzero(usable_pairs(event))
    chosen = np.zeros(len(event.talent), bool)
    chosen[usable] = _flow_over(event, bonus, usable)
    return chosen


def usable_pairs(event: Event) -> np.ndarray:
    """(p,) bool: each job's best ``job_limit + S`` pairs by gain (ties by pair order), S the most talents the
    event can fill to their cap, ⌊interviews / per_talent⌋, interviews bounded by every job's and booth's room.

    Why no maximum is lost: in a maximum schedule using pair (t, j), each pair of j ranked above it has a talent
    either interviewed by j (at most job_limit − 1 others) or already at their cap (at most S talents); any
    other could take t's place at j (same job, same booth, same bonus) without lowering the total. Swapping
    down to the best-ranked such schedule, every pair used ranks within job_limit + S. Among schedules of equal
    total the solver may choose another than it would from every pair.
    """
    n_pairs = len(event.talent)
    rooms = (int(event.job_limit.sum()), int(np.minimum(event.employer_cap, n_pairs).sum()),
             event.per_talent * len(event.talent_ids))
    full = min(rooms) // event.per_talent
    order = np.lexsort((-event.gain, event.job))  # job by job, the best gain first, ties in pair order (stable)
    starts = np.concatenate([[0], np.cumsum(np.bincount(event.job, minlength=len(event.job_limit)))])
    usable = np.zeros(n_pairs, bool)
    for job, start in enumerate(starts[:-1].tolist()):  # a job at a time: no rank array over every pair
        usable[order[start:min(start + int(event.job_limit[job]) + full, int(starts[job + 1]))]] = True
    return usable


def _flow_over(event: Event, bonus: int, pairs: np.ndarray) -> np.ndarray:
    """(len(pairs),) bool: which of ``pairs`` (rows of ``event``) a min-cost flow over them schedules. Arc costs
    are negated gains, capacities the caps:

    source → talent (per_talent) → job (1 per pair, cost −gain) → employer → sink (booth slots), and each
    job → employer is two parallel arcs: for an urgent job a bonus arc of capacity min(need, limit) and cost
    −bonus, then a plain arc for the rest of its limit; the solver fills the cheaper bonus arc first, so the
    bonus is a concave gain on the job's first ``need`` interviews. A zero-cost source → sink bypass can carry
    the whole supply, so no unit is ever pushed through a pair that does not lower the cost: with every pair
    gain > 0 the optimum is the maximum-score schedule, and a pair is taken only because it raises the total.
    """
    talents, talent = np.unique(event.talent[pairs], return_inverse=True)  # only the talents these pairs name
    n_talents, n_jobs, n_employers = len(talents), len(event.job_ids), len(event.employers)
    n_pairs, gain, job = len(pairs), event.gain[pairs], event.job[pairs]
    source, sink = 0, 1
    talent_nodes = 2 + np.arange(n_talents)
    job_nodes = 2 + n_talents + np.arange(n_jobs)
    employer_nodes = 2 + n_talents + n_jobs + np.arange(n_employers)
    supply = event.per_talent * n_talents
    bonus_cap = np.where(event.job_urgent & (bonus > 0), np.minimum(event.job_need, event.job_limit), 0)
    job_booths = employer_nodes[event.job_employer]
    arcs = [  # (tails, heads, capacities, unit costs); the pair arcs come second, right after n_talents arcs
        (np.full(n_talents, source), talent_nodes, np.full(n_talents, event.per_talent), np.zeros(n_talents)),
        (talent_nodes[talent], job_nodes[job], np.ones(n_pairs), -gain),
        (job_nodes, job_booths, bonus_cap, np.full(n_jobs, -bonus)),
        (job_nodes, job_booths, event.job_limit - bonus_cap, np.zeros(n_jobs)),
        (employer_nodes, np.full(n_employers, sink), np.minimum(event.employer_cap, supply), np.zeros(n_employers)),
        ([source], [sink], [supply], [0]),
    ]
    tails, heads, capacities, costs = (np.concatenate(column) for column in zip(*arcs, strict=True))
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails.astype(np.int32), heads.astype(np.int32),
                                              capacities.astype(np.int64), costs.astype(np.int64))
    del arcs, tails, heads, capacities, costs  # the solver holds its own copy; ours would sit through the solve
    flow.set_nodes_supplies(np.array([source, sink], np.int32), np.array([supply, -supply], np.int64))
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow ended with status {status} on {n_pairs} pairs")
    logger.info("min-cost flow: %d pairs, %d talents, %d jobs, cost %d", n_pairs, n_talents, n_jobs,
                flow.optimal_cost())
    return flow.flows(np.arange(n_talents, n_talents + n_pairs, dtype=np.int32)) > 0


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
