"""Imports one CSV/XLSX file: read, validate every row, upsert all-or-nothing, and log the attempt.

Counting: ``inserted`` new keys; ``updated`` stored rows the file matched, split into ``changed`` and
``unchanged`` (identical values, nothing written); ``rejected`` data rows with at least one error.
Any error rejects the whole file: nothing is stored, and the import_log row records why.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from matcher.store.errors import ImportFileError, RowError
from matcher.store.models import ImportLog, utcnow
from matcher.store.reader import read_table
from matcher.store.upsert import UpsertCounts, upsert_records
from matcher.store.validate import IMPORT_KINDS, check_references, validate_table

log = logging.getLogger(__name__)

SUMMARY_ERRORS = 20


@dataclass(frozen=True)
class ImportResult:
    kind: str
    file: str
    rows: int = 0
    inserted: int = 0
    changed: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: tuple[RowError, ...] = ()
    headers: dict[str, str] = field(default_factory=dict)
    """Field → header text in the file, so messages can show the clerk's own column names."""
    ids: tuple[str, ...] = ()
    """Ids of the file's records in file order (talents and jobs; empty when rejected)."""

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def updated(self) -> int:
        return self.changed + self.unchanged

    @property
    def status(self) -> str:
        return "ok" if self.ok else "rejected"

    def to_json(self) -> dict[str, object]:
        return {"inserted": self.inserted, "updated": self.updated, "rejected": self.rejected,
                "errors": [error.to_dict() for error in self.errors]}

    def messages(self) -> list[str]:
        return [error.message(self.headers.get(error.column or "")) for error in self.errors]


def import_file(engine: Engine, kind_name: str, path: Path) -> ImportResult:
    """Import ``path`` as ``kind_name`` (talents, jobs, employers, workstations, events)."""
    kind = IMPORT_KINDS[kind_name]
    started = utcnow()
    digest = _sha256(path)
    try:
        table = read_table(path, kind.headers, kind.required)
    except ImportFileError as error:
        result = ImportResult(kind.name, path.name, errors=error.errors)
        _log_in_own_transaction(engine, result, digest, started)
        return result
    validated = validate_table(table, kind)
    base = ImportResult(kind.name, table.file, rows=len(validated.records), headers=table.headers)
    try:
        with Session(engine) as session, session.begin():
            errors = validated.errors + check_references(session, kind, validated)
            if errors:
                raise _Rejected(errors)
            counts = upsert_records(session, kind, validated.records)
            result = _counted(base, counts, _record_ids(kind_name, validated.records))
            session.add(_log_row(result, digest, started))
    except _Rejected as rejected:  # the transaction rolled back: the data is exactly as before
        result = _with_errors(base, rejected.errors)
        _log_in_own_transaction(engine, result, digest, started)
        return result
    except SQLAlchemyError as error:
        failed = _with_errors(base, [RowError(base.file, None, None, type(error).__name__,
                                              "a database that accepts the write (see the log)")])
        _log_in_own_transaction(engine, failed, digest, started, status="failed")
        raise
    log.info("imported %s %s: %d inserted, %d changed, %d unchanged", kind.name, result.file,
             result.inserted, result.changed, result.unchanged)
    return result


def _record_ids(kind_name: str, records: list[dict[str, object]]) -> tuple[str, ...]:
    column = {"talents": "talent_id", "jobs": "job_id"}.get(kind_name)
    return tuple(str(r[column]) for r in records) if column else ()


class _Rejected(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def _counted(base: ImportResult, counts: UpsertCounts, ids: tuple[str, ...] = ()) -> ImportResult:
    return ImportResult(base.kind, base.file, base.rows, counts.inserted, counts.updated, counts.unchanged,
                        headers=base.headers, ids=ids)


def _with_errors(base: ImportResult, errors: list[RowError]) -> ImportResult:
    rejected = len({error.row for error in errors if error.row is not None})
    return ImportResult(base.kind, base.file, base.rows, rejected=rejected, errors=tuple(errors),
                        headers=base.headers)


def _log_row(result: ImportResult, digest: str | None, started: datetime, status: str | None = None) -> ImportLog:
    """Error messages are already masked for personal columns, so the summary is safe to keep."""
    messages = result.messages()
    summary = "\n".join(messages[:SUMMARY_ERRORS])
    if len(messages) > SUMMARY_ERRORS:
        summary += f"\n… and {len(messages) - SUMMARY_ERRORS} more"
    return ImportLog(kind=result.kind, file_name=result.file, sha256=digest, started_at=started,
                     finished_at=utcnow(), rows=result.rows, inserted=result.inserted, updated=result.updated,
                     unchanged=result.unchanged, rejected=result.rejected, status=status or result.status,
                     error_summary=summary or None)


def _log_in_own_transaction(engine: Engine, result: ImportResult, digest: str | None, started: datetime,
                            status: str | None = None) -> None:
    with Session(engine) as session, session.begin():
        session.add(_log_row(result, digest, started, status))
    log.warning("rejected %s %s: %d errors in %d rows", result.kind, result.file, len(result.errors),
                result.rejected)


def _sha256(path: Path) -> str | None:
    if not path.is_file():
        return None
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
