"""Routes over the bulk-run queue (matcher.serving.bulk_runs): create, list, read and download runs."""
from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status
from fastapi.responses import FileResponse
from sqlalchemy.orm import Session

from api.auth import StaffOrAdminDep
from api.deps import MatcherDep, SessionDep
from api.problems import Problem, not_found
from api.schemas.bulk_matches import (
    BulkMatchAccepted,
    BulkMatchCreate,
    BulkMatchLinks,
    BulkMatchPublic,
)
from api.schemas.common import PROBLEM_RESPONSES, Page
from matcher.pipeline import Matcher
from matcher.serving.bulk_runs import CONTACT_FILES, CONTACT_ROLES, OUTPUT_FILES, BulkRuns, audit_workbook
from matcher.serving.run_state import BulkMatchParameters, BulkRunState
from matcher.store.accounts import Account
from matcher.store.records import get_record

log = logging.getLogger(__name__)

ITEM = "/{run_id}"
LISTED_IDS = 50
"""Unusable ids listed one by one in a refusal; the detail counts them all."""

router = APIRouter(prefix="/bulk-matches", tags=["bulk matches"], responses=PROBLEM_RESPONSES)

def get_bulk_runs(request: Request) -> BulkRuns:
    return request.app.state.bulk_runs


BulkRunsDep = Annotated[BulkRuns, Depends(get_bulk_runs)]


@router.post("", response_model=BulkMatchAccepted, status_code=status.HTTP_202_ACCEPTED)
def create_bulk_match(body: BulkMatchCreate, account: StaffOrAdminDep, session: SessionDep, matcher: MatcherDep,
                      runs: BulkRunsDep, request: Request, response: Response):
    """Queue a run over a talent pool; poll the ``self`` link until it is done. Staff run their own
    workstation's talents (姓名 and 联系电话 in the workbook, audited), admins any workstation or every talent.
    Unknown job ids are 422; talent ids outside the pool are 404, hidden and missing ones alike."""
    workstation_id = _workstation(session, account, body.workstation_id)
    talent_ids, pool = _pool(matcher, workstation_id, body.talent_ids)
    parameters = BulkMatchParameters(
        pool=pool, workstation_id=workstation_id, talents=len(talent_ids), job_ids=_event_jobs(matcher, body.job_ids),
        top=body.top, shortlist=body.shortlist, depth=body.depth, formats=body.formats, interviews=body.interviews,
        event=body.event, contacts=account.role in CONTACT_ROLES)
    state = runs.submit(account, parameters, talent_ids)
    links = _links(request, runs, state)
    response.headers["Location"] = links.self
    return BulkMatchAccepted(id=state.id, status="queued", links=links)


@router.get("", response_model=Page[BulkMatchPublic])
def list_bulk_matches(account: StaffOrAdminDep, runs: BulkRunsDep, request: Request,
                      offset: Annotated[int, Query(ge=0)] = 0, limit: Annotated[int, Query(ge=1, le=200)] = 50):
    """The caller's runs, newest first; admins see everyone's."""
    states = runs.visible(account)
    items = [_public(request, runs, s) for s in states[offset:offset + limit]]
    return Page[BulkMatchPublic](items=items, total=len(states), offset=offset, limit=limit)


@router.get(ITEM, response_model=BulkMatchPublic)
def read_bulk_match(run_id: str, account: StaffOrAdminDep, runs: BulkRunsDep, request: Request):
    """Status, progress in batches, parameters; the summary and file links once done, the reason if failed."""
    return _public(request, runs, _visible_run(runs, account, run_id))


@router.get(ITEM + "/files/{name}", response_class=FileResponse,
            responses={200: {"content": {media: {} for media in sorted(set(OUTPUT_FILES.values()))}}})
