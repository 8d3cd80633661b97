"""/employer/jobs/new and /employer/jobs/{id}/edit: post and edit positions, with the reading shown as one types.

Saving is ``POST /jobs`` / ``PATCH /jobs/{id}`` (an employer posts under its own name, edits only its own);
the reading beside each field is ``GET /catalogs/normalize/{kind}`` worded by api.web.readings.
"""
from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import PlainTextResponse

from api.auth import allow, page_account
from api.deps import FollowerDep, MatcherDep, SessionDep
from api.problems import Problem
from api.routes.catalogs import normalize_one
from api.routes.jobs import create_job, read_job, update_job
from api.schemas.jobs import JobCreate, JobUpdate
from api.web.pages import CheckedFormDep, page, redirect
from api.web.readings import READABLE_KINDS, reading

router = APIRouter(prefix="/employer", include_in_schema=False)

JobWriterPage = allow("employer", "admin", source=page_account)
"""The roles of ``POST /jobs``."""
FIELDS = {"title": ("岗位名称", None), "city": ("工作城市", "region"), "county": ("区县", None),
          "salary": ("薪资", "salary"), "education": ("学历要求", "education"),
          "experience": ("经验要求", "experience"), "certificates": ("证书要求", "certificate"),
          "skills": ("技能要求", "skills"), "headcount": ("招聘人数", None), "description": ("岗位描述", None)}
"""Form field → (label, the normaliser whose reading is shown beside it)."""


@router.get("/jobs/new")
def new_job(request: Request, account: JobWriterPage):
    return page(request, "employer/job_form.html", {"title": "发布岗位 · 用人单位", "fields": FIELDS, "job": {},
                                                    "action": "/employer/jobs/new"}, account=account)


@router.post("/jobs/new")
def create(request: Request, account: JobWriterPage, form: CheckedFormDep, session: SessionDep,
           matcher: MatcherDep, follower: FollowerDep):
    values = _values(form)
    job_id = f"{account.employer_id or 'JOB'}-{secrets.token_hex(4)}"
    created = create_job(JobCreate(job_id=job_id, **values), account, session, matcher, follower, request, Response())
    return redirect(request, f"/employer?saved={created.job_id}")


@router.get("/jobs/{job_id}/edit")
def edit_job(request: Request, job_id: str, account: JobWriterPage, session: SessionDep):
    job = read_job(job_id, account, session)
    if account.role == "employer" and job.employer_id != account.employer_id:
        raise Problem(403, "employers may change only their own jobs")
    return page(request, "employer/job_form.html", {"title": f"修改岗位 · {job.title} · 用人单位", "fields": FIELDS,
                                                    "job": job.model_dump(),
                                                    "action": f"/employer/jobs/{job_id}/edit"}, account=account)


@router.post("/jobs/{job_id}/edit")
def save_job(request: Request, job_id: str, account: JobWriterPage, form: CheckedFormDep, session: SessionDep,
             matcher: MatcherDep, follower: FollowerDep):
    update_job(job_id, JobUpdate(**_values(form)), account, session, matcher, follower)
    return redirect(request, f"/employer?saved={job_id}")


@router.get("/reading", response_class=PlainTextResponse)
def field_reading(account: JobWriterPage, kind: Annotated[str, Query(max_length=20)],
                  text: Annotated[str, Query(max_length=200)] = ""):
    """The partial the form fetches while one types: one line of plain Chinese."""
    if kind not in READABLE_KINDS:
        raise Problem(404, f"no reading for {kind!r}")
    return reading(kind, normalize_one(kind, text, account, top=3)) if text.strip() else ""


def _values(form: CheckedFormDep) -> dict[str, str | None]:
    return {name: (str(form.get(name, "")).strip() or None) for name in FIELDS}
