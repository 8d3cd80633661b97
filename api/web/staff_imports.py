"""/staff/imports: upload a register or catalogue, preview it with every error at its cell, confirm.

Confirming runs ``POST /imports/{kind}`` itself (its role check, import, audit entry and index update);
the preview runs the import's checks without writing (api.web.import_preview).
"""
from __future__ import annotations

import secrets
import shutil
import time
from pathlib import Path

from fastapi import APIRouter, Request, Response, UploadFile
from starlette.concurrency import run_in_threadpool

from api.auth import allow, page_account
from api.deps import EngineDep, FollowerDep, MatcherDep, SessionDep, SettingsDep
from api.problems import Problem
from api.routes.imports import _file_name, import_options, upload
from api.web.import_preview import preview_import
from api.web.pages import CheckedFormDep, page
from matcher.store.accounts import Account

router = APIRouter(prefix="/staff/imports", include_in_schema=False)

ImporterPage = allow("admin", "staff", source=page_account)
"""The roles of ``POST /imports/{kind}``."""
KINDS = {  # the kinds of POST /imports/{kind}
   "talents": "人才名册", "jobs": "岗位目录", "employers": "用人单位", "workstations": "工作站", "events": "应聘记录"}
STAFF_KINDS = {"talents": KINDS["talents"]}
"""Staff load their own workstation's register; the rest is an administrator's."""


def _kinds(account: Account) -> dict[str, str]:
    return KINDS if account.role == "admin" else STAFF_KINDS
UPLOADS = "web-uploads"
MEGABYTE = 1024 * 1024
UNCONFIRMED_SECONDS = 24 * 3600
"""An upload neither confirmed nor replaced within a day is removed at the next upload."""


@router.get("")
def import_form(request: Request, account: ImporterPage):
    return page(request, "staff/imports.html", {"title": "导入名册 · 工作站", "kinds": _kinds(account)},
                account=account)


@router.post("")
async def import_preview(request: Request, account: ImporterPage, form: CheckedFormDep, engine: EngineDep,
                         session: SessionDep, settings: SettingsDep):
    """Keep the upload under a random token until it is confirmed, and show the preview."""
    kind, file = str(form.get("kind", "")), form.get("file")
    if kind not in _kinds(account) or not hasattr(file, "filename"):
        raise Problem(422, "请选择文件类型和文件")
    token = secrets.token_hex(16)
    folder = settings.data_dir / UPLOADS / token
    path = folder / _file_name(file.filename, kind)  # type: ignore[union-attr]
    await run_in_threadpool(_save, file, path, int(settings.max_upload_mb * MEGABYTE))  # type: ignore[arg-type]
    options = import_options(settings, session, account, kind, dry_run=True)
    preview = await run_in_threadpool(preview_import, engine, kind, path, options)
    return page(request, "staff/imports.html", {"title": "导入预览 · 工作站", "kinds": _kinds(account), "kind": kind,
                                                "preview": preview, "token": token}, account=account)


@router.post("/confirm")
def import_confirm(request: Request, account: ImporterPage, form: CheckedFormDep, engine: EngineDep,
                   session: SessionDep, matcher: MatcherDep, follower: FollowerDep, settings: SettingsDep):
    kind, token = str(form.get("kind", "")), str(form.get("token", ""))
    folder = settings.data_dir / UPLOADS / token
    files = list(folder.iterdir()) if token.isalnum() and kind in KINDS and folder.is_dir() else []
    if len(files) != 1:
        raise Problem(404, "找不到要导入的文件，请重新上传")
    try:
        with files[0].open("rb") as handle:
            result = upload(kind, UploadFile(handle, filename=files[0].name), account, engine,  # type: ignore[arg-type]
                            session, matcher, follower, settings, request, Response())
        context = {"result": result}
    except Problem as problem:
        context = {"rejected": problem}
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return page(request, "staff/imports.html", {"title": "导入结果 · 工作站", "kinds": _kinds(account), "kind": kind,
                                                **context},
                account=account)


def _save(file: UploadFile, path: Path, limit: int) -> None:
    _forget_unconfirmed(path.parent.parent)
    path.parent.mkdir(parents=True)
    with path.open("wb") as target:
        shutil.copyfileobj(file.file, target)
    if path.stat().st_size > limit:
        shutil.rmtree(path.parent, ignore_errors=True)
        raise Problem(413, f"文件超过 {limit / MEGABYTE:g} MB 的上限，请拆分后再上传")


def _forget_unconfirmed(uploads: Path) -> None:
    if not uploads.is_dir():
        return
    cutoff = time.time() - UNCONFIRMED_SECONDS
    for folder in uploads.iterdir():
        if folder.is_dir() and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)
