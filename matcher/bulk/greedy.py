"""The by-hand baseline for the event interview schedule: best pairs first, taken while the caps allow."""
from __future__ import annotations

import time
from collections.abc import Iterator

import numpy as np
import pandas as pd

from matcher.bulk.interview_event import Event, PairCodes, ScheduleLimits, prepare_event
from matcher.bulk.schedule import Schedule, build_schedule

SOLVER = "greedy"
BLOCK_PAIRS = 1 << 20
"""Pairs turned into Python ints at a time: a province's twenty million would take gigabytes as lists."""


def greedy_schedule(pairs: pd.DataFrame | PairCodes, jobs: pd.DataFrame, limits: ScheduleLimits | None = None
                    ) -> Schedule:
    """The greedy top-N a recruiter would do by hand: pairs in descending score order (ties in input order),
    each taken while its talent, its job and its employer's booth still have room under ``limits``.

    Same inputs, validation and output as ``schedule_interviews``; like it, pairs whose score rounds to ≤ 0
    are never taken; limits None for the defaults. One Python pass in score order (timed by scripts/bench_bulk.py).
    """
    started = time.perf_counter()
    event = prepare_event(pairs, jobs, limits or ScheduleLimits())
    return build_schedule(event, _take_in_score_order(event), SOLVER, started)


def _take_in_score_order(event: Event, first: int = BLOCK_PAIRS) -> np.ndarray:
    """(p,) bool: the pairs taken walking ``event`` best score first, a block of BLOCK_PAIRS at a time (plain
    Python ints for speed, never all at once), stopping once no job has room left at a booth with room.
    Only the best ``first`` or so are sorted before the walk starts (:func:`_best_first`)."""
    talent_room = [event.per_talent] * len(event.talent_ids)
    job_room = event.job_limit.tolist()
    booth_room = event.employer_cap.tolist()
    booth_of_job = event.job_employer.tolist()
    taken = []
    blocks = (order[start:start + BLOCK_PAIRS] for order in _best_first(event.score, first)
              for start in range(0, len(order), BLOCK_PAIRS))
    for block in blocks:
        if not any(room and booth_room[booth] for room, booth in zip(job_room, booth_of_job, strict=True)):
            break
        for pair, talent, job in zip(block.tolist(), event.talent[block].tolist(), event.job[block].tolist(),
                                     strict=True):
            booth = booth_of_job[job]
            if talent_room[talent] and job_room[job] and booth_room[booth]:
                talent_room[talent] -= 1
                job_room[job] -= 1
                booth_room[booth] -= 1
                taken.append(pair)
    chosen = np.zeros(len(event.score), bool)
    chosen[taken] = True
    return chosen


def _best_first(score: np.ndarray, first: int) -> Iterator[np.ndarray]:
    """Rows of ``score`` in descending order, ties in row order, as two sorted runs: every row scoring at least
    the ``first``-th best, then the rest, sorted only if the walk reaches them. An event's thousand interviews
    are usually placed within the first run, and a sort of all of a province's pairs is the finish step's
    largest transient (scripts/bench_scale.py)."""
    if not 0 < first < len(score):
        yield np.argsort(-score, kind="stable")
        return
    threshold = np.partition(score, len(score) - first)[len(score) - first]
    best = np.flatnonzero(score >= threshold)
    yield best[np.argsort(-score[best], kind="stable")]
    rest = np.flatnonzero(score < threshold)
    yield rest[np.argsort(-score[rest], kind="stable")]
