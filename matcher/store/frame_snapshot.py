"""Columnar snapshots of the talent and job frames beside the indexes, reused while the database is unchanged.

Reading a million talents through SQLAlchemy builds a Python row, then a JSON decode per list column, per
talent; a Parquet file of the same frame is read a column at a time. A snapshot records what it was read
from in the file's own metadata (one file, replaced atomically): the change log's latest seq, read before
the rows were, the row count and newest ``updated_at``, the schema revision and the frame's columns. Every
write to talents and jobs adds a change-log entry in its own transaction (matcher.store.changes), so an
unchanged seq with the same count and newest stamp means the rows are the ones saved.

A snapshot older than the log is caught up rather than thrown away: the rows the log names since its seq are
read again (those gone are dropped), the rest kept, in the database's own id order (its collation, which may
not be Python's), and the result must have the database's ids, count and newest stamp. A job fair writes all
day, so this is the usual open, and reading every row through SQLAlchemy again costs far more time and memory. The
whole frame is read again when the log was pruned past the snapshot, when the schema or columns changed,
when more than a quarter of the rows (and 5,000) changed, or when the check fails.
"""
from __future__ import annotations

import json
import logging
import os
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from sqlalchemy import Engine, func, select

from matcher.store.changes import changes_since, latest_seq, oldest_seq
from matcher.store.db import current_revision
from matcher.store.frames import JOB_COLUMNS, TALENT_COLUMNS, load_jobs, load_talents, stored_ids
from matcher.store.models import Job, Talent

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1
MANIFEST_KEY = b"matcher.frame_snapshot"
JSON_COLUMNS = frozenset({"intent_city_codes", "certificates_norm", "skills_norm", "major_occupations",
                          "consented_employer_ids"})
"""Columns stored as JSON in the database (lists, lists of dicts): kept as JSON text in the snapshot, so they
come back as the same Python lists, dicts and None the database read gives."""
SIDES: dict[str, tuple[type, Sequence[str], Callable[..., pd.DataFrame]]] = {
    "talent": (Talent, TALENT_COLUMNS, lambda engine, ids=None: load_talents(engine, talent_ids=ids)),
    "job": (Job, JOB_COLUMNS, lambda engine, ids=None: load_jobs(engine, job_ids=ids)),
}
ID_COLUMNS = {"talent": "talent_id", "job": "job_id"}
CATCH_UP_SHARE = 0.25
CATCH_UP_ROWS = 5000
"""Above this share of the rows, and this many, named by the log since the snapshot, the whole frame is read
instead of the rows named."""
REREAD_CHUNK = 5000
"""Ids per query when the changed rows are read again (bounds the IN list)."""
FILE_NAMES = {"talent": "talents.parquet", "job": "jobs.parquet"}
FRAMES_DIR = "frames"
"""Under the index directory: the snapshots' directory."""


def load_frame(engine: Engine, side: str, directory: Path | None, reread: bool = False) -> pd.DataFrame:
    """``load_talents(engine)`` (side 'talent') or ``load_jobs(engine)`` ('job'), from the snapshot in
    ``directory`` when it is current, else from the database (then saved there). None: the database only.
    ``reread``: from the database and saved, whatever the snapshot (``matcher index rebuild``: rows edited
    by plain SQL, outside matcher and its change log, are then seen)."""
    model, columns, load = SIDES[side]
    if directory is None:
        return load(engine)
    state = database_state(engine, model, columns)
    path = Path(directory) / FILE_NAMES[side]
    if not reread:
        saved = read_snapshot(path, state)
        if saved is not None:
            return saved
        table = caught_up(engine, side, path, state)
        if table is not None:
            _save(path, table, side)
            return frame_of(table)
    frame = load(engine)
    _save(path, _with_state(_as_table(frame, None), state), side)
    return frame


def _save(path: Path, table: pa.Table, side: str) -> None:
    try:
        write_table(path, table)
    except OSError as error:  # a read-only or full disk costs the next open time, not this one its data
        logger.warning("could not save the %s frame snapshot at %s: %s", side, path, error)


def _with_state(table: pa.Table, state: dict) -> pa.Table:
    """``table`` recording in its metadata the database ``state`` it holds."""
    return table.replace_schema_metadata({**(table.schema.metadata or {}), MANIFEST_KEY: json.dumps(state)})


def database_state(engine: Engine, model: type, columns: Sequence[str]) -> dict:
    """What a snapshot must match: change-log seq, row count, newest stamp, schema revision, columns."""
    with engine.connect() as connection:
        seq = latest_seq(connection)  # first: a write after this makes the seq newer than the saved one
        count, newest = connection.execute(select(func.count(), func.max(model.updated_at))).one()
        revision = current_revision(connection)
    return {"format_version": FORMAT_VERSION, "change_seq": int(seq), "rows": int(count),
            "newest_updated_at": None if newest is None else str(newest), "schema_revision": revision,
            "columns": list(columns)}


def read_snapshot(path: Path, state: dict) -> pd.DataFrame | None:
    """The saved frame when its recorded state is ``state``; None when absent, stale or unreadable."""
    if not path.is_file():
        return None
    try:
        if saved_state(path) != state:
            logger.info("frame snapshot %s is stale (the database changed since it was saved)", path)
            return None
        return frame_of(pq.read_table(path))
    except (OSError, ValueError, pa.ArrowException) as error:
        logger.warning("frame snapshot %s cannot be read (%s); reading the database", path, error)
        return None