def download_bulk_match_file(run_id: str, name: str, account: StaffOrAdminDep, runs: BulkRunsDep,
                             session: SessionDep):
    """One output of a finished run, as an attachment; a workbook, booth sheets or slips with contacts are an
    audited export."""
    state = _visible_run(runs, account, run_id)
    path = runs.run_dir(run_id) / name
    if name not in OUTPUT_FILES or state.status != "done" or not path.is_file():
        raise not_found("file", name)
    if name in CONTACT_FILES and state.parameters.contacts:
        audit_workbook(session, run_id, runs.pool(run_id), actor=account.name, role=account.role,
                       via="GET /bulk-matches/{run_id}/files/{name}", file=name)
        session.commit()
    return FileResponse(path, media_type=OUTPUT_FILES[name], filename=name)


def _workstation(session: Session, account: Account, requested: str | None) -> str | None:
    """Staff: their own workstation (another is 403); admins: the one asked for (it must exist), or None."""
    if account.role == "staff":
        if requested not in (None, account.workstation_id):
            raise Problem(403, "staff run bulk matches for their own workstation only")
        return account.workstation_id
    if requested is not None and get_record(session, "workstations", requested) is None:
        raise Problem(422, "the request names an unknown workstation", slug="validation-error", errors=[
            {"loc": ["body", "workstation_id"], "field": "workstation_id", "message": f"no workstation {requested!r}"}])
    return requested


def _pool(matcher: Matcher, workstation_id: str | None, talent_ids: list[str] | None) -> tuple[list[str], str]:
    """The talent ids to rank (the workstation's, every talent, or the subset asked for) and how they were chosen."""
    talents = matcher.talents.frame
    members = talents.index if workstation_id is None else talents.index[talents["workstation_id"] == workstation_id]
    if talent_ids is None:
        if not len(members):
            raise Problem(422, "the pool is empty: no talents to match", slug="validation-error")
        return [str(t) for t in members], "all" if workstation_id is None else f"workstation:{workstation_id}"
    allowed = set(map(str, members))
    # The same answer for a talent of another workstation as for a missing one: no probing for ids.
    outside = [(i, t) for i, t in enumerate(talent_ids) if t not in allowed]
    if outside:
        scope = f" among workstation {workstation_id}'s talents" if workstation_id else ""
        raise Problem(404, f"{len(outside)} talent id(s) not found{scope}", errors=[
            {"loc": ["body", "talent_ids", i], "field": "talent_ids", "message": f"talent {t!r} not found{scope}"}
            for i, t in outside[:LISTED_IDS]])
    return list(dict.fromkeys(talent_ids)), "talent-ids"


def _event_jobs(matcher: Matcher, job_ids: list[str] | None) -> list[str] | None:
    if job_ids is None:
        return None
    unknown = [(i, j) for i, j in enumerate(job_ids) if j not in matcher.jobs.frame.index]
    if unknown:
        raise Problem(422, f"{len(unknown)} job id(s) are not in the catalogue", slug="validation-error", errors=[
            {"loc": ["body", "job_ids", i], "field": "job_ids", "message": f"unknown job {j!r}"}
            for i, j in unknown[:LISTED_IDS]])
    return list(dict.fromkeys(job_ids))


def _visible_run(runs: BulkRuns, account: Account, run_id: str) -> BulkRunState:
    state = runs.get(run_id, account)
    if state is None:
        raise not_found("bulk match", run_id)
    return state


def _public(request: Request, runs: BulkRuns, state: BulkRunState) -> BulkMatchPublic:
    return BulkMatchPublic(**state.model_dump(exclude={"owner_id", "role"}), links=_links(request, runs, state))


def _links(request: Request, runs: BulkRuns, state: BulkRunState) -> BulkMatchLinks:
    files = {}
    if state.status == "done":
        folder = runs.run_dir(state.id)
        files = {name: str(request.app.url_path_for("download_bulk_match_file", run_id=state.id, name=name))
                 for name in OUTPUT_FILES if (folder / name).is_file()}
    return BulkMatchLinks(self=str(request.app.url_path_for("read_bulk_match", run_id=state.id)), files=files)
