"""Imports one CSV/XLSX file: read, validate every row, resolve identities, upsert all-or-nothing, log the attempt.

Counting: ``inserted`` new keys; ``updated`` stored rows the file matched, split into ``changed`` and
``unchanged`` (identical values, nothing written); ``rejected`` data rows with at least one error.
Any error rejects the whole file: nothing is stored, and the import_log row records why. A dry run does
every check a real import does and counts rows exactly as the write would, inside a transaction it rolls back;
it writes nothing, not even the import_log row. Values not understood are warnings (never a rejection).

Rows matched to a stored record by who they are (ID number, name + phone; employer + title + place) rather
than by a 编号 in the sheet are merged: the sheet's non-empty values win, empty cells keep the stored
value, and a person another workstation registered keeps that workstation, both links being recorded.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from matcher.normalize.cells import clean_text
from matcher.store.columns import DERIVED_FROM
from matcher.store.errors import ImportFileError, RowError, RowWarning
from matcher.store.identity import Duplicate, Resolution, link_workstations, resolve_jobs, resolve_talents
from matcher.store.import_report import write_report
from matcher.store.models import ImportLog, utcnow
from matcher.store.reader import SourceTable, read_table
from matcher.store.upsert import UpsertCounts, upsert_records
from matcher.store.validate import (
    IMPORT_KINDS,
    ImportKind,
    ValidatedTable,
    check_references,
    duplicate_key_errors,
    validate_table,
)

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
    warnings: tuple[RowWarning, ...] = ()
    notes: tuple[str, ...] = ()
    """What the reader skipped or assumed, in Chinese (title lines, footer rows, unknown columns …)."""
    unknown_columns: tuple[str, ...] = ()
    duplicates: tuple[Duplicate, ...] = ()
    """People another workstation registered before, merged into the stored record."""
    generated_ids: int = 0
    """Records whose id was derived (no 编号 / 岗位编号 in the sheet)."""
    dry_run: bool = False
    report: str | None = None
    """Where the annotated copy of the file was written, if it was."""

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
        return {"inserted": self.inserted, "updated": self.updated, "changed": self.changed,
                "unchanged": self.unchanged, "rejected": self.rejected, "dry_run": self.dry_run,
                "errors": [error.to_dict() for error in self.errors],
                "warnings": [warning.to_dict() for warning in self.warnings],
                "notes": list(self.notes), "unknown_columns": list(self.unknown_columns),
                "duplicates": [asdict(duplicate) for duplicate in self.duplicates],
                "generated_ids": self.generated_ids, "report": self.report}

    def messages(self) -> list[str]:
        return [error.message(self.header_of(error.column)) for error in self.errors]

    def warning_messages(self) -> list[str]:
        return [warning.message(self.header_of(warning.column)) for warning in self.warnings]

    def header_of(self, column: str | None) -> str | None:
        """The sheet's own header for a field, or for the column it was derived from (现工作单位及职务)."""
        return self.headers.get(column or "") or self.headers.get(DERIVED_FROM.get(column or "", ""))


@dataclass(frozen=True)
class ImportOptions:
    secret: bytes | None = None
    """Key of the identity hashes (matcher.store.identity.identity_secret). Without it talents need a 编号
    column, as before identities existed; jobs are recognised by employer + title + place either way."""
    dry_run: bool = False
    report: Path | None = None
    """Write an annotated XLSX copy of the file here: bad cells red, unresolved ones yellow, each commented."""
    workstation: tuple[str, str] | None = None
    """(id, name) of the one workstation a talent register may fill (its staff's): every row belongs to it, and
    a row naming another workstation is an error."""


def import_file(engine: Engine, kind_name: str, path: Path, options: ImportOptions | None = None) -> ImportResult:
    """Import ``path`` as ``kind_name`` (talents, jobs, employers, workstations, events)."""
    options = options or ImportOptions()
    kind = IMPORT_KINDS[kind_name]
    started = utcnow()
    digest = _sha256(path)
    derives_keys = kind.name == "jobs" or (kind.name == "talents" and options.secret is not None)
    try:
        table = read_table(path, kind.headers, kind.sheet_required(derives_keys))
    except ImportFileError as error:
        result = ImportResult(kind.name, path.name, errors=error.errors, dry_run=options.dry_run)
        if not options.dry_run:
            _log_in_own_transaction(engine, result, digest, started)
        return _reported(result, None, options)
    table = _with_sheet_workstation(table, kind)
    table, station_errors = _for_one_workstation(table, kind, options.workstation)
    validated = validate_table(table, kind, derives_keys)
    if station_errors:
        validated = replace(validated, errors=sorted([*validated.errors, *station_errors], key=_row_of))
    base = ImportResult(kind.name, table.file, rows=len(validated.records), headers=table.headers,
                        warnings=tuple(validated.warnings), notes=table.notes,
                        unknown_columns=table.unknown_columns, dry_run=options.dry_run)
    try:
        with Session(engine) as session, session.begin():
            counts, resolution = _resolve_and_write(session, kind, table, validated, options)
            result = _counted(base, counts, resolution, _record_ids(kind_name, validated.records))
            if options.dry_run:
                raise _DryRun(result)  # rolls the transaction back: nothing written
            session.add(_log_row(result, digest, started))
    except _DryRun as dry:
        result = dry.result
    except _Rejected as rejected:  # the transaction rolled back: the data is exactly as before
        result = _with_errors(base, rejected.errors)
        if not options.dry_run:
            _log_in_own_transaction(engine, result, digest, started)
    except SQLAlchemyError as error:
        failed = _with_errors(base, [RowError(base.file, None, None, type(error).__name__,
                                              "a database that accepts the write (see the log)")])
        _log_in_own_transaction(engine, failed, digest, started, status="failed")
        raise
    if result.ok:
        log.info("%s %s %s: %d inserted, %d changed, %d unchanged, %d warnings", "previewed" if options.dry_run
                 else "imported", kind.name, result.file, result.inserted, result.changed, result.unchanged,
                 len(result.warnings))
    return _reported(result, table, options)


