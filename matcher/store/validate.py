"""Import kinds (table, key, headers, row check) and whole-file validation that collects every error and warning."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from matcher.normalize.records import JOB_REQUIRED, TALENT_REQUIRED, NormalizedRecord, check_job, check_talent
from matcher.store import columns, entities
from matcher.store.errors import RowError, RowWarning
from matcher.store.models import Base, Employer, Event, Job, Talent, Workstation
from matcher.store.reader import SourceTable
from matcher.store.unresolved import unresolved

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

    def sheet_required(self, generated_keys: bool) -> tuple[str, ...]:
        """Columns a sheet must have: the key may be left out when imports derive it (matcher.store.identity)."""
        return tuple(c for c in self.required if not (generated_keys and c in self.key))


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


IDENTITY_KINDS = frozenset({"talents", "jobs"})
"""Kinds whose rows without an id get one from who or what they are (matcher.store.identity)."""
PENDING_KEY = "matcher:pending-id"
"""Stands in for an empty key cell during the row checks when the key is derived afterwards (a valid id under
the text policy, so the checks pass it; set back to None after them)."""


@dataclass(frozen=True)
class ValidatedTable:
    """Normalised records in file order, each with its spreadsheet row, every error and every warning."""

    file: str
    records: list[dict[str, object]]
    rows: list[int]
    errors: list[RowError]
    warnings: list[RowWarning] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len({error.row for error in self.errors})


def validate_table(table: SourceTable, kind: ImportKind, generated_keys: bool = False) -> ValidatedTable:
    """Check every row (not just up to the first bad one) and every key for duplicates within the file.

    With ``generated_keys`` an empty key cell is not an error: the record's key is None until identity
    resolution fills it, and duplicates among those are checked then (see duplicate_key_errors).
    """
    records: list[dict[str, object]] = []
    rows: list[int] = []
    errors: list[RowError] = []
    warnings: list[RowWarning] = []
    names = list(table.frame.columns)
    pending = generated_keys and len(kind.key) == 1
    cells = zip(*(table.frame[name].tolist() for name in names), strict=True)
    for row, raw in zip(table.frame.index, (dict(zip(names, values, strict=True)) for values in cells), strict=True):
        if pending and not raw.get(kind.key[0]):
            raw[kind.key[0]] = PENDING_KEY
        checked = kind.check_row(raw)
        errors.extend(RowError(table.file, int(row), i.column, i.value, i.expected) for i in checked.issues)
        warnings.extend(RowWarning(table.file, int(row), column, text, problem)
                        for column, text, problem in unresolved(kind.name, raw, checked.values))
        if pending and checked.values.get(kind.key[0]) == PENDING_KEY:
            checked.values[kind.key[0]] = None
        records.append(checked.values)
        rows.append(int(row))
    if not pending:  # else checked once the keys are known
        errors.extend(duplicate_key_errors(table.file, kind, records, rows))
    return ValidatedTable(table.file, records, rows, sorted(errors, key=_row_order), warnings)


SAME_IDENTITY = {"talents": "同一人（身份证号相同，或姓名和电话相同）在本表只能出现一次：合并或删去一行",
                 "jobs": "同一岗位（单位、岗位名称和工作地点相同）在本表只能出现一次：合并或删去一行"}


def duplicate_key_errors(file: str, kind: ImportKind, records: Sequence[dict[str, object]], rows: Sequence[int],
                         derived: Set[int] = frozenset()) -> list[RowError]:
    """A key used by two rows of one file; ``derived`` (record indexes whose key was not in the sheet) get a
    message saying why two rows are one person or position."""
    first_of: dict[tuple, int] = {}
    errors = []
    for index, (record, row) in enumerate(zip(records, rows, strict=True)):
        key = tuple(record.get(column) for column in kind.key)
        if None in key:
            continue
        if key in first_of:
            first = first_of[key]
            expected = (f"{SAME_IDENTITY[kind.name]}（与第{rows[first]}行重复）" if {index, first} & derived else
                        f"a {kind.key[0]} not used before in this file (also in row {rows[first]})")
            errors.append(RowError(file, row, kind.key[0], str(key[0]) if len(key) == 1 else str(key), expected))
        else:
            first_of[key] = index
    return errors


def _row_order(error: RowError) -> int:
    return error.row or 0


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
