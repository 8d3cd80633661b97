"""Uploads of CSV/XLSX files: the same reader, checks and all-or-nothing write as ``matcher import``; previews,
annotated copies of the upload to download, and blank templates."""
from __future__ import annotations

import re
import secrets
import shutil
import tempfile
from pathlib import Path
from typing import Literal
from urllib.parse import quote

from fastapi import APIRouter, Request, Response, UploadFile, status
from fastapi.responses import FileResponse
from sqlalchemy.orm import Session

from api.auth import AccountDep, StaffOrAdminDep
from api.deps import EngineDep, FollowerDep, MatcherDep, SessionDep, SettingsDep
from api.problems import Problem, not_found
from api.schemas.common import PROBLEM_RESPONSES
from api.schemas.imports import ImportCellError, ImportDuplicate, ImportPublic, ImportWarning
from matcher.config import Settings
from matcher.normalize.text_policy import text_violation
from matcher.store.accounts import Account
from matcher.store.audit import record_access
from matcher.store.identity import identity_secret
from matcher.store.imports import ImportOptions, ImportResult, import_file
from matcher.store.models import Workstation
from matcher.store.templates import template_bytes, template_file_name

router = APIRouter(prefix="/imports", tags=["imports"], responses=PROBLEM_RESPONSES)

MAX_FILE_NAME_BYTES = 200
"""Of the uploaded name kept on disk (UTF-8): below every file system's 255-byte limit."""
MAX_SUFFIX_CHARACTERS = 10

