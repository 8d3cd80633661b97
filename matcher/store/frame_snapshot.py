"""Columnar snapshots of the talent and job frames beside the indexes, reused while the database is unchanged.

Reading a million talents through SQLAlchemy builds a Python row, then a JSON decode per list column, per
talent; a Parquet file of the same frame is read a column at a time. A snapshot records what it was read
from in the file's own metadata (one file, replaced atomically): the change log's latest seq, read before
the rows were, the row count and newest ``updated_at``, the schema revision and the frame's columns. Every
write to talents and jobs adds a change-log entry in its own transaction (matcher.store.changes), so an
unchanged seq with the same count and newest stamp means the rows are the ones saved; anything else and
the frame is read from the database again and the snapshot rewritten.
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
import pyarrow.parquet as pq
from sqlalchemy import Engine, func, select

from matcher.store.changes import latest_seq
from matcher.store.db import current_revision
from matcher.store.frames import JOB_COLUMNS, TALENT_COLUMNS, load_jobs, load_talents
from matcher.store.models import Job, Talent

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1
MANIFEST_KEY = b"matcher.frame_snapshot"
JSON_COLUMNS = frozenset({"intent_city_codes", "certificates_norm", "skills_norm", "major_occupations",
                          "consented_employer_ids"})
"""Columns stored as JSON in the database (lists, lists of dicts): kept as JSON text in the snapshot, so they
come back as the same Python lists, dicts and None the database read gives."""
SIDES: dict[str, tuple[type, Sequence[str], Callable[[Engine], pd.DataFrame]]] = {
    "talent": (Talent, TALENT_COLUMNS, lambda engine: load_talents(engine)),
    "job": (Job, JOB_COLUMNS, lambda engine: load_jobs(engine)),
}
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
    saved = None if reread else read_snapshot(path, state)
    if saved is not None:
        return saved
    frame = load(engine)
    try:
        write_snapshot(path, frame, state)
    except OSError as error:  # a read-only or full disk costs the next open time, not this one its data
        logger.warning("could not save the %s frame snapshot at %s: %s", side, path, error)
    return frame


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
        schema = pq.read_schema(path)
        saved = json.loads((schema.metadata or {}).get(MANIFEST_KEY, b"{}"))
        if saved != state:
            logger.info("frame snapshot %s is stale (the database changed since it was saved)", path)
            return None
        frame = pq.read_table(path).to_pandas()
    except (OSError, ValueError, pa.ArrowException) as error:
        logger.warning("frame snapshot %s cannot be read (%s); reading the database", path, error)
        return None
    for column in JSON_COLUMNS & set(frame.columns):
        frame[column] = decoded(frame[column].to_numpy(dtype=object))
    return frame


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


def write_snapshot(path: Path, frame: pd.DataFrame, state: dict) -> None:
    """``frame`` as Parquet with ``state`` in its metadata, written beside and moved into place."""
    stored = frame.copy(deep=False)
    for column in JSON_COLUMNS & set(stored.columns):
        stored[column] = [json.dumps(value, ensure_ascii=False) for value in stored[column].tolist()]
    table = pa.Table.from_pandas(stored, preserve_index=False)
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), MANIFEST_KEY: json.dumps(state)})
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.tmp-{uuid.uuid4().hex[:12]}")
    try:
        pq.write_table(table, staging)
        os.replace(staging, path)
    finally:
        staging.unlink(missing_ok=True)
