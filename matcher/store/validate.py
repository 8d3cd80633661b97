"""Import kinds (table, key, headers, row check) and whole-file validation that collects every error."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from matcher.normalize.records import JOB_REQUIRED, TALENT_REQUIRED, NormalizedRecord, check_job, check_talent
from matcher.store import columns, entities
from matcher.store.errors import RowError
from matcher.store.models import Base, Employer, Event, Job, Talent, Workstation
from matcher.store.reader import SourceTable

LOOKUP_CHUNK = 900
"""Ids per IN (...) query: under SQLite's historical limit of 999 bound parameters."""


@dataclass(frozen=True)
class ImportKind:
    name: str
    model: type[Base]
    key: tuple[str, ...]
    """Columns identifying a row: re-importing a row with the same key updates it."""
    headers: dict[str, tuple[str, ...]]
    required: tuple[str, ...]
    check_row: Callable[[Mapping[str, object]], NormalizedRecord]


IMPORT_KINDS: dict[str, ImportKind] = {kind.name: kind for kind in (
    ImportKind("talents", Talent, ("talent_id",), columns.TALENT_HEADERS, TALENT_REQUIRED, check_talent),
    ImportKind("jobs", Job, ("job_id",), columns.JOB_HEADERS, JOB_REQUIRED, check_job),
    ImportKind("employers", Employer, ("employer_id",), columns.EMPLOYER_HEADERS, entities.EMPLOYER_REQUIRED,
               entities.check_employer),
    ImportKind("workstations", Workstation, ("workstation_id",), columns.WORKSTATION_HEADERS,
               entities.WORKSTATION_REQUIRED, entities.check_workstation),
    ImportKind("events", Event, ("talent_id", "job_id", "kind", "occurred_at"), columns.EVENT_HEADERS,
               entities.EVENT_REQUIRED, entities.check_event),
)}


@dataclass(frozen=True)
class ValidatedTable:
    """Normalised records in file order, each with its spreadsheet row, and every error found."""

    file: str
    records: list[dict[str, object]]
    rows: list[int]
    errors: list[RowError]

    @property
    def rejected(self) -> int:
        return len({error.row for error in self.errors})


def validate_table(table: SourceTable, kind: ImportKind) -> ValidatedTable:
    """Check every row (not just up to the first bad one) and every key for duplicates within the file."""
    records: list[dict[str, object]] = []
    rows: list[int] = []
    errors: list[RowError] = []
    first_row_of: dict[tuple, int] = {}
    names = list(table.frame.columns)
    cells = zip(*(table.frame[name].tolist() for name in names), strict=True)
    for row, raw in zip(table.frame.index, (dict(zip(names, values, strict=True)) for values in cells), strict=True):
        checked = kind.check_row(raw)
        errors.extend(RowError(table.file, int(row), i.column, i.value, i.expected) for i in checked.issues)
        key = tuple(checked.values.get(column) for column in kind.key)
        if None not in key and key in first_row_of:
            errors.append(RowError(table.file, int(row), kind.key[0], str(key[0]) if len(key) == 1 else str(key),
                                   f"a {kind.key[0]} not used before in this file (also in row {first_row_of[key]})"))
        elif None not in key:
            first_row_of[key] = int(row)
        records.append(checked.values)
        rows.append(int(row))
    return ValidatedTable(table.file, records, rows, errors)


def check_references(session: Session, kind: ImportKind, table: ValidatedTable) -> list[RowError]:
    """Events must name a talent and a job that are already stored."""
    if kind.model is not Event:
        return []
    errors: list[RowError] = []
    for column, model in (("talent_id", Talent), ("job_id", Job)):
        wanted = {record[column] for record in table.records if record.get(column)}
        known = existing_ids(session, getattr(model, column), wanted)
        errors.extend(
            RowError(table.file, row, column, str(record[column]), f"the {column} of an already imported record")
            for row, record in zip(table.rows, table.records, strict=True)
            if record.get(column) and record[column] not in known
        )
    return sorted(errors, key=lambda error: error.row or 0)


def existing_ids(session: Session, column: InstrumentedAttribute[str], ids: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for chunk in chunked(sorted(ids), LOOKUP_CHUNK):
        found.update(session.scalars(select(column).where(column.in_(chunk))))
    return found


def chunked(items: Sequence, size: int) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
