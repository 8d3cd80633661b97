"""One router for a plain organisation resource (employers, workstations): list, create, read, update, delete.

Both are stored records with no index behind them, readable by every signed-in role and created and deleted
by admins; what differs (who may update, what a delete is refused for) is passed in. Domain errors propagate
to the problem handlers (``api.problems``).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response, status
from pydantic import BaseModel

from api.auth import AccountDep, AdminDep
from api.deps import SessionDep
from api.filters import FiltersDep
from api.problems import not_found
from api.responses import set_location
from api.schemas.common import CONFLICT_RESPONSES, PROBLEM_RESPONSES, LimitQuery, OffsetQuery, Page
from matcher.store.accounts import Account
from matcher.store.listing import list_records
from matcher.store.records import create_record, delete_record, get_record, key_of, singular, update_record

UpdateCheck = Callable[[Account, str, Mapping[str, object]], None]


@dataclass(frozen=True)
class OrganisationResource:
    """What one organisation resource is: its record kind, its three schemas and how it differs."""

    kind: str
    """The record kind (``matcher.store.records.RECORD_KINDS``): also the path and the tag."""
    create: type[BaseModel]
    update: type[BaseModel]
    public: type[BaseModel]
    updater: Any = AdminDep
    """The ``Annotated[Account, ...]`` dependency of who may update (``api.auth.allow``)."""
    check_update: UpdateCheck | None = None
    """Raises a Problem when the account may not make these changes to this record."""
    update_conflicts: bool = False
    """Whether an update can conflict (409 documented)."""
    delete_refusal: str = ""
    """The DELETE route's description: what the delete is refused (409) for."""


def organisation_router(resource: OrganisationResource) -> APIRouter:
    """The five routes of ``resource`` under ``/<kind>``, named ``list_<kind>``, ``create_<one>``, and so on."""
    kind, one, Public = resource.kind, singular(resource.kind), resource.public  # noqa: N806
    key_name = key_of(kind)
    Key = Annotated[str, Path(alias=key_name)]  # noqa: N806
    item = "/{" + key_name + "}"
    router = APIRouter(prefix=f"/{kind}", tags=[kind], responses=PROBLEM_RESPONSES)

    def list_all(account: AccountDep, session: SessionDep, filters: FiltersDep,
                 offset: OffsetQuery = 0, limit: LimitQuery = 50):
        page = list_records(session, kind, filters.for_jobs(), offset=offset, limit=limit)
        return Page[Public](items=[Public(**r) for r in page.items], total=page.total,
                            offset=page.offset, limit=page.limit)

    def create(body: BaseModel, account: AdminDep, session: SessionDep, request: Request, response: Response):
        record = create_record(session, kind, body.model_dump(exclude_unset=True))
        set_location(request, response, record[key_name])
        session.commit()
        return Public(**record)

    def read(key: str, account: AccountDep, session: SessionDep):
        record = get_record(session, kind, key)
        if record is None:
            raise not_found(one, key)
        return Public(**record)

    def update(key: str, body: BaseModel, account: Account, session: SessionDep):
        changes = body.model_dump(exclude_unset=True)
        if resource.check_update is not None:
            resource.check_update(account, key, changes)
        record = update_record(session, kind, key, changes)
        session.commit()
        return Public(**record)

    def delete(key: str, account: AdminDep, session: SessionDep) -> None:
        delete_record(session, kind, key)
        session.commit()

    # Set as objects: string annotations would be resolved in this module's globals, where these are not.
    create.__annotations__["body"] = resource.create
    update.__annotations__["body"] = resource.update
    update.__annotations__["account"] = resource.updater
    for endpoint in (read, update, delete):
        endpoint.__annotations__["key"] = Key

    router.add_api_route("", list_all, methods=["GET"], name=f"list_{kind}", response_model=Page[Public])
    router.add_api_route("", create, methods=["POST"], name=f"create_{one}", response_model=Public,
                         status_code=status.HTTP_201_CREATED, responses=CONFLICT_RESPONSES)
    router.add_api_route(item, read, methods=["GET"], name=f"read_{one}", response_model=Public)
    router.add_api_route(item, update, methods=["PATCH"], name=f"update_{one}", response_model=Public,
                         responses=CONFLICT_RESPONSES if resource.update_conflicts else None)
    router.add_api_route(item, delete, methods=["DELETE"], name=f"delete_{one}", description=resource.delete_refusal,
                         status_code=status.HTTP_204_NO_CONTENT, responses=CONFLICT_RESPONSES)
    return router
