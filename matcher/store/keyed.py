"""Rows by key, the reads every API request makes: the caller's account, the records shown beside a match list.

On SQLite they go through the driver's own cursor with SQL built once per table, column set and key count.
SQLAlchemy's execution path (statement cache look-up, the expanding IN rendered per call, result metadata,
row objects) runs several times the Python that SQLite's own work needs for a few rows, and between two
matching queries that code is cold, a share of every candidates request (measured by scripts/bench_api.py).
Each column's own result processor is applied (JSON decoded, booleans and dates converted), so the rows equal
SQLAlchemy's.
Other databases go through SQLAlchemy Core, whose driver and parameter style this module does not assume.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Select, Table, bindparam, select
from sqlalchemy.engine import Dialect

DRIVER_DIALECTS = frozenset({"sqlite"})
"""Dialects read through the driver's cursor (qmark parameters); the rest through SQLAlchemy Core."""


@dataclass(frozen=True)
class _Plan:
    names: tuple[str, ...]
    sql_head: str
    """``SELECT ... FROM ... WHERE key IN `` for the driver; the placeholders follow per call."""
    processed: tuple[tuple[str, Callable[[Any], Any] | None], ...] | None
    """Each column's name and result processor (None: the driver's value as it is); None when no column has one."""
    statement: Select
    """The same read for SQLAlchemy Core (an expanding ``keys`` parameter)."""


def rows_by_keys(connection: Connection, table: Table, key: str, columns: Sequence[str],
                 keys: Sequence[object]) -> list[dict[str, Any]]:
    """``columns`` of the rows of ``table`` whose ``key`` is in ``keys`` (at most a few hundred), as dicts;
    unknown keys are left out, order is the database's. Runs in ``connection``'s transaction."""
    if not keys:
        return []
    plan = _plan(table, key, tuple(columns), connection.dialect)
    if connection.dialect.name not in DRIVER_DIALECTS:
        return [dict(row) for row in connection.execute(plan.statement, {"keys": list(keys)}).mappings()]
    cursor = connection.connection.cursor()
    try:
        cursor.execute(f"{plan.sql_head}({', '.join('?' * len(keys))})", tuple(keys))
        rows = cursor.fetchall()
    finally:
        cursor.close()
    if plan.processed is None:
        return [dict(zip(plan.names, row, strict=True)) for row in rows]
    return [{name: value if process is None else process(value)
             for (name, process), value in zip(plan.processed, row, strict=True)} for row in rows]


@lru_cache(maxsize=128)
def _plan(table: Table, key: str, columns: tuple[str, ...], dialect: Dialect) -> _Plan:
    selected = [table.c[name] for name in columns]
    preparer = dialect.identifier_preparer
    head = (f"SELECT {', '.join(preparer.quote(c.name) for c in selected)} FROM {preparer.format_table(table)}"
            f" WHERE {preparer.quote(table.c[key].name)} IN ")
    statement = select(*selected).where(table.c[key].in_(bindparam("keys", expanding=True)))
    if dialect.name not in DRIVER_DIALECTS:  # read through Core, which applies the processors itself
        return _Plan(columns, head, None, statement)
    # Processors are asked for with the column's type as the driver reports it; some types (PostgreSQL's
    # Float) need that and cannot answer for None, which is why only the driver path asks.
    processors = tuple(c.type.dialect_impl(dialect).result_processor(dialect, None) for c in selected)
    processed = tuple(zip(columns, processors, strict=True)) if any(processors) else None
    return _Plan(columns, head, processed, statement)
