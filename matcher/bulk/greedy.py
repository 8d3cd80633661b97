"""The by-hand baseline for the event interview schedule: best pairs first, taken while the caps allow."""
from __future__ import annotations

import time

import numpy as np
import pandas as pd

from matcher.bulk.interview_event import Event, ScheduleLimits, prepare_event
from matcher.bulk.schedule import Schedule, build_schedule

SOLVER = "greedy"


def greedy_schedule(pairs: pd.DataFrame, jobs: pd.DataFrame, limits: ScheduleLimits | None = None
                    ) -> Schedule:
    """The greedy top-N a recruiter would do by hand: pairs in descending score order (ties in input order),
    each taken while its talent, its job and its employer's booth still have room under ``limits``.

    Same inputs, validation and output as ``schedule_interviews``; like it, pairs whose score rounds to ≤ 0
    are never taken; limits None for the defaults. One Python pass in score order (timed by scripts/bench_bulk.py).
    """
    started = time.perf_counter()
    event = prepare_event(pairs, jobs, limits or ScheduleLimits())
    return build_schedule(event, _take_in_score_order(event), SOLVER, started)


def _take_in_score_order(event: Event) -> np.ndarray:
    """(p,) bool: the pairs taken walking ``event`` best score first."""
    order = np.argsort(-event.score, kind="stable")
    talent_room = [event.per_talent] * len(event.talent_ids)
    job_room = event.job_limit.tolist()
    booth_room = event.employer_cap.tolist()
    booth_of_job = event.job_employer.tolist()
    taken = []
    for pair, talent, job in zip(order.tolist(), event.talent[order].tolist(), event.job[order].tolist(),
                                 strict=True):
        booth = booth_of_job[job]
        if talent_room[talent] and job_room[job] and booth_room[booth]:
            talent_room[talent] -= 1
            job_room[job] -= 1
            booth_room[booth] -= 1
            taken.append(pair)
    chosen = np.zeros(len(order), bool)
    chosen[taken] = True
    return chosen
