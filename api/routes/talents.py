"""Talents: create, read, update, delete, and paged lists, each as the caller's role allows."""
from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from api.auth import AccountDep, allow
from api.deps import FollowerDep, MatcherDep, SessionDep
from api.filters import FiltersDep
from api.problems import Problem
from api.responses import set_location
from api.schemas.common import CONFLICT_RESPONSES, PROBLEM_RESPONSES, LimitQuery, OffsetQuery, Page
from api.schemas.talents import TalentCreate, TalentPublic, TalentUpdate
from api.views import audit_export, audit_reads, talent_public, visible_talent
from matcher.privacy import talent_view
from matcher.store.accounts import Account
from matcher.store.listing import TalentScope, known_to_employer, list_records
from matcher.store.records import RecordConflict, create_record, delete_record, get_record, update_record

router = APIRouter(prefix="/talents", tags=["talents"], responses=PROBLEM_RESPONSES)

TalentWriterDep = allow("seeker", "staff", "admin")
TalentCreatorDep = allow("staff", "admin")
ITEM = "/{talent_id}"


@router.get("", response_model=Page[TalentPublic])
def list_talents(account: AccountDep, session: SessionDep, filters: FiltersDep,
                 offset: OffsetQuery = 0, limit: LimitQuery = 50):
    """Talents the caller may see: seekers themselves, staff their workstation, employers those known to them."""
    page = list_records(session, "talents", filters.for_talents(), certificate=filters.certificate,
                        talent_scope=_scope(account), offset=offset, limit=limit)
    known = (known_to_employer(session, account.employer_id, [r["talent_id"] for r in page.items])
              if account.role == "employer" and account.employer_id else set())
    items = [talent_public(r, talent_view(account, r, known_to_employer=r["talent_id"] in known))
             for r in page.items]
    audit_export(session, account, [item.talent_id for item in items], via="GET /talents")
    session.commit()
    return Page[TalentPublic](items=items, total=page.total, offset=page.offset, limit=page.limit)


def _scope(account: Account) -> TalentScope:
    if account.role == "seeker":
        return TalentScope(talent_id=account.talent_id or "")
    if account.role == "staff":
        return TalentScope(workstation_id=account.workstation_id or "")
    if account.role == "employer":
        return TalentScope(visible_to_employer=account.employer_id or "")
    return TalentScope()


@router.post("", response_model=TalentPublic, status_code=status.HTTP_201_CREATED, responses=CONFLICT_RESPONSES)
def create_talent(body: TalentCreate, account: TalentCreatorDep, session: SessionDep, matcher: MatcherDep,
                  follower: FollowerDep, request: Request, response: Response):
    """Staff register talents into their own workstation; admins anywhere."""
    raw = body.model_dump(exclude={"consented_employer_ids"}, exclude_unset=True)
    direct: dict[str, object] = {"consented_employer_ids": body.consented_employer_ids}
    if account.role == "staff":
        if raw.get("workstation") not in (None, account.workstation_id):
            raise Problem(403, "staff register talents into their own workstation only")
        raw["workstation"] = direct["workstation_id"] = account.workstation_id
    try:
        record = create_record(session, "talents", raw, direct)
    except RecordConflict:
        # The id is taken; a talent the caller may not see answers as a missing one would: no probing for ids.
        taken = str(raw.get("talent_id", ""))
        visible_talent(session, account, get_record(session, "talents", taken), taken)
        raise
    set_location(request, response, record["talent_id"])
    session.commit()
    follower.catch_up(matcher)  # applies this write (and any other worker's) to the indexes
    return talent_public(record, "full")


@router.get(ITEM, response_model=TalentPublic)
def read_talent(talent_id: str, account: AccountDep, session: SessionDep):
    record = get_record(session, "talents", talent_id)
    view = visible_talent(session, account, record, talent_id)
    audit_reads(session, account, {talent_id: view}, action="read", via="GET /talents/{talent_id}")
    session.commit()
    return talent_public(record, view)  # type: ignore[arg-type]


@router.patch(ITEM, response_model=TalentPublic)
def update_talent(talent_id: str, body: TalentUpdate, account: TalentWriterDep, session: SessionDep,
                  matcher: MatcherDep, follower: FollowerDep):
    """Seekers edit their own profile (consent included), staff their workstation's talents, admins any."""
    visible_talent(session, account, get_record(session, "talents", talent_id), talent_id)
    changes = body.model_dump(exclude={"consented_employer_ids"}, exclude_unset=True)
    direct: dict[str, object] = {}
    if body.consented_employer_ids is not None:
        direct["consented_employer_ids"] = body.consented_employer_ids
    if account.role == "staff" and changes.get("workstation", account.workstation_id) != account.workstation_id:
        raise Problem(403, "staff cannot move a talent to another workstation; ask an admin")
    record = update_record(session, "talents", talent_id, changes, direct)
    session.commit()
    follower.catch_up(matcher)
    return talent_public(record, "full")


@router.delete(ITEM, status_code=status.HTTP_204_NO_CONTENT)
def delete_talent(talent_id: str, account: TalentWriterDep, session: SessionDep, matcher: MatcherDep,
                  follower: FollowerDep) -> None:
    """Removes the profile and its outcome events; a seeker's account stays, unbound."""
    visible_talent(session, account, get_record(session, "talents", talent_id), talent_id)
    delete_record(session, "talents", talent_id)
    session.commit()
    follower.catch_up(matcher)
