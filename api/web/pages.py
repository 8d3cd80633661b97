"""Rendering a page: the templates, the signed-in person and the CSRF token in every page, the session cookie."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData

from api.problems import Problem
from api.web.sessions import CSRF_FIELD, store_session, web_session
from matcher.store.accounts import Account

TEMPLATES = Jinja2Templates(directory=Path(__file__).resolve().parent.parent / "templates")
ROLE_NAMES = {"seeker": "求职者", "employer": "用人单位", "staff": "工作站人员", "admin": "管理员"}
TEMPLATES.env.globals["ROLE_NAMES"] = ROLE_NAMES


def page(request: Request, template: str, context: dict[str, Any] | None = None, *,
         account: Account | None = None, status_code: int = 200) -> HTMLResponse:
    """``template`` with the session's CSRF token and the signed-in account (for the header) in its context."""
    session = web_session(request)
    response = TEMPLATES.TemplateResponse(request, template, {
        "csrf": session.csrf, "csrf_field": CSRF_FIELD, "account": account, **(context or {})},
        status_code=status_code)
    store_session(request, response)
    return response


def redirect(request: Request, url: str) -> Response:
    """303 See Other: after a form, the browser fetches ``url`` with GET (reloading does not post again)."""
    response = RedirectResponse(url, status_code=303)
    store_session(request, response)
    return response


async def checked_form(request: Request) -> FormData:
    """The posted form, once its CSRF token matches the session's (else 403: the post came from elsewhere)."""
    form = await request.form()
    token = form.get(CSRF_FIELD)
    if not web_session(request).csrf_matches(token if isinstance(token, str) else None):
        raise Problem(403, "表单已过期或来源不明，请刷新页面后重试 (the form's CSRF token does not match)")
    return form


CheckedFormDep = Annotated[FormData, Depends(checked_form)]
