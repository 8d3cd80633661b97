"""/employer/events: the events where an enterprise's positions have interviews, and its own booths' timetable.

Candidates are shown as ``GET /jobs/{id}/candidates`` shows them to this employer (api.views.talent_summaries:
masked unless the talent consented to this employer), and the read is audited the same way. Another
employer's run, or a run without this employer's interviews, is a 404 like a missing one.
"""
from __future__ import annotations

from fastapi import APIRouter, Request

from api.auth import allow, page_account
from api.deps import MatcherDep, SessionDep
from api.problems import not_found
from api.routes.bulk_matches import BulkRunsDep
from api.web.booth_schedules import booth_events, own_interviews
from api.web.fair_events import fair_event
from api.web.pages import page
from api.web.timetable import booth_slots
from matcher.store.accounts import Account

router = APIRouter(prefix="/employer/events", include_in_schema=False)

EmployerOnly = allow("employer", source=page_account)
"""Staff and admins have the whole timetable at /staff/bulk/{id}/timetable."""


@router.get("")
def my_events(request: Request, account: EmployerOnly, session: SessionDep, matcher: MatcherDep,
              runs: BulkRunsDep):
    events = booth_events(runs, matcher, _employer_id(account))
    names = {e.run_id: fair_event(session, runs, e.run_id).name for e in events}
    return page(request, "employer/events.html", {"title": "招聘会面试安排 · 用人单位", "events": events,
                                                  "names": names}, account=account)


@router.get("/{run_id}")
def my_booth_timetable(request: Request, run_id: str, account: EmployerOnly, session: SessionDep,
                       matcher: MatcherDep, runs: BulkRunsDep):
    interviews = own_interviews(runs, matcher, run_id, _employer_id(account))
    if interviews.empty:
        raise not_found("event", run_id)
    booths = booth_slots(session, account, interviews, "GET /employer/events/{run_id}", unknown_by_id=False)
    event = fair_event(session, runs, run_id)
    return page(request, "employer/booth_timetable.html", {
        "title": f"本单位展位面试时间表 · {event.name} · 用人单位", "event": event, "booths": booths},
        account=account)


def _employer_id(account: Account) -> str:
    if account.employer_id is None:  # an employer user not bound to an enterprise has no booth anywhere
        raise not_found("employer", account.name)
    return account.employer_id
