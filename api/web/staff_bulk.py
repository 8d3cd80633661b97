"""/staff/bulk: pick talents and positions, start an event's bulk match, watch its progress, download the files.

Every step calls the JSON route beside it (``/bulk-matches``): the same role checks, pool rules, audit of
workbook downloads; the lists to pick from are ``GET /talents`` and ``GET /jobs`` as this person sees them.
"""
from __future__ import annotations

from fastapi import APIRouter, Request, Response

from api.auth import allow, page_account
from api.deps import MatcherDep, SessionDep
from api.filters import FilterParams
from api.routes.bulk_matches import BulkRunsDep, create_bulk_match, download_bulk_match_file, read_bulk_match
from api.routes.jobs import list_jobs
from api.routes.talents import list_talents
from api.schemas.bulk_matches import BulkMatchCreate
from api.web.pages import CheckedFormDep, page, redirect

router = APIRouter(prefix="/staff/bulk", include_in_schema=False)

StaffPage = allow("staff", "admin", source=page_account)
"""The roles of ``/bulk-matches``."""
PICK_LIMIT = 200
"""Talents and positions listed to pick from; more than that: leave all unticked to take every one."""
RUN_STATUS = {"queued": "排队中", "running": "匹配中", "done": "已完成", "failed": "失败"}
FILE_LABELS = {"matches.xlsx": "匹配结果工作簿（Excel）", "report.html": "活动报告（网页，可打印）",
               "report.pdf": "活动报告（PDF）", "schedule.csv": "各展位面试时间表（CSV）",
               "talent_top.csv": "每人推荐岗位（CSV）", "job_shortlists.csv": "每个岗位的候选人（CSV）",
               "summary.json": "汇总（JSON）"}


@router.get("")
def bulk_form(request: Request, account: StaffPage, session: SessionDep, runs: BulkRunsDep, run: str | None = None):
    """The form; with ``?run=ID`` (where starting a run lands) that run's progress and downloads above it."""
    shown = read_bulk_match(run, account, runs, request) if run else None
    talents = list_talents(account, session, FilterParams(), offset=0, limit=PICK_LIMIT)
    jobs = list_jobs(account, session, FilterParams(), employer_id=None, offset=0, limit=PICK_LIMIT)
    return page(request, "staff/bulk.html", {"title": "批量匹配进度 · 工作站" if shown else "批量匹配 · 工作站",
                                             "talents": talents, "jobs": jobs, "run": shown, "labels": FILE_LABELS,
                                             "runs": runs.visible(account)[:10], "run_status": RUN_STATUS},
                account=account)


@router.post("")
def bulk_start(request: Request, account: StaffPage, form: CheckedFormDep, session: SessionDep,
               matcher: MatcherDep, runs: BulkRunsDep):
    """Nothing ticked means every one: the workstation's whole pool, every position."""
    talent_ids = [str(t) for t in form.getlist("talent_ids") if t] or None
    job_ids = [str(j) for j in form.getlist("job_ids") if j] or None
    body = BulkMatchCreate(talent_ids=talent_ids, job_ids=job_ids)
    accepted = create_bulk_match(body, account, session, matcher, runs, request, Response())
    return redirect(request, f"/staff/bulk?run={accepted.id}")


@router.get("/{run_id}/progress")
def bulk_progress(request: Request, run_id: str, account: StaffPage, runs: BulkRunsDep):
    """The partial the run page polls: the progress bar, then the download links."""
    run = read_bulk_match(run_id, account, runs, request)
    return page(request, "partials/bulk_progress.html", {"run": run, "labels": FILE_LABELS}, account=account)


@router.get("/{run_id}/files/{name}")
def bulk_file(run_id: str, name: str, account: StaffPage, runs: BulkRunsDep, session: SessionDep):
    return download_bulk_match_file(run_id, name, account, runs, session)

