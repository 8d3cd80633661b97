"""/admin: users and roles (the JSON routes' own functions), passwords, catalogue look-ups, a record's audit trail."""
from __future__ import annotations

from fastapi import APIRouter, Request

from api.auth import allow, page_account
from api.deps import SessionDep
from api.problems import Problem
from api.routes.catalogs import normalize_one
from api.routes.users import add_user, users
from api.schemas.users import UserCreate
from api.web.pages import CheckedFormDep, page, redirect
from api.web.readings import READABLE_KINDS, reading
from matcher.normalize.values import NORMALISERS
from matcher.store.accounts import ROLES, AccountError
from matcher.store.audit import access_history
from matcher.store.passwords import set_password

router = APIRouter(prefix="/admin", include_in_schema=False)

AdminPage = allow("admin", source=page_account)
"""The role of ``/users``."""


@router.get("/users")
def user_list(request: Request, account: AdminPage, session: SessionDep, done: str | None = None):
    return page(request, "admin/users.html", {"title": "用户与角色 · 管理", "users": users(account, session),
                                              "roles": ROLES, "done": done}, account=account)


@router.post("/users")
def user_add(request: Request, account: AdminPage, session: SessionDep, form: CheckedFormDep):
    """``POST /users``, then the password when one is given; the API key is shown once, as the CLI does."""
    fields = {name: (str(form.get(name, "")).strip() or None)
              for name in ("name", "role", "workstation_id", "employer_id", "talent_id")}
    created = add_user(UserCreate(**fields), account, session)
    password = str(form.get("password", ""))
    if password:
        _set_password(session, created.name, password)
    return page(request, "admin/users.html", {"title": "用户与角色 · 管理", "users": users(account, session),
                                              "roles": ROLES, "created": created}, account=account)


@router.post("/users/password")
def user_password(request: Request, account: AdminPage, session: SessionDep, form: CheckedFormDep):
    name = str(form.get("name", ""))
    _set_password(session, name, str(form.get("password", "")))
    return redirect(request, "/admin/users?done=password")


@router.get("/audit")
def audit(request: Request, account: AdminPage, session: SessionDep, kind: str = "talent", subject: str = ""):
    """Who read or exported one record's personal data, newest first."""
    entries = access_history(session, kind, subject.strip()) if subject.strip() else []
    return page(request, "admin/audit.html", {"title": "审计日志 · 管理", "entries": entries, "kind": kind,
                                              "subject": subject}, account=account)


@router.get("/catalogs")
def catalogue_lookup(request: Request, account: AdminPage, kind: str = "region", text: str = ""):
    """How a value is read (``GET /catalogs/normalize/{kind}``): 周口商水 → 河南省周口市商水县, codes and all."""
    if kind not in NORMALISERS:
        raise Problem(404, f"没有这种目录：{kind}")
    result = normalize_one(kind, text, account, top=3) if text.strip() else None
    words = reading(kind, result) if result is not None and kind in READABLE_KINDS else None
    return page(request, "admin/catalogs.html", {"title": "目录查询 · 管理", "kinds": sorted(NORMALISERS),
                                                 "kind": kind, "text": text, "result": result, "words": words},
                account=account)


def _set_password(session: SessionDep, name: str, password: str) -> None:
    try:
        set_password(session, name, password)
    except AccountError as error:
        raise Problem(422, str(error)) from None
    session.commit()
