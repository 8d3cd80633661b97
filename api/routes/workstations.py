"""Outstation talent workstations: readable by every signed-in role, maintained by admins."""
from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from api.auth import AccountDep, AdminDep
from api.deps import SessionDep
from api.filters import FiltersDep
from api.problems import Problem, invalid, not_found
from api.responses import set_location
from api.schemas.common import CONFLICT_RESPONSES, PROBLEM_RESPONSES, LimitQuery, OffsetQuery, Page
from api.schemas.organisations import WorkstationCreate, WorkstationPublic, WorkstationUpdate
from matcher.store.listing import list_records
from matcher.store.records import RecordConflict, RecordInvalid, create_record, delete_record, get_record, update_record

router = APIRouter(prefix="/workstations", tags=["workstations"], responses=PROBLEM_RESPONSES)
ITEM = "/{workstation_id}"


@router.get("", response_model=Page[WorkstationPublic])
def list_workstations(account: AccountDep, session: SessionDep, filters: FiltersDep,
                      offset: OffsetQuery = 0, limit: LimitQuery = 50):
    page = list_records(session, "workstations", filters.for_jobs(), offset=offset, limit=limit)
    return Page[WorkstationPublic](items=[WorkstationPublic(**r) for r in page.items], total=page.total,
                                   offset=page.offset, limit=page.limit)


@router.post("", response_model=WorkstationPublic, status_code=status.HTTP_201_CREATED, responses=CONFLICT_RESPONSES)
def create_workstation(body: WorkstationCreate, account: AdminDep, session: SessionDep, request: Request,
                       response: Response):
    try:
        record = create_record(session, "workstations", body.model_dump(exclude_unset=True))
    except RecordConflict as conflict:
        raise Problem(409, str(conflict)) from None
    except RecordInvalid as error:
        raise invalid(error.issues) from None
    set_location(request, response, record["workstation_id"])
    session.commit()
    return WorkstationPublic(**record)


@router.get(ITEM, response_model=WorkstationPublic)
def read_workstation(workstation_id: str, account: AccountDep, session: SessionDep):
    record = get_record(session, "workstations", workstation_id)
    if record is None:
        raise not_found("workstation", workstation_id)
    return WorkstationPublic(**record)


@router.patch(ITEM, response_model=WorkstationPublic)
def update_workstation(workstation_id: str, body: WorkstationUpdate, account: AdminDep, session: SessionDep):
    try:
        record = update_record(session, "workstations", workstation_id, body.model_dump(exclude_unset=True))
    except KeyError:
        raise not_found("workstation", workstation_id) from None
    except RecordInvalid as error:
        raise invalid(error.issues) from None
    session.commit()
    return WorkstationPublic(**record)


@router.delete(ITEM, status_code=status.HTTP_204_NO_CONTENT, responses=CONFLICT_RESPONSES)
def delete_workstation(workstation_id: str, account: AdminDep, session: SessionDep) -> None:
    """Refused (409) while talents or staff users still belong to the workstation."""
    try:
        delete_record(session, "workstations", workstation_id)
    except KeyError:
        raise not_found("workstation", workstation_id) from None
    except RecordConflict as conflict:
        raise Problem(409, str(conflict)) from None
    session.commit()
