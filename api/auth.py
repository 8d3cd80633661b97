"""Who is calling: an API key in ``X-API-Key`` or as an OAuth2 bearer token (machines), or a signed
session cookie (people on the web pages, see api.web.sessions), and role checks shared by both.

A role that may never use an endpoint gets 403 before any record is looked up, so the refusal says
nothing about which records exist; record-level refusals are 404s (see the routes).
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from api.deps import SessionDep
from api.problems import Problem
from api.web.sessions import web_session
from matcher.store.accounts import Account, account_by_id, authenticate

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


class SignInRequired(Exception):
    """A page needs a signed-in person; answered with a redirect to /login (see api.web.errors)."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


async def page_account(request: Request, session: SessionDep) -> Account:
    """The person signed in to the web pages (the user id their signed session cookie carries)."""
    user_id = web_session(request).user_id
    account = account_by_id(session, user_id) if user_id is not None else None
    if account is None:
        raise SignInRequired(request.url.path)
    return account


PageAccountDep = Annotated[Account, Depends(page_account)]


def allow(*roles: str, source: Callable[..., Awaitable[Account]] = current_account):  # noqa: ANN201
    """``Annotated[Account, ...]`` that refuses (403) every role not listed; ``source`` says who is calling:
    the API key (JSON routes) or the session cookie (pages, with ``source=page_account``)."""
    # async: a plain comparison, so FastAPI runs it on the event loop instead of a thread-pool hop per request
    async def check(account: Account) -> Account:
        if account.role not in roles:
            raise Problem(403, f"the {account.role} role may not use this endpoint (allowed: {', '.join(roles)})")
        return account
    # Set as an object: a string annotation would be resolved in this module's globals, where ``source`` is not.
    check.__annotations__["account"] = Annotated[Account, Depends(source)]
    return Annotated[Account, Depends(check)]


AdminDep = allow("admin")
StaffOrAdminDep = allow("staff", "admin")
