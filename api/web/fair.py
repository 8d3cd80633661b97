"""The job-fair pages for seekers on their phones: the form, the results, "我要应聘", QR codes and posters.

No account is needed. Matching uses the same checks and pipeline call as ``POST /match/profile`` and
stores nothing; only "我要应聘" with the consent box ticked stores a profile, an application and consent
for that one employer.
"""
from __future__ import annotations

import io
from typing import Annotated

import segno
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from api.deps import FollowerDep, MatcherDep, SessionDep
from api.problems import Problem
from api.routes.bulk_matches import BulkRunsDep
from api.routes.matching import _check_draft, _job_matches
from api.schemas.matching import JobMatch
from api.web.fair_apply import apply_at_fair
from api.web.fair_events import FairEvent, booths, event_job_ids, fair_event
from api.web.fair_limit import fair_limit, too_many_applications
from api.web.pages import CheckedFormDep, page
from api.web.throttle import client_address
from matcher.normalize.records import TALENT_REQUIRED, check_talent
from matcher.pipeline import UNSAVED_ID, Matcher

router = APIRouter(prefix="/fair", include_in_schema=False)

TOP = 10
FAIR_FIELDS = {"summary": "我会做什么", "hometown": "籍贯", "education": "学历", "certificates": "证书",
               "expected_salary": "期望薪资", "intent_cities": "想去哪里工作"}
EDUCATION_CHOICES = ("初中", "高中", "中专", "大专", "本科", "硕士", "博士")
HINTS = {"summary": "用几句话说说做过什么工作、会什么手艺", "certificates": "写上持有的证书，如 电工证、焊工证",
         "intent_cities": "写上想去的城市，如 郑州、周口", "education": "选择学历",
         "expected_salary": "写上期望月薪，如 5000-8000元/月"}


def optional_event(request: Request, session: SessionDep, runs: BulkRunsDep) -> FairEvent | None:
    event_id = request.path_params.get("event_id")
    return fair_event(session, runs, event_id) if event_id else None


EventDep = Annotated[FairEvent | None, Depends(optional_event)]
BoothQuery = Annotated[str | None, Query(max_length=64)]


@router.post("/apply")
@router.post("/{event_id}/apply")
def fair_apply(request: Request, event: EventDep, session: SessionDep, matcher: MatcherDep, follower: FollowerDep,
               form: CheckedFormDep):
    """我要应聘: a profile (or the visitor's earlier one), an application, consent for this employer only.
    Stored applications are counted per client address and event (api.web.fair_limit). Registered before
    ``/{event_id}``, which would otherwise take "apply" for an event id."""
    limit, key = fair_limit(request), (client_address(request), event.id if event else "")
    if wait := limit.wait_seconds(key):
        return too_many_applications(request, limit, wait)
    draft = {name: str(form.get(name, "")).strip() for name in FAIR_FIELDS}
    outcome = apply_at_fair(request, session, matcher, follower, form, draft, event)
    if outcome.ok:
        limit.record(key)
    return page(request, "fair/applied.html", {"title": "应聘结果", "outcome": outcome, "event": event},
                status_code=200 if outcome.ok else 422)


@router.get("")
@router.get("/{event_id}")
def fair_form(request: Request, event: EventDep, matcher: MatcherDep, booth: BoothQuery = None):
    return page(request, "fair/form.html", _context(matcher, event, booth, {}))


@router.post("")
@router.post("/{event_id}")
def fair_results(request: Request, event: EventDep, matcher: MatcherDep, form: CheckedFormDep,
                 booth: BoothQuery = None):
    """The best positions for what the visitor wrote, at once; nothing is stored."""
    draft = {name: str(form.get(name, "")).strip() for name in FAIR_FIELDS}
    raw = {name: value for name, value in draft.items() if value}
    context = _context(matcher, event, booth, draft)
    try:
        _check_draft(raw, check_talent, TALENT_REQUIRED, {"talent_id": UNSAVED_ID, "name": "-"})
    except Problem as problem:
        context["errors"] = [f"{FAIR_FIELDS.get(e['field'], e['field'])}：{e['message']}" for e in problem.errors]
        return page(request, "fair/form.html", context, status_code=422)
    context["matches"], context["lacking"] = _matches(matcher, raw, event_job_ids(matcher, event, booth))
    context["missing"] = [label for name, label in FAIR_FIELDS.items() if not raw.get(name)]
    return page(request, "fair/form.html", context)


@router.get("/{event_id}/qr.svg")
def fair_qr(request: Request, event: EventDep, booth: BoothQuery = None):
    """The QR code of the event's page (or a booth's), as SVG: sharp on a poster at any size."""
    target = str(request.url_for("fair_form", event_id=event.id))  # type: ignore[union-attr]
    if booth:
        target += f"?booth={booth}"
    buffer = io.BytesIO()
    segno.make(target, error="m").save(buffer, kind="svg", scale=8, border=2, xmldecl=False,
                                       svgclass=None, lineclass=None, title="扫码找岗位")
    return Response(buffer.getvalue(), media_type="image/svg+xml")


@router.get("/{event_id}/poster")
def fair_poster(request: Request, event: EventDep, matcher: MatcherDep):
    """A4, to print: the event's name and QR code, then one small QR code per booth."""
    return page(request, "fair/poster.html", {"title": f"海报 · {event.name}", "event": event,  # type: ignore[union-attr]
                                              "booths": booths(matcher, event)})  # type: ignore[arg-type]


def _matches(matcher: Matcher, raw: dict, job_ids: frozenset[str] | None) -> tuple[list[JobMatch], tuple[str, ...]]:
    """The positions that fit (at this event, when given), and when none does, what the nearest ones lack."""
    found = matcher.match_profile(raw, TOP, job_ids=job_ids)
    return _job_matches(matcher, found), found.missing


def _context(matcher: Matcher, event: FairEvent | None, booth: str | None, draft: dict) -> dict:
    booth_name = None
    if booth:
        names = [b.employer for b in booths(matcher, event) if b.employer_id == booth] if event else []
        booth_name = names[0] if names else None
        if booth_name is None:
            raise Problem(404, f"展位 {booth!r} 不在这次招聘会")
    where = event.name if event else "现场招聘"
    title = f"找岗位 · {booth_name} · {where}" if booth_name else f"找岗位 · {where}"
    return {"title": title, "event": event, "booth": booth, "booth_name": booth_name, "draft": draft,
            "fields": FAIR_FIELDS, "hints": HINTS, "education_choices": EDUCATION_CHOICES,
            "action": f"/fair/{event.id}" if event else "/fair"}
