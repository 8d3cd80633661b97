"""/employer: an enterprise's positions and, per position, its candidates (masked until consent) with reasons.

The pages call ``GET /jobs?employer_id=`` and ``GET /jobs/{job_id}/candidates`` themselves: the same role
checks, masking (matcher.privacy) and audit entries as the JSON API.
"""
from __future__ import annotations

from fastapi import APIRouter, Request

from api.auth import allow, page_account
from api.deps import MatcherDep, SessionDep
from api.filters import FilterParams
from api.routes.jobs import list_jobs
from api.routes.matching import candidates
from api.schemas.matching import Candidates
from api.web.pages import page

router = APIRouter(prefix="/employer", include_in_schema=False)

EmployerPage = allow("employer", "staff", "admin", source=page_account)
"""The roles of ``GET /jobs/{job_id}/candidates``; admins and staff see every position here."""
CANDIDATES = 20


@router.get("")
def my_positions(request: Request, account: EmployerPage, session: SessionDep):
    employer_id = account.employer_id if account.role == "employer" else None
    jobs = list_jobs(account, session, FilterParams(), employer_id=employer_id, offset=0, limit=200)
    return page(request, "employer/positions.html", {"title": "我的岗位 · 用人单位", "jobs": jobs}, account=account)


@router.get("/jobs/{job_id}")
async def job_candidates(request: Request, job_id: str, account: EmployerPage, session: SessionDep,
                         matcher: MatcherDep):
    answer = await candidates(job_id, account, session, matcher, FilterParams(), top=CANDIDATES)
    found = Candidates.model_validate_json(answer.body)
    job = matcher.job_fields([job_id], ("title", "employer", "city", "salary")).get(job_id, {})
    return page(request, "employer/candidates.html", {"title": f"候选人 · {job.get('title', job_id)} · 用人单位",
                                                      "job": job, "matches": found.matches}, account=account)
