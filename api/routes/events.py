"""Outcome feedback: viewed, applied, interviewed, hired, rejected — stored where ``matcher train`` reads."""
from __future__ import annotations

from datetime import UTC

from fastapi import APIRouter, Response, status
from sqlalchemy.orm import Session

from api.auth import AccountDep
from api.deps import SessionDep
from api.problems import Problem, not_found
from api.schemas.common import PROBLEM_RESPONSES
from api.schemas.events import EventCreate, EventPublic
from api.views import visible_talent
from matcher.store.accounts import Account
from matcher.store.events import record_event
from matcher.store.records import get_record

router = APIRouter(prefix="/events", tags=["events"], responses=PROBLEM_RESPONSES)

SEEKER_KINDS = frozenset({"viewed", "applied"})
"""What a seeker can say about themselves; interviews, hires and rejections are the employer's to record."""


@router.post("", response_model=EventPublic, status_code=status.HTTP_201_CREATED,
             responses={200: {"model": EventPublic, "description": "the same event was already recorded"}})
def post_event(body: EventCreate, account: AccountDep, session: SessionDep, response: Response):
    """Record an outcome (idempotent: the same talent, job, kind and time is stored once; 200 on a repeat).

    Seekers record their own views and applications; employers outcomes on their own jobs for talents
    they know (shown to them as candidates, or already linked to their jobs); staff outcomes of their
    workstation's talents; admins any.
    """
    _check_may_record(session, account, body)
    raw = body.model_dump(exclude_none=True)
    raw.setdefault("source", "api")
    if body.occurred_at is not None and body.occurred_at.tzinfo is not None:
        raw["occurred_at"] = body.occurred_at.astimezone(UTC).replace(tzinfo=None)  # stored as naive UTC
    event, created = record_event(session, raw)
    session.commit()
    if not created:
        response.status_code = status.HTTP_200_OK
    return EventPublic(**event)


def _check_may_record(session: Session, account: Account, body: EventCreate) -> None:
    if account.role == "seeker" and body.kind not in SEEKER_KINDS:
        raise Problem(403, f"seekers record only {' and '.join(sorted(SEEKER_KINDS))} events")
    if account.role == "employer":
        job = get_record(session, "jobs", body.job_id)
        if job is None:
            raise not_found("job", body.job_id)
        if job["employer_id"] != account.employer_id:
            raise Problem(403, "employers record outcomes on their own jobs only")
    if account.role != "admin":
        # The same 404 for a talent the caller may not see as for a missing one: no probing for ids.
        visible_talent(session, account, get_record(session, "talents", body.talent_id), body.talent_id)
