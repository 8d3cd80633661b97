"""Job postings: public to every signed-in role; written by admins and by employers for their own jobs."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from sqlalchemy.orm import Session

from api.auth import AccountDep, allow
from api.deps import FollowerDep, MatcherDep, SessionDep
from api.filters import FiltersDep
from api.problems import Problem, not_found
from api.responses import set_location
from api.schemas.common import CONFLICT_RESPONSES, PROBLEM_RESPONSES, LimitQuery, OffsetQuery, Page
from api.schemas.jobs import JobCreate, JobPublic, JobUpdate
from matcher.store.accounts import Account
from matcher.store.listing import list_records
from matcher.store.records import create_record, delete_record, get_record, update_record

router = APIRouter(prefix="/jobs", tags=["jobs"], responses=PROBLEM_RESPONSES)

JobWriterDep = allow("employer", "admin")
ITEM = "/{job_id}"


@router.get("", response_model=Page[JobPublic])
def list_jobs(account: AccountDep, session: SessionDep, filters: FiltersDep,
              employer_id: Annotated[str | None, Query(description="only this employer's jobs")] = None,
              offset: OffsetQuery = 0, limit: LimitQuery = 50):
    """Jobs; ``education`` keeps those asking for no more than that level."""
    if filters.workstations or filters.willing_to_return is not None:
        raise Problem(422, "workstation and willing_to_return filter talents, not jobs", slug="validation-error")
    page = list_records(session, "jobs", filters.for_jobs(), certificate=filters.certificate,
                        employer_id=employer_id, offset=offset, limit=limit)
    return Page[JobPublic](items=[JobPublic(**r) for r in page.items], total=page.total, offset=page.offset,
                           limit=page.limit)


@router.post("", response_model=JobPublic, status_code=status.HTTP_201_CREATED, responses=CONFLICT_RESPONSES)
def create_job(body: JobCreate, account: JobWriterDep, session: SessionDep, matcher: MatcherDep,
               follower: FollowerDep, request: Request, response: Response):
    """Employers post under their own name; admins may name any employer (by ``employer_id`` or name)."""
    raw = body.model_dump(exclude={"employer_id"}, exclude_unset=True)
    direct = _employer_link(session, account, raw, body.employer_id)
    if not raw.get("employer"):
        raise Problem(422, "a job needs an employer", slug="validation-error",
                      errors=[{"loc": ["body", "employer"], "field": "employer",
                               "message": "expected the employer's name or employer_id"}])
    record = create_record(session, "jobs", raw, direct)
    set_location(request, response, record["job_id"])
    session.commit()
    follower.catch_up(matcher)  # applies this write (and any other worker's) to the indexes
    return JobPublic(**record)


def _employer_link(session: Session, account: Account, raw: dict, employer_id: str | None) -> dict[str, object]:
    """The employer_id to store, and the employer name filled in from it."""
    if account.role == "employer":
        if employer_id not in (None, account.employer_id):
            raise Problem(403, "employers post jobs only under their own employer_id")
        employer_id = account.employer_id
    if employer_id is None:
        return {}
    employer = get_record(session, "employers", employer_id)
    if employer is None:
        raise Problem(422, "unknown employer", slug="validation-error",
                      errors=[{"loc": ["body", "employer_id"], "field": "employer_id",
                               "message": f"got {employer_id!r}, expected the employer_id of an existing employer"}])
    raw["employer"] = employer["name"]
    return {"employer_id": employer_id}


@router.get(ITEM, response_model=JobPublic)
def read_job(job_id: str, account: AccountDep, session: SessionDep):
    return JobPublic(**_job(session, job_id))


@router.patch(ITEM, response_model=JobPublic)
def update_job(job_id: str, body: JobUpdate, account: JobWriterDep, session: SessionDep, matcher: MatcherDep,
               follower: FollowerDep):
    job = _job(session, job_id)
    _own_job(account, job)
    changes = body.model_dump(exclude={"employer_id"}, exclude_unset=True)
    if account.role == "employer" or "employer_id" in body.model_fields_set:
        direct = _employer_link(session, account, changes, body.employer_id)
    elif "employer" not in changes and job["employer_id"]:
        direct = {"employer_id": job["employer_id"]}  # keep the stored link: employer names may repeat
    else:
        direct = {}
    record = update_record(session, "jobs", job_id, changes, direct)
    session.commit()
    follower.catch_up(matcher)
    return JobPublic(**record)


@router.delete(ITEM, status_code=status.HTTP_204_NO_CONTENT)
def delete_job(job_id: str, account: JobWriterDep, session: SessionDep, matcher: MatcherDep,
               follower: FollowerDep) -> None:
    """Removes the posting and its outcome events."""
    _own_job(account, _job(session, job_id))
    delete_record(session, "jobs", job_id)
    session.commit()
    follower.catch_up(matcher)


def _job(session: Session, job_id: str) -> dict:
    record = get_record(session, "jobs", job_id)
    if record is None:
        raise not_found("job", job_id)
    return record


def _own_job(account: Account, job: dict) -> None:
    """Jobs are public, so refusing another employer's job reveals nothing: 403 rather than 404."""
    if account.role == "employer" and job["employer_id"] != account.employer_id:
        raise Problem(403, "employers may change only their own jobs")
