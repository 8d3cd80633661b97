"""Candidate pools on disk: open the saved talent and job pools, or build them from the store's frames.

A pool is reused when its manifests match the encoder and its data snapshot matches the rows it was built
from. When only some rows differ (its row stamps say which: matcher.retrieve.row_stamps), those are encoded
and written into it and it is saved again; otherwise it is rebuilt (encode + index) and saved atomically.
"""
from __future__ import annotations

import hashlib
import logging
import time
from pathlib import Path

import numpy as np
import pandas as pd

from matcher.embed.encoder import Encoder
from matcher.embed.manifest import MANIFEST_NAME, read_manifest
from matcher.embed.render import RENDERERS
from matcher.index.snapshot import IndexMismatchError, remove_orphaned_staging
from matcher.locks import FileLock
from matcher.retrieve.candidates import CandidatePool
from matcher.retrieve.filters import ID_COLUMNS, Side
from matcher.retrieve.row_stamps import add_stamps, has_stamps, row_changes, row_stamps

logger = logging.getLogger(__name__)

POOL_DIRS: dict[Side, str] = {"talent": "talents", "job": "jobs"}
POOLS_LOCK = "pools.lock"
"""In the index directory: held while a process loads, rebuilds or saves a pool. A save swaps the pool's
directory in two renames; a reader or another writer in the gap between them would find no pool, or take
the backup for an interrupted swap and move it back under the writer."""
ENCODE_BATCH = 4096


def data_snapshot_id(frame: pd.DataFrame, side: Side) -> str:
    """sha256 over (id, updated_at) of every row: changes whenever a row is added, edited or removed."""
    ids = frame[ID_COLUMNS[side]].astype(str)
    stamps = frame["updated_at"].astype(str) if "updated_at" in frame else pd.Series("", index=frame.index)
    digest = hashlib.sha256()
    digest.update("\n".join((ids + "\t" + stamps).tolist()).encode())
    return digest.hexdigest()[:16]


def encode_rows(frame: pd.DataFrame, side: Side, encoder: Encoder) -> tuple[list[str], np.ndarray]:
    """Rendered texts and their (n, d) float32 L2-normalised vectors, row for row."""
    texts = RENDERERS[side](frame)
    vectors = encoder.encode(texts, batch_size=ENCODE_BATCH) if texts else np.zeros((0, encoder.dim), np.float32)
    return texts, vectors


def build_pool(side: Side, frame: pd.DataFrame, encoder: Encoder, factory: str | None = None,
               native: bool = True) -> CandidatePool:
    started = time.perf_counter()
    texts, vectors = encode_rows(frame, side, encoder)
    pool = CandidatePool.build(side, frame, vectors, encoder_hash=encoder.manifest_hash, texts=texts,
                               factory=factory, data_snapshot_id=data_snapshot_id(frame, side), native=native)
    logger.info("built %s pool: %d rows in %.1f s", side, len(frame), time.perf_counter() - started)
    return pool


def open_pool(index_dir: Path, side: Side, frame: pd.DataFrame, encoder: Encoder,
              factory: str | None = None, rebuild: bool = False, native: bool = True) -> CandidatePool:
    """The saved pool when it is current for ``frame`` and ``encoder``; else a fresh one, saved. Another
    process saving pools meanwhile is waited for (:func:`pools_lock`). ``native``: ``Settings.native``."""
    with pools_lock(index_dir):
        return _open_pool(Path(index_dir) / POOL_DIRS[side], side, frame, encoder, factory, rebuild, native)


def pools_lock(index_dir: Path) -> FileLock:
    """The lock between processes that every load and save of a pool under ``index_dir`` holds."""
    return FileLock(Path(index_dir) / POOLS_LOCK)


def _open_pool(directory: Path, side: Side, frame: pd.DataFrame, encoder: Encoder, factory: str | None,
               rebuild: bool, native: bool) -> CandidatePool:
    remove_orphaned_staging(directory)  # under pools_lock: no other save of this pool is under way
    if directory.exists() and not rebuild:
        try:
            pool = CandidatePool.load(directory, side, encoder.manifest_hash, encoder.dim, native=native)
            if pool.dense.data_snapshot_id == data_snapshot_id(frame, side):
                if not has_stamps(directory):  # saved before pools kept row stamps: the next catch-up needs them
                    pool.stamps = row_stamps(frame, side)
                    add_stamps(directory, pool.stamps)
                return pool
            if _caught_up(pool, frame, encoder):
                pool.save(directory)
                # read back: the updated parts are this process's own copies, the saved files' maps are shared;
                # the old pool goes first, so the two are never held together
                del pool
                return CandidatePool.load(directory, side, encoder.manifest_hash, encoder.dim, native=native)
            logger.info("%s pool at %s is stale (data changed); rebuilding", side, directory)
        except (IndexMismatchError, FileNotFoundError) as exc:
            logger.warning("%s pool at %s cannot be used (%s); rebuilding", side, directory, exc)
    pool = build_pool(side, frame, encoder, factory, native)
    pool.save(directory)
    return pool


def _caught_up(pool: CandidatePool, frame: pd.DataFrame, encoder: Encoder) -> bool:
    """Bring a stale ``pool`` up to ``frame`` by encoding only the rows its stamps show changed and deleting
    the rows gone; False when it has no stamps, so many rows changed that a rebuild is due, or it turns out to
    hold rows its stamps did not name (then it is left changed, for the caller to build afresh)."""
    stamps = row_stamps(frame, pool.side)
    changes = None if pool.stamps is None else row_changes(pool.stamps, stamps)
    if changes is None or not changes.worth_reusing():
        return False
    started = time.perf_counter()
    held = pool.metadata.index
    gone = [i for i in changes.gone if i in held]
    if gone:
        pool.delete(gone)
    rows = frame.iloc[changes.changed]
    if len(rows):
        texts, vectors = encode_rows(rows, pool.side, encoder)
        pool.upsert(rows, vectors, texts)
    if len(pool) != len(frame):  # the pool held rows its stamps did not name: make it again
        return False
    mark_current(pool, frame, stamps)
    logger.info("%s pool caught up: %d rows encoded, %d deleted in %.1f s", pool.side, len(rows), len(gone),
                time.perf_counter() - started)
    return True


def mark_current(pool: CandidatePool, frame: pd.DataFrame, stamps: pd.Series | None = None) -> None:
    """After incremental updates, record the snapshot the pool now reflects, so a reopen reuses it; ``stamps``:
    ``frame``'s row stamps when already worked out."""
    snapshot = data_snapshot_id(frame, pool.side)
    pool.dense.data_snapshot_id = snapshot
    pool.sparse.data_snapshot_id = snapshot
    pool.stamps = row_stamps(frame, pool.side) if stamps is None else stamps


def pool_status(index_dir: Path) -> dict[str, dict]:
    """What is saved for each side: counts, factory, tombstones, snapshot, build time (from the manifests)."""
    status: dict[str, dict] = {}
    for side, name in POOL_DIRS.items():
        dense = Path(index_dir) / name / "dense" / MANIFEST_NAME
        sparse = Path(index_dir) / name / "sparse" / MANIFEST_NAME
        if not dense.exists():
            status[side] = {"saved": False}
            continue
        d, s = read_manifest(dense), read_manifest(sparse)
        status[side] = {"saved": True, "count": d["count"], "factory": d["factory"], "dim": d["dim"],
                        "tombstones": d["tombstones"], "data_snapshot_id": d["data_snapshot_id"],
                        "encoder_manifest_hash": d["encoder_manifest_hash"], "built_at": d["built_at"],
                        "sparse_count": s.get("count")}
    return status
