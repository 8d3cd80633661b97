"""Row stamps: a 64-bit hash of each row's id and ``updated_at``, saved beside what was made from the rows.

A pool, or the texts and encoded profiles saved beside it, is made from one version of the rows; its data
snapshot id says only whether that version is the current one. Its row stamps say which rows differ: a row
whose (id, stamp) pair is not among the saved ones was added or written since, a saved id the rows no longer
hold was deleted. What was made from the rest is reused, so opening a million rows after a day's writes
re-encodes the few written rows instead of all of them. Stamps are read from the rows, not from the change
log, so a write by plain SQL that sets ``updated_at`` is seen too; one that does not is not (as for the data
snapshot id, and ``matcher index rebuild`` is the way to make everything again).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from matcher.retrieve.filters import ID_COLUMNS, Side

logger = logging.getLogger(__name__)

STAMPS_FILE = "row_stamps.parquet"
REUSE_SHARE = 0.25
"""Above this share of the rows changed (and a few thousand), making everything again costs little more."""
REUSE_ROWS = 5000


def row_stamps(frame: pd.DataFrame, side: Side) -> pd.Series:
    """uint64 per row, indexed by id (as a string), from the id and ``updated_at``: a time as nanoseconds, so
    neither its unit nor how the rest of the column prints (dates alone while every time is midnight) counts."""
    ids = frame[ID_COLUMNS[side]].astype(str).to_numpy()
    at = frame["updated_at"] if "updated_at" in frame else pd.Series("", index=frame.index)
    if pd.api.types.is_datetime64_any_dtype(at):
        stamps = at.astype("datetime64[ns]").to_numpy().view(np.int64)
    else:
        stamps = at.astype(str).to_numpy()
    hashed = pd.util.hash_pandas_object(pd.DataFrame({"id": ids, "at": stamps}), index=False)
    return pd.Series(hashed.to_numpy(dtype=np.uint64), index=pd.Index(ids, dtype=object))


def save_stamps(directory: Path, stamps: pd.Series) -> None:
    table = pa.table({"id": pa.array(stamps.index.to_numpy(), pa.string()),
                      "stamp": pa.array(stamps.to_numpy(dtype=np.uint64), pa.uint64())})
    pq.write_table(table, Path(directory) / STAMPS_FILE)


def add_stamps(directory: Path, stamps: pd.Series) -> None:
    """Stamps added beside files saved before stamps were kept; a disk that refuses costs the next stale open
    a full remake, not this one."""
    try:
        save_stamps(directory, stamps)
    except OSError as error:
        logger.warning("could not save row stamps in %s: %s", directory, error)


def has_stamps(directory: Path) -> bool:
    return (Path(directory) / STAMPS_FILE).is_file()


def load_stamps(directory: Path) -> pd.Series | None:
    """The saved stamps; None when there are none (made before stamps were saved) or they cannot be read."""
    path = Path(directory) / STAMPS_FILE
    if not path.is_file():
        return None
    try:
        table = pq.read_table(path)
        return pd.Series(table["stamp"].to_numpy(), index=pd.Index(table["id"].to_pandas(), dtype=object))
    except (OSError, KeyError, pa.ArrowException):
        return None


@dataclass(frozen=True)
class RowChanges:
    """How the current rows differ from the saved ones."""

    saved_row: np.ndarray
    """For each current row, its row among the saved ones when unchanged, else -1."""
    gone: list[str]
    """Saved ids the current rows no longer hold."""

    @property
    def changed(self) -> np.ndarray:
        """Positions of the current rows added or written since."""
        return np.flatnonzero(self.saved_row < 0)

    def worth_reusing(self) -> bool:
        """Few enough changes that updating what was saved beats making it again."""
        changes = len(self.changed) + len(self.gone)
        return changes <= max(REUSE_SHARE * len(self.saved_row), REUSE_ROWS)


def row_changes(saved: pd.Series, current: pd.Series) -> RowChanges | None:
    """Saved stamps against current ones (each indexed by id); None when either holds an id twice."""
    if not (saved.index.is_unique and current.index.is_unique):
        return None
    rows = saved.index.get_indexer(current.index)
    found = rows >= 0
    same = np.zeros(len(current), dtype=bool)
    same[found] = saved.to_numpy()[rows[found]] == current.to_numpy()[found]
    gone = saved.index[~saved.index.isin(current.index)]
    return RowChanges(np.where(same, rows, -1), [str(i) for i in gone])
