"""Uploads of CSV/XLSX files: the same reader, checks and all-or-nothing write as ``matcher import``."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Literal

from fastapi import APIRouter, UploadFile, status

from api.auth import AdminDep
from api.deps import EngineDep, FollowerDep, MatcherDep, SessionDep
from api.problems import Problem
from api.schemas.common import PROBLEM_RESPONSES
from api.schemas.imports import ImportPublic
from matcher.normalize.text_policy import text_violation
from matcher.store.audit import record_access
from matcher.store.imports import ImportResult, import_file

router = APIRouter(prefix="/imports", tags=["imports"], responses=PROBLEM_RESPONSES)

MAX_FILE_NAME_BYTES = 200
"""Of the uploaded name kept on disk (UTF-8): below every file system's 255-byte limit."""
MAX_SUFFIX_CHARACTERS = 10

ImportKindName = Literal["talents", "jobs", "employers", "workstations", "events"]


@router.post("/{kind}", response_model=ImportPublic, status_code=status.HTTP_201_CREATED)
def upload(kind: ImportKindName, file: UploadFile, account: AdminDep, engine: EngineDep, session: SessionDep,
           matcher: MatcherDep, follower: FollowerDep):
    """Insert or update records by id from the file's first sheet; any bad row rejects the whole file (422,
    every bad cell listed with its spreadsheet row and column). Files over the size limit get 413."""
    with tempfile.TemporaryDirectory(prefix="matcher-upload-") as directory:
        path = Path(directory) / _file_name(file.filename, kind)
        with path.open("wb") as target:
            shutil.copyfileobj(file.file, target)
        result = import_file(engine, kind, path)
        if not result.ok:
            raise _rejected(result)
    record_access(session, actor=account.name, actor_id=account.id, role=account.role, action="import",
                  subject_kind=kind, detail={"file": result.file, "rows": result.rows,
                                             "inserted": result.inserted, "updated": result.updated})
    session.commit()
    # The import put every talent and job it wrote or linked in the change log: catching up applies them
    # here, and every other worker does so before its next match.
    follower.catch_up(matcher)
    return ImportPublic(kind=result.kind, file=result.file, rows=result.rows, inserted=result.inserted,
                        updated=result.updated, changed=result.changed, unchanged=result.unchanged)


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


def _rejected(result: ImportResult) -> Problem:
    messages = result.messages()
    errors = [{"loc": ["body", "file"], "field": error.column, "row": error.row, "column": error.column,
               "message": message} for error, message in zip(result.errors, messages, strict=True)]
    detail = (f"{result.file}: nothing imported — {len(errors)} error(s) in {result.rejected} row(s); "
              "fix them and upload the file again")
    return Problem(422, detail, slug="import-rejected", errors=errors)
