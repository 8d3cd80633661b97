"""/staff/bulk/{run_id}/timetable: a finished run's interview timetable, one printable sheet per booth.

Read from the run's own ``schedule.csv`` (what the workbook's 面试安排 sheet holds), after the same
visibility check as ``GET /bulk-matches/{id}``; candidates shown as ``GET /jobs/{id}/candidates`` shows
them to this person (api.views.talent_summaries) and the read audited the same way.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from fastapi import APIRouter, Request
from sqlalchemy.orm import Session

from api.auth import allow, page_account
from api.deps import SessionDep
from api.problems import not_found
from api.routes.bulk_matches import BulkRunsDep, read_bulk_match
from api.views import CANDIDATE_COLUMNS, audit_reads, talent_summaries
from api.web.pages import page
from matcher.store.accounts import Account
from matcher.store.records import records_by_id

router = APIRouter(prefix="/staff/bulk", include_in_schema=False)

StaffPage = allow("staff", "admin", source=page_account)
SCHEDULE = "schedule.csv"


@dataclass(frozen=True)
class Slot:
    """One interview of a booth's timetable (schedule.csv: the bulk run's timetable, by booth and time)."""

    start: str
    end: str
    desk: int
    name: str
    phone: str
    title: str


@router.get("/{run_id}/timetable")
def timetable(request: Request, run_id: str, account: StaffPage, session: SessionDep, runs: BulkRunsDep):
    run = read_bulk_match(run_id, account, runs, request)
    path = runs.run_dir(run_id) / SCHEDULE
    if run.status != "done" or not path.is_file():
        raise not_found("timetable", run_id)
    schedule = pd.read_csv(path, dtype={"talent_id": str, "job_id": str, "employer": str, "booth": str,
                                        "start": str, "end": str})
    booths = booth_slots(session, account, schedule.sort_values(["booth_no", "start", "desk"], kind="stable"),
                         "GET /staff/bulk/{run_id}/timetable", unknown_by_id=True)
    return page(request, "staff/timetable.html", {"title": "各展位面试时间表 · 工作站", "run": run, "booths": booths},
                account=account)


def booth_slots(session: Session, account: Account, interviews: pd.DataFrame, via: str,
                unknown_by_id: bool) -> dict[str, list[Slot]]:
    """Booth → its interviews in the given order, each candidate shown as this account may see them (masked
    unless allowed) and the read audited ``via`` this page; a talent no longer stored shows by id when
    ``unknown_by_id`` (staff), else blank."""
    talent_ids = list(dict.fromkeys(interviews["talent_id"]))
    shown = talent_summaries(account, records_by_id(session, "talents", talent_ids, CANDIDATE_COLUMNS))
    audit_reads(session, account, {i: s.view for i, s in shown.items()}, action="read", via=via)
    session.commit()
    booths: dict[str, list[Slot]] = {}
    for row in interviews.itertuples(index=False):
        talent = shown.get(row.talent_id)
        unknown = row.talent_id if unknown_by_id else ""
        booths.setdefault(row.booth, []).append(Slot(row.start, row.end, int(row.desk),
                                                     talent.name or "" if talent else unknown,
                                                     talent.phone or "" if talent else "", row.title))
    return booths
