"""An enterprise's own booths at events: which bulk runs (events) interview for its positions, and its rows of them.

An event is a staff bulk run (matcher.serving.bulk_runs); its ``schedule.csv`` has one row per interview with the job.
A row is this employer's when its job is one of the employer's positions now, so another employer's booth,
and a booth shared under the same name, never shows here. Runs are read from their status files directly
(``BulkRuns.visible`` lists only the runs a person created, which an employer never does).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from api.web.timetable import SCHEDULE
from matcher.pipeline import Matcher
from matcher.serving.bulk_runs import RUN_ID, STATUS_FILE, BulkRuns
from matcher.serving.run_state import BulkRunState

SCHEDULE_TYPES = {"talent_id": str, "job_id": str, "employer": str, "booth": str, "start": str, "end": str}
EVENTS_SHOWN = 100
"""Newest finished runs looked through for the employer's booths."""


@dataclass(frozen=True)
class BoothEvent:
    """An event where the employer has interviews: the run, when, at which booths, how many interviews."""

    run_id: str
    created_at: datetime
    booths: tuple[str, ...]
    interviews: int


def finished_runs(runs: BulkRuns) -> list[BulkRunState]:
    """Every finished run with a timetable, newest first (whoever started it)."""
    found = [_finished(path.parent) for path in runs.root.glob(f"*/{STATUS_FILE}")]
    return sorted((s for s in found if s is not None), key=lambda s: s.created_at, reverse=True)[:EVENTS_SHOWN]


def own_interviews(runs: BulkRuns, matcher: Matcher, run_id: str, employer_id: str) -> pd.DataFrame:
    """The run's interviews for ``employer_id``'s positions, by booth, time and desk (empty if none, or the run
    is missing or unfinished)."""
    if not RUN_ID.fullmatch(run_id) or _finished(runs.run_dir(run_id)) is None:
        return pd.DataFrame(columns=list(SCHEDULE_TYPES))
    schedule = pd.read_csv(runs.run_dir(run_id) / SCHEDULE, dtype=SCHEDULE_TYPES)
    owners = matcher.job_fields(list(dict.fromkeys(schedule["job_id"])), ("employer_id",))
    own = {job for job, row in owners.items() if row.get("employer_id") == employer_id}
    mine = schedule[schedule["job_id"].isin(own)]
    return mine.sort_values(["booth_no", "start", "desk"], kind="stable").reset_index(drop=True)


def _finished(folder: Path) -> BulkRunState | None:
    """The run in ``folder`` if it is done and wrote a timetable; None otherwise (also for an unreadable status,
    e.g. one being replaced: the run shows at the next visit)."""
    try:
        state = BulkRunState.model_validate_json((folder / STATUS_FILE).read_bytes())
    except (OSError, ValueError):
        return None
    return state if state.status == "done" and (folder / SCHEDULE).is_file() else None


def booth_events(runs: BulkRuns, matcher: Matcher, employer_id: str) -> list[BoothEvent]:
    """The finished runs with at least one interview at this employer's booths, newest first."""
    events = []
    for state in finished_runs(runs):
        mine = own_interviews(runs, matcher, state.id, employer_id)
        if not mine.empty:
            events.append(BoothEvent(state.id, state.created_at, tuple(dict.fromkeys(mine["booth"])), len(mine)))
    return events
