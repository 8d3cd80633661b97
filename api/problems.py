"""Problem-details errors (RFC 9457): every error the API sends is ``application/problem+json``.

Body: type, title, status, detail, instance, and ``errors`` — one entry per unusable field, with its
location, the field name and a message the caller can act on. Detail texts never say whether a record
the caller may not see exists: a hidden record and a missing one get the same 404.

The core's domain errors are mapped here, once: RecordNotFound → 404, RecordConflict and LastAdminError →
409, RecordInvalid and AccountError → 422. Routes let them propagate; on pages they become error pages.
"""
from __future__ import annotations

import logging
import traceback
from collections.abc import Iterable, Sequence
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from matcher.normalize.records import RecordIssue
from matcher.store.accounts import AccountError, LastAdminError
from matcher.store.records import RecordConflict, RecordInvalid, RecordNotFound

log = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "/problems/"
RETRY_AFTER_SECONDS = 2
"""What a 503 asks a client to wait: a write lock outlasting the database's wait is another long write."""
LOCK_MESSAGES = ("database is locked", "database table is locked", "lock timeout", "could not obtain lock",
                 "deadlock detected", "could not serialize access")
"""SQLite's busy errors and PostgreSQL's lock_timeout, deadlock and serialization failures."""


DOMAIN_ERRORS = (RecordNotFound, RecordConflict, RecordInvalid, AccountError)
"""Mapped by :func:`domain_problem`; LastAdminError is an AccountError."""


class Problem(Exception):
    """Raised anywhere in the API to answer with a problem-details response."""

    def __init__(self, status: int, detail: str, *, slug: str | None = None,
                 errors: Sequence[dict[str, object]] = (), headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.detail, self.errors, self.headers = status, detail, list(errors), headers
        self.slug = slug or HTTPStatus(status).phrase.lower().replace(" ", "-")


def not_found(what: str, key: str) -> Problem:
    return Problem(404, f"{what} {key!r} not found")


def forbidden(detail: str) -> Problem:
    return Problem(403, detail)


def issue_errors(issues: Iterable[RecordIssue], location: str = "body") -> list[dict[str, object]]:
    """RecordIssues (the import's own messages; personal values already masked) → field errors."""
    return [{"loc": [location, issue.column], "field": issue.column,
             "message": f"got {issue.value!r}, expected {issue.expected}" if issue.value
             else f"expected {issue.expected}"} for issue in issues]


def invalid(issues: Iterable[RecordIssue], detail: str = "some fields cannot be used") -> Problem:
    return Problem(422, detail, slug="validation-error", errors=issue_errors(issues))


def problem_response(request: Request, problem: Problem) -> JSONResponse:
    body = {"type": PROBLEM_TYPE_BASE + problem.slug, "title": HTTPStatus(problem.status).phrase,
            "status": problem.status, "detail": problem.detail, "instance": request.url.path,
            "errors": problem.errors}
    return JSONResponse(body, status_code=problem.status, media_type=PROBLEM_MEDIA_TYPE, headers=problem.headers)


def domain_problem(error: Exception) -> Problem:
    """The problem a domain error answers with (see the module docstring)."""
    if isinstance(error, RecordNotFound):
        return not_found(error.what, error.key)
    if isinstance(error, RecordInvalid):
        return invalid(error.issues)
    if isinstance(error, RecordConflict | LastAdminError):
        return Problem(409, str(error))
    if isinstance(error, AccountError):
        return Problem(422, str(error), slug="validation-error")
    raise TypeError(f"{type(error).__name__} is not a domain error")


async def _on_problem(request: Request, problem: Problem) -> JSONResponse:
    return problem_response(request, problem)


async def _on_domain_error(request: Request, error: Exception) -> Response:
    """Answered as the Problem it maps to, by whichever Problem handler is installed (JSON or a page)."""
    return await request.app.exception_handlers[Problem](request, domain_problem(error))


async def _on_http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
    detail = error.detail if isinstance(error.detail, str) else HTTPStatus(error.status_code).phrase
    return problem_response(request, Problem(error.status_code, detail, headers=error.headers))


async def _on_validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
    # The offending input is left out: it may be a name or a phone number.
    errors = [{"loc": list(e["loc"]), "field": ".".join(str(p) for p in e["loc"][1:]) or None,
               "message": e["msg"]} for e in error.errors()]
    return problem_response(request, Problem(422, "the request does not match the schema",
                                             slug="validation-error", errors=errors))


async def _on_database_unavailable(request: Request, error: OperationalError) -> JSONResponse:
    """A lock held past the wait, or a database that went away: 503 with Retry-After, never a 500.

    The statement and its parameters are left out of the log (they carry the row's values).
    """
    message = str(error.orig).lower()
    busy = any(text in message for text in LOCK_MESSAGES)
    log.warning("%s on %s %s: %s", type(error.orig).__name__, request.method, _route_path(request),
                "database busy" if busy else "database unavailable")
    detail = ("the database is busy with another write; retry shortly (数据库繁忙，请稍后重试)" if busy
              else "the database is unavailable; retry shortly (数据库暂不可用，请稍后重试)")
    return problem_response(request, Problem(503, detail, headers={"Retry-After": str(RETRY_AFTER_SECONDS)}))


async def _on_unexpected(request: Request, error: Exception) -> JSONResponse:
    # The traceback without the message: a database error's message carries the row's values.
    frames = "".join(traceback.format_tb(error.__traceback__))
    log.error("unhandled %s on %s %s\n%s", type(error).__name__, request.method, _route_path(request), frames)
    return problem_response(request, Problem(500, "an internal error occurred; it has been logged"))


def _route_path(request: Request) -> str:
    route = request.scope.get("route")
    return getattr(route, "path", "unmatched")


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(Problem, _on_problem)
    for domain_error in DOMAIN_ERRORS:
        app.add_exception_handler(domain_error, _on_domain_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(OperationalError, _on_database_unavailable)
    app.add_exception_handler(Exception, _on_unexpected)