def saved_state(path: Path) -> dict:
    """The database state a snapshot file records ({} when it records none)."""
    return json.loads((pq.read_schema(path).metadata or {}).get(MANIFEST_KEY, b"{}"))


def frame_of(table: pa.Table) -> pd.DataFrame:
    """A snapshot's table as the frame the database read gives (JSON texts decoded)."""
    frame = table.to_pandas()
    for column in JSON_COLUMNS & set(frame.columns):
        frame[column] = decoded(frame[column].to_numpy(dtype=object))
    return frame


def caught_up(engine: Engine, side: str, path: Path, state: dict) -> pa.Table | None:
    """The snapshot at ``path`` brought up to ``state`` by reading again only the rows the change log names
    since it was saved, with ``state`` in its metadata; None when it cannot be (absent, unreadable, another
    format, schema or columns, a log pruned past it, too many changes, or a result that is not the
    database's). Entries newer than ``state`` may be read too: their rows are then newer than the recorded
    seq, and the next open reads them again, which is harmless."""
    changed = _changed_since_saved(engine, side, path, state)
    if changed is None:
        return None
    try:
        table = pq.read_table(path)
        fresh = [SIDES[side][2](engine, changed[i:i + REREAD_CHUNK]) for i in range(0, len(changed), REREAD_CHUNK)]
        combined = pa.concat_tables([table, *(_as_table(rows, table.schema) for rows in fresh)])  # no copy
    except (OSError, ValueError, TypeError, pa.ArrowException) as error:
        logger.info("frame snapshot %s cannot be caught up (%s); reading the database", path, error)
        return None
    ids = combined[ID_COLUMNS[side]].to_numpy()
    stale = np.zeros(len(ids), dtype=bool)  # saved rows the log names: their fresh rows (or none) replace them
    stale[:table.num_rows] = pd.Index(ids[:table.num_rows]).isin(changed)
    held = np.flatnonzero(~stale)
    held_ids = pd.Index(ids[held])
    order = held_ids.get_indexer(stored_ids(engine, side)) if held_ids.is_unique else np.array([-1])
    if len(order) != len(held) or (order < 0).any() or len(order) != state["rows"]:
        logger.info("frame snapshot %s does not catch up with the database's rows; reading it", path)
        return None
    merged = combined.take(pa.array(held[order]))  # one copy, in the database's order
    newest = pc.max(merged["updated_at"]).as_py() if "updated_at" in merged.column_names else None
    if (None if newest is None else str(newest)) != state["newest_updated_at"]:
        return None
    logger.info("frame snapshot %s caught up: %d rows read again", path, len(changed))
    return _with_state(merged, state)


def _changed_since_saved(engine: Engine, side: str, path: Path, state: dict) -> list[str] | None:
    """The ids of ``side`` the change log names since the snapshot at ``path`` was saved; None when the snapshot
    cannot be caught up from them (see :func:`caught_up`)."""
    if not path.is_file():
        return None
    try:
        saved = saved_state(path)
    except (OSError, ValueError, pa.ArrowException):
        return None
    same = ("format_version", "schema_revision", "columns")
    if any(saved.get(key) != state[key] for key in same) or not isinstance(saved.get("change_seq"), int):
        return None
    since = saved["change_seq"]
    if since >= state["change_seq"]:
        return None  # no entry since, yet the count or stamp moved: written outside the log
    with engine.connect() as connection:
        if oldest_seq(connection) > since + 1:
            logger.info("frame snapshot %s predates the change log's oldest entry; reading the database", path)
            return None
        changed = sorted({e.entity_id for e in changes_since(connection, since) if e.kind == side and e.entity_id})
    return None if len(changed) > max(CATCH_UP_SHARE * (saved.get("rows") or 0), CATCH_UP_ROWS) else changed


def _as_table(frame: pd.DataFrame, schema: pa.Schema | None) -> pa.Table:
    """Database rows in a snapshot's schema (its JSON columns as text)."""
    stored = frame.copy(deep=False)
    for column in JSON_COLUMNS & set(stored.columns):
        stored[column] = [json.dumps(value, ensure_ascii=False) for value in stored[column].tolist()]
    return pa.Table.from_pandas(stored, schema=schema, preserve_index=False)


def decoded(texts: np.ndarray) -> list:
    """Each JSON text decoded into objects of its row's own. A pool repeats few texts (``[]``, a major's
    occupations, common certificates): each distinct text is decoded once and copied per row, the copies as
    deep as the values go (None, or lists of scalars and dicts of scalars); other shapes are decoded row by row."""
    codes, distinct = pd.factorize(texts)
    if (codes < 0).any():
        return [json.loads(text) for text in texts]  # not a snapshot's text: let json say what is wrong
    values = [json.loads(text) for text in distinct]
    if not all(value is None or (type(value) is list and all(map(_flat, value))) for value in values):
        return [json.loads(text) for text in texts]
    return [None if (value := values[code]) is None else [dict(x) if type(x) is dict else x for x in value]
            for code in codes.tolist()]


SCALARS = frozenset({str, int, float, bool, type(None)})


def _flat(item: object) -> bool:
    """A scalar, or a dict of scalars: copied whole by ``dict(item)``."""
    return type(item) in SCALARS or (type(item) is dict and all(type(x) in SCALARS for x in item.values()))


def write_table(path: Path, table: pa.Table) -> None:
    """``table`` written beside ``path`` and moved into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.tmp-{uuid.uuid4().hex[:12]}")
    try:
        pq.write_table(table, staging)
        os.replace(staging, path)
    finally:
        staging.unlink(missing_ok=True)
