"""Single-record create, read, update and delete, through the same row checks and upsert as imports.

A record is written from its raw fields exactly as an import row would be: ``check_row`` cleans and
normalises it (and reports the same issues an import would), ``upsert_records`` writes it and links
employers and workstations by name. An update merges the changed raw fields into the stored ones and
re-checks the whole record, so normalised columns always follow the raw text they came from.
Every function works inside the caller's transaction; the caller commits. Talent and job writes add
their change-log entries to that transaction (the upsert for raw fields, here for direct columns and
deletes), so serving processes see the write once it commits.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from matcher.normalize.records import RecordIssue
from matcher.store.changes import record_changes
from matcher.store.keyed import rows_by_keys
from matcher.store.models import Employer, Event, Job, Talent, User, Workstation
from matcher.store.upsert import CHANGE_KIND, upsert_records
from matcher.store.validate import IMPORT_KINDS, ImportKind, chunked, existing_ids

RECORD_KINDS = ("talents", "jobs", "employers", "workstations")
DIRECT_COLUMNS = {
    "talents": frozenset({"workstation_id", "consented_employer_ids"}),
    "jobs": frozenset({"employer_id"}),
    "employers": frozenset(),
    "workstations": frozenset(),
}
"""Columns set as given rather than derived from raw text: links chosen by the caller, and consent."""


class RecordInvalid(ValueError):
    """The record fails the import row checks; ``issues`` are the same RecordIssues an import reports."""

    def __init__(self, issues: Iterable[RecordIssue]) -> None:
        self.issues = tuple(issues)
        super().__init__("; ".join(f"{i.column}: got {i.value!r}, expected {i.expected}" for i in self.issues))


class RecordConflict(ValueError):
    """The write contradicts stored data: the key is taken, or other records still point at this one."""


class RecordNotFound(KeyError):
    """No record of this kind has this key. ``what`` names the kind in the singular ("talent"), ``key`` the
    key asked for; ``str()`` is ``message`` when one is given (for callers that print it), else the key."""

    def __init__(self, what: str, key: str, message: str | None = None) -> None:
        self.what, self.key = what, key
        super().__init__(key if message is None else message)


def kind_of(kind_name: str) -> ImportKind:
    if kind_name not in RECORD_KINDS:
        raise ValueError(f"record kind {kind_name!r} is not one of {', '.join(RECORD_KINDS)}")
    return IMPORT_KINDS[kind_name]


def raw_fields(kind_name: str) -> tuple[str, ...]:
    """The fields a client writes (the import columns); the rest of a row is derived from them."""
    return tuple(kind_of(kind_name).headers)


def singular(kind_name: str) -> str:
    """One record of the kind, as messages name it: "employers" -> "employer"."""
    return kind_name.removesuffix("s")


def key_of(kind_name: str) -> str:
    return kind_of(kind_name).key[0]


def get_record(session: Session, kind_name: str, key: str) -> dict[str, Any] | None:
    """Every stored column of one record, or None."""
    model = kind_of(kind_name).model
    row = session.get(model, key, populate_existing=True)
    return None if row is None else {column.name: getattr(row, column.name) for column in model.__table__.c}


def records_by_id(session: Session, kind_name: str, keys: Iterable[str],
                  columns: Sequence[str] | None = None) -> dict[str, dict[str, Any]]:
    """Stored records for ``keys`` (missing keys are left out), by key: every column, or the key and ``columns``
    (a talent has 38, several of them JSON to decode; a match list shows a dozen). Read through
    :func:`matcher.store.keyed.rows_by_keys`: match lists call this on every request."""
    table = kind_of(kind_name).model.__table__
    key_name = key_of(kind_name)
    names = _selected(kind_name, None if columns is None else tuple(columns))
    connection = session.connection()  # the session's transaction, without the ORM's per-statement work
    found: dict[str, dict[str, Any]] = {}
    for chunk in chunked(sorted(set(keys)), 900):
        for row in rows_by_keys(connection, table, key_name, names, chunk):
            found[row[key_name]] = row
    return found


@lru_cache(maxsize=64)
def _selected(kind_name: str, columns: tuple[str, ...] | None) -> tuple[str, ...]:
    """The key, then ``columns`` (every column when None), each once; an unknown column is a KeyError."""
    table = kind_of(kind_name).model.__table__
    key_name = key_of(kind_name)
    if columns is None:
        return tuple(c.name for c in table.c)
    return (key_name, *(table.c[c].name for c in columns if c != key_name))


def create_record(session: Session, kind_name: str, raw: Mapping[str, object],
                  direct: Mapping[str, object] | None = None) -> dict[str, Any]:
    """Insert one record; RecordConflict when its key exists, RecordInvalid when a field is unusable."""
    key = raw.get(key_of(kind_name))
    if isinstance(key, str) and get_record(session, kind_name, key.strip()) is not None:
        raise RecordConflict(f"{key_of(kind_name)} {key.strip()!r} already exists; update it instead")
    return _write(session, kind_name, raw, direct or {})


def update_record(session: Session, kind_name: str, key: str, changes: Mapping[str, object],
                  direct: Mapping[str, object] | None = None) -> dict[str, Any]:
    """Change some raw fields of a stored record; RecordNotFound when there is none with this key."""
    stored = get_record(session, kind_name, key)
    if stored is None:
        raise RecordNotFound(singular(kind_name), key)
    # The stored updated_at is our own write stamp, not the source's: the upsert stamps a new one.
    raw = {field: stored[field] for field in raw_fields(kind_name) if field in stored and field != "updated_at"}
    raw.update({field: value for field, value in changes.items() if field != key_of(kind_name)})
    return _write(session, kind_name, raw, direct or {})


def _write(session: Session, kind_name: str, raw: Mapping[str, object],
           direct: Mapping[str, object]) -> dict[str, Any]:
    kind = kind_of(kind_name)
    unknown = set(direct) - DIRECT_COLUMNS[kind_name]
    if unknown:
        raise ValueError(f"{kind_name} cannot set {sorted(unknown)} directly")
    checked = kind.check_row(raw)
    issues = [*checked.issues, *_direct_issues(session, direct)]
    if issues:
        raise RecordInvalid(issues)
    if kind.model is Employer:
        _refuse_taken_name(session, checked.values)
    upsert_records(session, kind, [checked.values])
    key = str(checked.values[kind.key[0]])
    if direct:
        key_column = kind.model.__table__.c[kind.key[0]]
        session.execute(update(kind.model).where(key_column == key).values(**direct))
        if kind.model in CHANGE_KIND:  # consent or a link may change while every raw field stays the same
            record_changes(session, CHANGE_KIND[kind.model], [key])
    session.flush()
    return get_record(session, kind_name, key)  # type: ignore[return-value]


def _refuse_taken_name(session: Session, employer: Mapping[str, object]) -> None:
    """An employer's name is how catalogues name it: two employers may not share one."""
    holder = session.scalar(select(Employer.employer_id).where(Employer.name == employer.get("name"),
                                                              Employer.employer_id != employer["employer_id"]))
    if holder is not None:
        raise RecordConflict(f"another employer ({holder}) already has the name {employer.get('name')!r}; "
                             "employer names must be unique (企业名称不能重复)")


