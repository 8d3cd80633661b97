"""/employer: an enterprise's positions and, per position, its candidates (masked until consent) with reasons.

The pages call ``GET /jobs?employer_id=``, ``GET /jobs/{job_id}/candidates`` and ``POST /events`` themselves:
the same role checks, masking (matcher.privacy) and audit entries as the JSON API. An invitation to interview
is stored as an ``interviewed`` outcome with source ``invitation`` (the outcome kinds have no separate one).
"""
from __future__ import annotations

from fastapi import APIRouter, Request, Response

from api.auth import allow, page_account
from api.deps import MatcherDep, SessionDep
from api.filters import FilterParams
from api.routes.events import post_event
from api.routes.jobs import list_jobs
from api.routes.matching import candidates
from api.schemas.events import EventCreate
from api.schemas.matching import Candidates
from api.web.pages import CheckedFormDep, page, redirect

router = APIRouter(prefix="/employer", include_in_schema=False)

EmployerPage = allow("employer", "staff", "admin", source=page_account)
"""The roles of ``GET /jobs/{job_id}/candidates``; admins and staff see every position here."""
CANDIDATES = 20
INVITATION = "invitation"


@router.get("")
def my_positions(request: Request, account: EmployerPage, session: SessionDep, saved: str | None = None):
    employer_id = account.employer_id if account.role == "employer" else None
    jobs = list_jobs(account, session, FilterParams(), employer_id=employer_id, offset=0, limit=200)
    return page(request, "employer/positions.html", {"title": "我的岗位 · 用人单位", "jobs": jobs,
                                                        "saved": saved}, account=account)


@router.get("/jobs/{job_id}")
async def job_candidates(request: Request, job_id: str, account: EmployerPage, session: SessionDep,
                         matcher: MatcherDep):
    answer = await candidates(job_id, account, session, matcher, FilterParams(), top=CANDIDATES)
    found = Candidates.model_validate_json(answer.body)
    job = matcher.job_fields([job_id], ("title", "employer", "city", "salary")).get(job_id, {})
    return page(request, "employer/candidates.html", {"title": f"候选人 · {job.get('title', job_id)} · 用人单位",
                                                      "job": job, "job_id": job_id, "matches": found.matches,
                                                      "invited": request.query_params.get("invited")},
                account=account)


@router.post("/jobs/{job_id}/invite")
def invite(request: Request, job_id: str, account: EmployerPage, session: SessionDep, form: CheckedFormDep):
    """Record the invitation through ``POST /events`` (its checks: own job, a talent shown to this employer)."""
    talent_id = str(form.get("talent_id", ""))
    post_event(EventCreate(talent_id=talent_id, job_id=job_id, kind="interviewed", source=INVITATION),
               account, session, Response())
    return redirect(request, f"/employer/jobs/{job_id}?invited={talent_id}")
