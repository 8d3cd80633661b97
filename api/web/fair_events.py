"""A job fair as the pages know it: a bulk run (its jobs are the event's positions) and its booths.

An event is the bulk match staff ran for it, so /fair/{event_id} shows the positions of that run and each
employer among them is a booth. No new table: the run's status file already names the jobs and the pool.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from api.problems import not_found
from matcher.pipeline import Matcher
from matcher.serving.bulk_runs import RUN_ID, BulkRuns
from matcher.store.records import get_record

BOOTH_COLUMNS = ("employer_id", "employer")


@dataclass(frozen=True)
class FairEvent:
    id: str
    name: str
    workstation_id: str | None
    job_ids: frozenset[str] | None
    """None: every position in the catalogue."""


@dataclass(frozen=True)
class Booth:
    employer_id: str
    employer: str


def fair_event(session: Session, runs: BulkRuns, event_id: str) -> FairEvent:
    """The event of a bulk run, readable by anyone with its link (the QR code): its name and positions only."""
    state = runs._state(event_id) if RUN_ID.fullmatch(event_id) else None  # noqa: SLF001 - no account here
    if state is None:
        raise not_found("event", event_id)
    workstation_id = state.parameters.workstation_id
    host = get_record(session, "workstations", workstation_id) if workstation_id else None
    day = state.created_at.strftime("%Y年%m月%d日")
    name = f"{host['name']}招聘会（{day}）" if host else f"人才招聘会（{day}）"
    job_ids = frozenset(state.parameters.job_ids) if state.parameters.job_ids else None
    return FairEvent(event_id, name, workstation_id, job_ids)


def booths(matcher: Matcher, event: FairEvent) -> list[Booth]:
    """One booth per employer with a position at the event, in name order."""
    ids = event.job_ids if event.job_ids is not None else map(str, matcher.jobs.frame.index)
    found = {row["employer_id"]: row["employer"] for row in matcher.job_fields(list(ids), BOOTH_COLUMNS).values()
             if row.get("employer_id")}
    return sorted((Booth(e, n) for e, n in found.items()), key=lambda b: (b.employer, b.employer_id))


def event_job_ids(matcher: Matcher, event: FairEvent | None, booth: str | None) -> frozenset[str] | None:
    """The positions a visitor is matched against: the event's, then only the booth's when one is named."""
    if booth is None:
        return event.job_ids if event else None
    ids = event.job_ids if event and event.job_ids is not None else map(str, matcher.jobs.frame.index)
    rows = matcher.job_fields(list(ids), ("employer_id",))
    return frozenset(j for j, row in rows.items() if row.get("employer_id") == booth)