def _direct_issues(session: Session, direct: Mapping[str, object]) -> list[RecordIssue]:
    references = {"workstation_id": Workstation.workstation_id, "employer_id": Employer.employer_id}
    issues = []
    for column, target in references.items():
        value = direct.get(column)
        if value is not None and not existing_ids(session, target, [str(value)]):
            issues.append(RecordIssue(column, str(value), f"the {column} of an existing record"))
    consented = [str(e) for e in direct.get("consented_employer_ids") or ()]  # type: ignore[union-attr]
    known = existing_ids(session, Employer.employer_id, consented)
    issues.extend(RecordIssue("consented_employer_ids", e, "the employer_id of an existing employer")
                  for e in consented if e not in known)
    return issues


def delete_record(session: Session, kind_name: str, key: str) -> None:
    """Delete one record; RecordNotFound when absent.

    A talent or job takes its events with it (deleting a person's profile erases their history) and
    unbinds any seeker account. An employer or workstation others still point at is refused.
    """
    kind = kind_of(kind_name)
    row = session.get(kind.model, key)
    if row is None:
        raise RecordNotFound(singular(kind_name), key)
    if kind.model is Talent:
        session.execute(delete(Event).where(Event.talent_id == key))
        session.execute(update(User).where(User.talent_id == key).values(talent_id=None))
        record_changes(session, "talent", [key])
    elif kind.model is Job:
        session.execute(delete(Event).where(Event.job_id == key))
        record_changes(session, "job", [key])
    else:
        _refuse_if_referenced(session, kind_name, key)
    session.delete(row)
    session.flush()


def _refuse_if_referenced(session: Session, kind_name: str, key: str) -> None:
    if kind_name == "employers":
        referrers = {"jobs": Job.employer_id, "users": User.employer_id}
    else:
        referrers = {"talents": Talent.workstation_id, "users": User.workstation_id}
    counts = {name: session.scalar(select(func.count()).where(column == key)) for name, column in referrers.items()}
    held = {name: count for name, count in counts.items() if count}
    if held:
        listed = ", ".join(f"{count} {name}" for name, count in held.items())
        raise RecordConflict(f"{key_of(kind_name)} {key!r} is still used by {listed}; reassign or delete them first")
