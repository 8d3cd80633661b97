"""Employers: readable by every signed-in role; created and deleted by admins, edited by themselves too."""
from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from api.auth import AccountDep, AdminDep, allow
from api.deps import SessionDep
from api.filters import FiltersDep
from api.problems import Problem, invalid, not_found
from api.responses import set_location
from api.schemas.common import CONFLICT_RESPONSES, PROBLEM_RESPONSES, LimitQuery, OffsetQuery, Page
from api.schemas.organisations import EmployerCreate, EmployerPublic, EmployerUpdate
from matcher.store.listing import list_records
from matcher.store.records import RecordConflict, RecordInvalid, create_record, delete_record, get_record, update_record

router = APIRouter(prefix="/employers", tags=["employers"], responses=PROBLEM_RESPONSES)
ITEM = "/{employer_id}"
EmployerOrAdminDep = allow("employer", "admin")


@router.get("", response_model=Page[EmployerPublic])
def list_employers(account: AccountDep, session: SessionDep, filters: FiltersDep,
                   offset: OffsetQuery = 0, limit: LimitQuery = 50):
    page = list_records(session, "employers", filters.for_jobs(), offset=offset, limit=limit)
    return Page[EmployerPublic](items=[EmployerPublic(**r) for r in page.items], total=page.total,
                                offset=page.offset, limit=page.limit)


@router.post("", response_model=EmployerPublic, status_code=status.HTTP_201_CREATED, responses=CONFLICT_RESPONSES)
def create_employer(body: EmployerCreate, account: AdminDep, session: SessionDep, request: Request,
                    response: Response):
    try:
        record = create_record(session, "employers", body.model_dump(exclude_unset=True))
    except RecordConflict as conflict:
        raise Problem(409, str(conflict)) from None
    except RecordInvalid as error:
        raise invalid(error.issues) from None
    set_location(request, response, record["employer_id"])
    session.commit()
    return EmployerPublic(**record)


@router.get(ITEM, response_model=EmployerPublic)
def read_employer(employer_id: str, account: AccountDep, session: SessionDep):
    record = get_record(session, "employers", employer_id)
    if record is None:
        raise not_found("employer", employer_id)
    return EmployerPublic(**record)


@router.patch(ITEM, response_model=EmployerPublic, responses=CONFLICT_RESPONSES)
def update_employer(employer_id: str, body: EmployerUpdate, account: EmployerOrAdminDep,
                    session: SessionDep):
    changes = body.model_dump(exclude_unset=True)
    if account.role == "employer" and account.employer_id != employer_id:
        raise Problem(403, "employers may edit only their own record")
    if account.role == "employer" and "name" in changes:
        # Catalogues name employers; a self-chosen name could claim another's positions.
        raise Problem(403, "an employer's name is changed by an administrator (企业名称由管理员修改)")
    try:
        record = update_record(session, "employers", employer_id, changes)
    except KeyError:
        raise not_found("employer", employer_id) from None
    except RecordInvalid as error:
        raise invalid(error.issues) from None
    except RecordConflict as conflict:
        raise Problem(409, str(conflict)) from None
    session.commit()
    return EmployerPublic(**record)


@router.delete(ITEM, status_code=status.HTTP_204_NO_CONTENT, responses=CONFLICT_RESPONSES)
def delete_employer(employer_id: str, account: AdminDep, session: SessionDep) -> None:
    """Refused (409) while jobs or users still belong to the employer."""
    try:
        delete_record(session, "employers", employer_id)
    except KeyError:
        raise not_found("employer", employer_id) from None
    except RecordConflict as conflict:
        raise Problem(409, str(conflict)) from None
    session.commit()