ImportKindName = Literal["talents", "jobs", "employers", "workstations", "events"]
TemplateKindName = Literal["talents", "jobs", "events"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REPORT_DIR = "import_reports"
_REPORT_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
MAX_WARNINGS_LISTED = 1000
"""Warnings in the response body; the report file has them all."""


@router.post("/{kind}", response_model=ImportPublic, status_code=status.HTTP_201_CREATED)
def upload(kind: ImportKindName, file: UploadFile, account: StaffOrAdminDep, engine: EngineDep, session: SessionDep,
           matcher: MatcherDep, follower: FollowerDep, settings: SettingsDep, request: Request,
           response: Response, dry_run: bool = False):
    """Insert or update records from the file's first sheet; any bad row rejects the whole file (422, every bad
    cell listed with its spreadsheet row and column). ``dry_run``: report what would be inserted, updated and
    unchanged, every warning and error (200), writing nothing. When a cell had a problem, ``report_url`` (or
    the 422's Link header) gives an annotated copy of the upload. Files over the size limit get 413.
    Staff upload talent registers only, and every person in one joins their own workstation (a row naming
    another workstation is an error); admins upload every kind."""
    token = secrets.token_urlsafe(18)
    report = _report_path(settings, token, account.id)
    options = import_options(settings, session, account, kind, dry_run=dry_run, report=report)
    with tempfile.TemporaryDirectory(prefix="matcher-upload-") as directory:
        path = Path(directory) / _file_name(file.filename, kind)
        with path.open("wb") as target:
            shutil.copyfileobj(file.file, target)
        result = import_file(engine, kind, path, options)
    report_url = _keep_report(result, report, request.url_for("download_report", token=token).path)
    if dry_run:
        response.status_code = status.HTTP_200_OK
        return _public(result, report_url)
    if not result.ok:
        raise _rejected(result, report_url)
    record_access(session, actor=account.name, actor_id=account.id, role=account.role, action="import",
                  subject_kind=kind, detail={"file": result.file, "rows": result.rows,
                                             "inserted": result.inserted, "updated": result.updated})
    session.commit()
    # The import put every talent and job it wrote or linked in the change log: catching up applies them
    # here, and every other worker does so before its next match.
    follower.catch_up(matcher)
    return _public(result, report_url)


def import_options(settings: Settings, session: Session, account: Account, kind: str, *, dry_run: bool,
                   report: Path | None = None) -> ImportOptions:
    """How ``account`` imports ``kind``: identities keyed by the deployment's secret, staff into their station."""
    return ImportOptions(secret=identity_secret(settings), dry_run=dry_run, report=report,
                         workstation=_own_workstation(session, account, kind))


def _own_workstation(session: Session, account: Account, kind: str) -> tuple[str, str] | None:
    """(id, name) of a staff member's workstation, which their uploads fill; None for admins."""
    if account.role == "admin":
        return None
    if kind != "talents" or not account.workstation_id:
        raise Problem(403, "staff upload talent registers of their own workstation (工作站人员只能导入本站人才登记表)")
    station = session.get(Workstation, account.workstation_id)
    return account.workstation_id, station.name if station is not None else account.workstation_id


@router.get("/reports/{token}", response_class=FileResponse,
            responses={200: {"content": {XLSX: {}}, "description": "the annotated copy of an upload"}})
def download_report(token: str, account: StaffOrAdminDep, settings: SettingsDep):
    """The upload with every bad cell red and every unresolved value yellow, each commented, and a 问题清单
    sheet. It holds the upload's personal data: the uploader fetches it by the unguessable token their upload
    answered with, and admins may fetch any."""
    path = None
    if _REPORT_TOKEN.fullmatch(token):  # an admin's any upload's, anyone else's only their own
        uploaders = [d.name for d in (settings.data_dir / REPORT_DIR).glob("*")] if account.role == "admin" \
            else [account.id]
        path = next((p for u in uploaders if (p := _report_path(settings, token, u)).is_file()), None)
    if path is None:
        raise not_found("import report", token)
    return FileResponse(path, media_type=XLSX, filename="导入检查.xlsx")


@router.get("/templates/{kind}", responses={200: {"content": {XLSX: {}}, "description": "a blank import sheet"}})
def template(kind: TemplateKindName, account: AccountDep) -> Response:
    """A blank import sheet: the headers the import reads, drop-down lists, an example row and a 说明 sheet."""
    name = quote(template_file_name(kind))
    return Response(template_bytes(kind), media_type=XLSX,
                    headers={"Content-Disposition": f"attachment; filename=\"{kind}.xlsx\"; filename*=UTF-8''{name}"})


def _report_path(settings: Settings, token: str, uploader: int | str) -> Path:
    """Where the report of an upload is kept: under its uploader's account id."""
    return settings.data_dir / REPORT_DIR / str(uploader) / f"{token}.xlsx"


def _keep_report(result: ImportResult, report: Path, url: str) -> str | None:
    """The report's URL when the file had problems; a clean file's report is deleted at once."""
    if result.errors or result.warnings:
        return url
    report.unlink(missing_ok=True)
    return None


def _file_name(uploaded: str | None, kind: str) -> str:
    """The clerk's own file name (error messages quote it), without any directory part, and short enough for
    any file system (255 bytes): a longer stem is cut, the extension that says how to read the file kept.
    A name with control or broken characters is replaced by the kind's."""
    path = Path(Path(uploaded or "").name.strip())
    stem, suffix = path.stem, path.suffix[:MAX_SUFFIX_CHARACTERS]
    while stem and len((stem + suffix).encode("utf-8", "surrogatepass")) > MAX_FILE_NAME_BYTES:
        stem = stem[:-1]
    name = stem + suffix
    if not stem or name.startswith(".") or text_violation("file", name) is not None:
        return f"{kind}.csv"
    return name


def _public(result: ImportResult, report_url: str | None) -> ImportPublic:
    messages = result.messages()
    warnings = result.warnings[:MAX_WARNINGS_LISTED]
    return ImportPublic(
        kind=result.kind, file=result.file, dry_run=result.dry_run, status=result.status, rows=result.rows,
        inserted=result.inserted, updated=result.updated, changed=result.changed, unchanged=result.unchanged,
        rejected=result.rejected, generated_ids=result.generated_ids,
        errors=[ImportCellError(row=e.row, column=e.column, value=e.value, message=m)
                for e, m in zip(result.errors, messages, strict=True)],
        warnings=[ImportWarning(row=w.row, column=w.column, header=result.header_of(w.column), value=w.value,
                                message=m) for w, m in zip(warnings, result.warning_messages(), strict=False)],
        warnings_total=len(result.warnings), notes=list(result.notes),
        unknown_columns=list(result.unknown_columns),
        duplicates=[ImportDuplicate(**vars(d)) for d in result.duplicates], report_url=report_url)


def _rejected(result: ImportResult, report_url: str | None) -> Problem:
    messages = result.messages()
    errors = [{"loc": ["body", "file"], "field": error.column, "row": error.row, "column": error.column,
               "message": message} for error, message in zip(result.errors, messages, strict=True)]
    detail = (f"{result.file}: nothing imported — {len(errors)} error(s) in {result.rejected} row(s); "
              "fix them and upload the file again")
    if report_url:
        detail += f" (the marked-up file: {report_url})"
    headers = {"Link": f'<{report_url}>; rel="describedby"; type="{XLSX}"'} if report_url else None
    return Problem(422, detail, slug="import-rejected", errors=errors, headers=headers)
