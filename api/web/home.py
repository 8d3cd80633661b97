"""The front page, signing in and out, and the API docs served from files shipped in the package."""
from __future__ import annotations

import math
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from starlette.concurrency import run_in_threadpool

from api.deps import SessionDep
from api.web.pages import CheckedFormDep, page, redirect
from api.web.sessions import web_session
from api.web.throttle import client_address
from matcher.store.accounts import account_by_id
from matcher.store.models import utcnow
from matcher.store.passwords import SignIn, sign_in

router = APIRouter(include_in_schema=False)

SWAGGER_ASSETS = "/static/swagger"
HOME_OF_ROLE = {"seeker": "/me", "employer": "/employer", "staff": "/staff/bulk", "admin": "/admin/users"}


@router.get("/")
def home(request: Request, session: SessionDep):
    """Links to the three groups: job seekers (the fair form), enterprises, workstation staff."""
    user_id = web_session(request).user_id
    account = account_by_id(session, user_id) if user_id is not None else None
    return page(request, "home.html", {"title": "首页"}, account=account)


@router.get("/login")
def login_form(request: Request, next: str = "/"):  # noqa: A002 - the query parameter's name
    return page(request, "login.html", {"title": "登录", "next": _local(next)})


@router.post("/login")
async def login(request: Request, form: CheckedFormDep, session: SessionDep):
    """Name and password; five failures in a row lock the name from this address for a while, and failures on
    a name from anywhere make its next try wait (matcher.store.passwords, counted in the database)."""
    username, password = str(form.get("username", "")), str(form.get("password", ""))
    target = _local(str(form.get("next", "/")))
    outcome = await run_in_threadpool(_sign_in, session, username, password,  # argon2 is deliberately slow
                                      client_address(request))
    if outcome.account is None:
        return page(request, "login.html", {"title": "登录", "next": target, "error": _refusal(outcome),
                                            "username": username}, status_code=401)
    web_session(request).sign_in(outcome.account.id)
    return redirect(request, target if target != "/" else HOME_OF_ROLE.get(outcome.account.role, "/"))


@router.post("/logout")
def logout(request: Request, form: CheckedFormDep):
    web_session(request).sign_out()
    return redirect(request, "/")


@router.get("/docs")
def docs(request: Request):
    """Swagger UI from files shipped in the package (api/static/swagger): /docs works with no internet."""
    return get_swagger_ui_html(openapi_url=request.app.openapi_url, title="matcher API 文档",
                               swagger_js_url=f"{SWAGGER_ASSETS}/swagger-ui-bundle.js",
                               swagger_css_url=f"{SWAGGER_ASSETS}/swagger-ui.css",
                               swagger_favicon_url=f"{SWAGGER_ASSETS}/favicon-32x32.png",
                               swagger_ui_parameters={"validatorUrl": None})


def _sign_in(session, username: str, password: str, address: str):  # noqa: ANN001, ANN202
    outcome = sign_in(session, username, password, address=address)
    session.commit()  # the failure counts, or their reset
    return outcome


def _refusal(outcome: SignIn) -> str:
    if outcome.locked_until is not None:
        minutes = math.ceil((outcome.locked_until - utcnow()).total_seconds() / 60)
        return f"尝试次数过多，这个账号在本设备上已暂时锁定，请 {max(minutes, 1)} 分钟后再试"
    if outcome.wait_until is not None:
        seconds = math.ceil((outcome.wait_until - utcnow()).total_seconds())
        return f"这个账号最近多次登录失败，为安全起见请 {max(seconds, 1)} 秒后再试"
    return "用户名或密码不正确"


def _local(target: str) -> str:
    """Only a path on this site: ``next`` must never send a person elsewhere after signing in."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target
