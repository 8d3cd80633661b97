"""Writes validated records by key: inserts new rows, updates changed ones, leaves identical rows alone.

Portable on purpose: one SELECT of the keys present, then executemany INSERT and UPDATE, so the same
code runs on SQLite and PostgreSQL and can tell 'updated' from 'unchanged' (ON CONFLICT cannot).
Only the columns the file carries are compared and written: a sheet without 身份证号 keeps stored IDs.
Every talent or job inserted, changed or linked to its employer or workstation gets a change-log entry
in the same transaction, so serving processes refresh exactly those (unchanged rows get none).

Organisations are identified by id. A sheet that names a position's employer (as catalogues do) links a
new or unlinked position to the one employer of that name; a position already linked keeps its employer
whatever the sheet calls it, and a name shared by several employers links nothing. So no rename and no
import can move one employer's positions to another: that takes an explicit employer_id.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Insert, Update, bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from matcher.store.changes import record_changes
from matcher.store.models import Employer, Job, Talent, Workstation, utcnow
from matcher.store.validate import LOOKUP_CHUNK, ImportKind, chunked

WRITE_CHUNK = 5000
CHANGE_KIND = {Talent: "talent", Job: "job"}
"""The tables whose rows serving processes hold in memory, by the change-log kind naming them."""


@dataclass(frozen=True)
class UpsertCounts:
    inserted: int
    updated: int
    """Stored rows whose values changed."""
    unchanged: int
    """Stored rows the file matched exactly."""


def upsert_records(session: Session, kind: ImportKind, records: Sequence[dict[str, object]],
                   write: bool = True) -> UpsertCounts:
    """Write ``records`` (normalised, validated, unique by ``kind.key``) inside the caller's transaction.

    ``write=False`` only counts what would be inserted, changed and unchanged (an import's preview)."""
    rows, linked_by_name = _prepared_rows(session, kind, records)
    existing = _existing_rows(session, kind, rows)
    _keep_employer_links(kind, [rows[i] for i in linked_by_name], existing)
    table = kind.model.__table__
    stamped = "updated_at" in table.c
    now = utcnow()
    inserts, updates, unchanged = [], [], 0
    for row in rows:
        old = existing.get(tuple(row[c] for c in kind.key))
        if old is not None and all(old[c] == v for c, v in row.items()):
            unchanged += 1
            continue
        if stamped and "updated_at" not in row:
            row["updated_at"] = now
        if old is None:
            inserts.append(row)
        else:
            updates.append({**row, **{_KEY_PREFIX + c.name: old[c.name] for c in table.primary_key}})
    if not write:
        return UpsertCounts(len(inserts), len(updates), unchanged)
    _write(session, table.insert(), inserts)
    matches_key = [c == bindparam(_KEY_PREFIX + c.name) for c in table.primary_key]
    _write(session, table.update().where(*matches_key), updates)
    if kind.model in CHANGE_KIND:
        record_changes(session, CHANGE_KIND[kind.model], [row[kind.key[0]] for row in (*inserts, *updates)])
    _backfill_links(session, kind, inserts)
    return UpsertCounts(len(inserts), len(updates), unchanged)


_KEY_PREFIX = "key_"


def _write(session: Session, statement: Insert | Update, rows: list[dict[str, object]]) -> None:
    """Core executemany: one statement per group of rows carrying the same columns."""
    groups: dict[tuple[str, ...], list[dict[str, object]]] = {}
    for row in rows:
        groups.setdefault(tuple(row), []).append(row)
    for group in groups.values():
        for chunk in chunked(group, WRITE_CHUNK):
            session.execute(statement, list(chunk))


def _prepared_rows(session: Session, kind: ImportKind,
                   records: Sequence[dict[str, object]]) -> tuple[list[dict], list[int]]:
    """Fresh row dicts with link columns added, and the positions of rows whose employer_id came from a name;
    a blank 更新时间 means 'now', not 'no date'."""
    links = _links_by_name(session, kind, records)
    rows, by_name = [], []
    for record in records:
        row = dict(record)
        if row.get("updated_at", 0) is None:
            del row["updated_at"]
        if kind.model is Job and "employer" in row and row.get("employer_id") is None:
            row["employer_id"] = links.get(str(row["employer"]))
            by_name.append(len(rows))
        elif kind.model is Talent and "workstation" in row:
            row["workstation_id"] = links.get(str(row["workstation"] or ""))
        rows.append(row)
    return rows, by_name


def _keep_employer_links(kind: ImportKind, linked_by_name: list[dict], existing: dict[tuple, dict]) -> None:
    """A stored position's employer_id stands when the row's came from a name (a name never moves it)."""
    for row in linked_by_name:
        old = existing.get(tuple(row[c] for c in kind.key))
        if old is not None and old["employer_id"] is not None:
            row["employer_id"] = old["employer_id"]


def _existing_rows(session: Session, kind: ImportKind, rows: Sequence[dict[str, object]]) -> dict[tuple, dict]:
    """Stored rows for the file's keys, as {key tuple: {column: value}} over the columns the file writes."""
    table = kind.model.__table__
    names = {*kind.key, *(c.name for c in table.primary_key)}.union(*rows)
    ordered = sorted(names)
    columns = [table.c[name] for name in ordered]
    key_positions = [ordered.index(c) for c in kind.key]
    lead = table.c[kind.key[0]]
    found: dict[tuple, dict] = {}
    for chunk in chunked(sorted({row[kind.key[0]] for row in rows}), LOOKUP_CHUNK):
        # Plain tuples zipped into dicts: RowMapping objects are slower (timed by tests/store/test_import_speed.py).
        for values in session.execute(select(*columns).where(lead.in_(chunk))):
            found[tuple(values[i] for i in key_positions)] = dict(zip(ordered, values, strict=True))
    return found


def _links_by_name(session: Session, kind: ImportKind, records: Sequence[dict[str, object]]) -> dict[str, str]:
    """Employer name → employer_id for jobs (names held by one employer only); workstation name or id →
    workstation_id for talents (on duplicate names the smallest id wins, as in _backfill_links)."""
    if kind.model is Job and records and "employer" in records[0]:
        return dict(session.execute(select(Employer.name, func.min(Employer.employer_id))
                                    .group_by(Employer.name).having(func.count() == 1)).all())
    if kind.model is Talent and records and "workstation" in records[0]:
        rows = session.execute(select(Workstation.name, Workstation.workstation_id)
                               .order_by(Workstation.workstation_id.desc())).all()
        return {**{name: ws_id for name, ws_id in rows}, **{ws_id: ws_id for _, ws_id in rows}}
    return {}


def _backfill_links(session: Session, kind: ImportKind, inserted: list[dict[str, object]]) -> None:
    """Jobs and talents imported before their employer or workstation get linked once it arrives.

    Only a newly inserted employer whose name no other employer holds links positions: renaming an
    existing employer never gathers positions that named someone else."""
    if kind.model is Employer:
        employer = select(Employer.employer_id).where(Employer.name == Job.employer).scalar_subquery()
        inserted_names = {str(row["name"]) for row in inserted if row.get("name")}
        for names in chunked(sorted(inserted_names), LOOKUP_CHUNK):
            unique_names = (select(Employer.name).where(Employer.name.in_(names))
                            .group_by(Employer.name).having(func.count() == 1))
            unlinked = (Job.employer_id.is_(None), Job.employer.in_(unique_names))
            record_changes(session, "job", session.scalars(select(Job.job_id).where(*unlinked)))
            session.execute(update(Job).where(*unlinked)
                            .values(employer_id=employer).execution_options(synchronize_session=False))
    elif kind.model is Workstation:
        matches = or_(Workstation.workstation_id == Talent.workstation, Workstation.name == Talent.workstation)
        workstation = (select(Workstation.workstation_id).where(matches)
                       .order_by(Workstation.workstation_id).limit(1).scalar_subquery())
        unlinked = (Talent.workstation_id.is_(None), workstation.is_not(None))
        record_changes(session, "talent", session.scalars(select(Talent.talent_id).where(*unlinked)))
        session.execute(update(Talent).where(*unlinked)
                        .values(workstation_id=workstation).execution_options(synchronize_session=False))
