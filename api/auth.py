"""Who is calling: an API key in ``X-API-Key`` or as an OAuth2 bearer token, and role checks.

A role that may never use an endpoint gets 403 before any record is looked up, so the refusal says
nothing about which records exist; record-level refusals are 404s (see the routes).
"""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from api.deps import SessionDep
from api.problems import Problem
from matcher.store.accounts import Account, authenticate

api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="the key `matcher users add` printed")
bearer_token = HTTPBearer(auto_error=False, description="the same API key, sent as `Authorization: Bearer <key>`")


async def current_account(session: SessionDep,
                    api_key: Annotated[str | None, Security(api_key_header)] = None,
                    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(bearer_token)] = None) -> Account:
    """The caller's account: one primary-key read and one hash, cheap enough for the event loop."""
    key = api_key or (bearer.credentials if bearer else None)
    if not key:
        raise Problem(401, "send an API key in the X-API-Key header or as 'Authorization: Bearer <key>'",
                      headers={"WWW-Authenticate": "Bearer"})
    account = authenticate(session, key)
    if account is None:
        raise Problem(401, "the API key is not valid", headers={"WWW-Authenticate": "Bearer"})
    return account


AccountDep = Annotated[Account, Depends(current_account)]


def allow(*roles: str):  # noqa: ANN201 - an Annotated dependency type
    """``Annotated[Account, ...]`` that refuses (403) every role not listed."""
    # async: a plain comparison, so FastAPI runs it on the event loop instead of a thread-pool hop per request
    async def check(account: AccountDep) -> Account:
        if account.role not in roles:
            raise Problem(403, f"the {account.role} role may not use this endpoint (allowed: {', '.join(roles)})")
        return account
    return Annotated[Account, Depends(check)]


AdminDep = allow("admin")
StaffOrAdminDep = allow("staff", "admin")