def _reported(result: ImportResult, table: SourceTable | None, options: ImportOptions) -> ImportResult:
    """The result, after writing the annotated copy when one was asked for."""
    if options.report is None:
        return result
    write_report(table, result.errors, result.warnings, options.report)
    return replace(result, report=str(options.report))


def _resolve_and_write(session: Session, kind: ImportKind, table: SourceTable, validated: ValidatedTable,
                       options: ImportOptions) -> tuple[UpsertCounts, Resolution | None]:
    """Identities, then every check needing the database; raises _Rejected before writing anything."""
    records = validated.records
    resolution = None
    if kind.name == "talents" and options.secret is not None:
        resolution = resolve_talents(session, table.file, records, validated.rows, options.secret)
    elif kind.name == "jobs":
        resolution = resolve_jobs(session, records)
    errors = list(validated.errors)
    if resolution is not None:
        errors += resolution.errors
        errors += duplicate_key_errors(table.file, kind, records, validated.rows,
                                       resolution.by_identity | resolution.generated)
        for index in resolution.by_identity:
            records[index] = _filled_only(kind, table, validated.rows[index], records[index])
    errors += check_references(session, kind, validated)
    if errors:
        raise _Rejected(sorted(errors, key=_row_of))
    counts = upsert_records(session, kind, records, write=not options.dry_run)
    if resolution is not None and resolution.duplicates and not options.dry_run:
        link_workstations(session, resolution.duplicates, table.file)
    return counts, resolution


IDENTITY_COLUMNS = frozenset({"id_hash", "contact_hash", "identity_key"})


def _filled_only(kind: ImportKind, table: SourceTable, row: int, record: dict[str, object]) -> dict[str, object]:
    """The record without the columns its empty cells would have cleared: the stored values stay."""
    raw = {name: value for name, value in table.frame.loc[row].items() if clean_text(value) is not None}
    derivable = set(kind.check_row(raw).values) | set(kind.key)
    return {column: value for column, value in record.items()
            if column in derivable or (column in IDENTITY_COLUMNS and value is not None)}


def _with_sheet_workstation(table: SourceTable, kind: ImportKind) -> SourceTable:
    """A talent register without a 工作站 column belongs to the 填报单位 named above its table."""
    station = table.preamble.get("填报单位")
    if kind.name != "talents" or not station or "workstation" in table.frame.columns:
        return table
    note = f"表中无“工作站”列：按填报单位“{station}”记为所属工作站"
    return replace(table, frame=table.frame.assign(workstation=station), notes=(*table.notes, note))


def _for_one_workstation(table: SourceTable, kind: ImportKind,
                         workstation: tuple[str, str] | None) -> tuple[SourceTable, list[RowError]]:
    """The table with every talent in ``workstation`` (id, name), and an error for each row naming another."""
    if workstation is None or kind.name != "talents":
        return table, []
    station_id, station_name = workstation
    errors = []
    if "workstation" in table.frame.columns:
        for row, value in table.frame["workstation"].items():
            text = clean_text(value)
            if text is not None and text not in workstation:
                errors.append(RowError(table.file, int(row), "workstation", text,
                                       f"本工作站（{station_name}，{station_id}）：工作站只能导入本站登记的人才"))
    note = f"全部人才记入本工作站“{station_name}”"
    return replace(table, frame=table.frame.assign(workstation=station_id), notes=(*table.notes, note)), errors


def _row_of(error: RowError) -> int:
    return error.row or 0


def _record_ids(kind_name: str, records: list[dict[str, object]]) -> tuple[str, ...]:
    column = {"talents": "talent_id", "jobs": "job_id"}.get(kind_name)
    return tuple(str(r[column]) for r in records) if column else ()


class _DryRun(Exception):
    def __init__(self, result: ImportResult) -> None:
        super().__init__("dry run")
        self.result = result


class _Rejected(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def _counted(base: ImportResult, counts: UpsertCounts, resolution: Resolution | None,
             ids: tuple[str, ...] = ()) -> ImportResult:
    duplicates = tuple(resolution.duplicates) if resolution else ()
    generated = len(resolution.generated) if resolution else 0
    notes = base.notes
    if resolution and resolution.anonymous:
        rows = "、".join(map(str, resolution.anonymous[:10])) + ("…" if len(resolution.anonymous) > 10 else "")
        notes += (f"第{rows}行既无身份证号也无联系电话：无法认出是否已登记，每次导入都会新建一人",)
    return replace(base, inserted=counts.inserted, changed=counts.updated, unchanged=counts.unchanged, ids=ids,
                   duplicates=duplicates, generated_ids=generated, notes=notes)


def _with_errors(base: ImportResult, errors: list[RowError]) -> ImportResult:
    rejected = len({error.row for error in errors if error.row is not None})
    return replace(base, rejected=rejected, errors=tuple(errors))


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
