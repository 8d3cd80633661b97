"""The change log: talents and jobs written or deleted, and ranker activations, numbered in commit order.

Writers add entries inside the transaction that changes the data, so a rolled-back write leaves none
and a committed one is never without its entry. Serving processes read the entries after the last
one they applied (matcher.follower) and refresh exactly those records.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, delete, func, insert, select, text
from sqlalchemy.orm import Session

from matcher.store.models import CHANGE_KINDS, Change, utcnow

Source = Engine | Connection | Session
WRITE_CHUNK = 5000


@dataclass(frozen=True)
class ChangeEntry:
    seq: int
    kind: str
    """'talent', 'job' or 'rankers'."""
    entity_id: str | None
    """The talent_id or job_id; None for 'rankers'."""


def record_changes(target: Session | Connection, kind: str, ids: Iterable[str] = ()) -> int:
    """Add entries for ``ids`` (one entry without an id for 'rankers') in ``target``'s open transaction.

    Returns the number of entries added; the caller commits.
    """
    if kind not in CHANGE_KINDS:
        raise ValueError(f"change kind {kind!r} is not one of {', '.join(CHANGE_KINDS)}")
    now = utcnow()
    entity_ids: list[str | None] = [None] if kind == "rankers" else sorted({str(i) for i in ids})
    if not entity_ids:
        return 0
    _serialise_writers(target)
    rows = [{"kind": kind, "entity_id": entity_id, "changed_at": now} for entity_id in entity_ids]
    for start in range(0, len(rows), WRITE_CHUNK):
        target.execute(insert(Change), rows[start:start + WRITE_CHUNK])
    return len(rows)


def _serialise_writers(target: Session | Connection) -> None:
    """PostgreSQL hands out seqs at insert but makes them visible at commit, so a follower could pass over
    a seq still uncommitted; holding this lock to commit makes seq order commit order. SQLite already
    runs one write transaction at a time. The mode lets plain reads through."""
    dialect = target.dialect if isinstance(target, Connection) else target.get_bind().dialect
    if dialect.name == "postgresql":
        target.execute(text("LOCK TABLE changes IN SHARE ROW EXCLUSIVE MODE"))


def record_ranker_activation(engine: Engine) -> None:
    """A new ranker was activated (rankers live in files, not rows): one entry in its own transaction."""
    with engine.begin() as connection:
        record_changes(connection, "rankers")


def latest_seq(source: Source) -> int:
    """The newest entry's seq (0 for an empty log): one lookup at the end of the primary key.

    Given an engine it asks through a bare pooled DBAPI cursor: it runs before every matching request,
    and SQLAlchemy's connection and result layers would multiply its cost (measured by scripts/bench_api.py).
    """
    if isinstance(source, Engine):
        connection = source.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute(_LATEST_SEQ_SQL)
            (seq,) = cursor.fetchone()
            cursor.close()
        finally:
            connection.close()  # back to the pool, its transaction (if the driver opened one) rolled back
        return int(seq or 0)
    return int(source.execute(select(func.coalesce(func.max(Change.seq), 0))).scalar_one())


_LATEST_SEQ_SQL = f"SELECT max(seq) FROM {Change.__tablename__}"


def oldest_seq(source: Source) -> int:
    """The oldest entry's seq (0 for an empty log); entries before it were pruned (or never committed)."""
    with _reading(source) as reader:
        return int(reader.execute(select(func.coalesce(func.min(Change.seq), 0))).scalar_one())


def prune_changes(engine: Engine, before: datetime) -> int:
    """Delete the entries committed before ``before`` (naive UTC), always keeping the newest one, so the
    log's latest seq never goes back; returns how many were deleted. A process whose next entries were
    deleted before it applied them notices and re-reads every record (matcher.follower)."""
    with engine.begin() as connection:
        _serialise_writers(connection)
        newest = latest_seq(connection)
        deleted = connection.execute(delete(Change).where(Change.changed_at < before, Change.seq < newest))
    return int(deleted.rowcount or 0)


def changes_since(source: Source, seq: int, limit: int | None = None) -> list[ChangeEntry]:
    """Entries after ``seq``, oldest first (at most ``limit``)."""
    query = select(Change.seq, Change.kind, Change.entity_id).where(Change.seq > seq).order_by(Change.seq)
    if limit is not None:
        query = query.limit(limit)
    with _reading(source) as reader:
        return [ChangeEntry(int(s), k, e) for s, k, e in reader.execute(query)]


@contextmanager
def _reading(source: Source) -> Iterator[Connection | Session]:
    if isinstance(source, Engine):
        with source.connect() as connection:
            yield connection
    else:
        yield source
