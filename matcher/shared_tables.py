"""A side's rendered texts and encoded profiles saved beside the indexes and mapped by every process that opens it.

Both are derived from the side's rows at open: rendering and encoding them in each API worker costs each its
own private copy. Saved once (by the first process to open the pool, under the pools lock) into
``<index dir>/shared/<talents|jobs>/`` and mapped copy-on-write (:mod:`matcher.index.mapped`), their pages are
shared by all workers. The directory's manifest records what the files were made from (the rows' data
snapshot, the reference year ages count from, the code that renders and encodes); when any of it differs the
files are made again and replaced atomically, so a stale file is never used. When only rows differ, their row
stamps (:mod:`matcher.retrieve.row_stamps`) say which: those are rendered and encoded, the rest are copied
from the saved files, and the result replaces them as a whole does.
"""
from __future__ import annotations

import dataclasses
import hashlib
import logging
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from matcher.embed import render
from matcher.embed.manifest import MANIFEST_NAME, read_manifest, write_manifest
from matcher.embed.render import RENDERERS
from matcher.index.snapshot import atomic_directory, recover_interrupted_swap, remove_orphaned_staging
from matcher.memory import drop_read_pages
from matcher.rank import encoded, features, fit_columns, profiles
from matcher.rank.encoded import EncodedProfiles, assemble
from matcher.rank.profiles import Profiles
from matcher.rendered_texts import RenderedTexts
from matcher.retrieve.filters import Side
from matcher.retrieve.pools import POOL_DIRS, data_snapshot_id, pools_lock
from matcher.retrieve.row_stamps import add_stamps, has_stamps, load_stamps, row_changes, row_stamps, save_stamps

logger = logging.getLogger(__name__)

SHARED_DIR = "shared"
"""Under the index directory: one directory per side."""
FORMAT_VERSION = 1
ROW_KEYS = ("rows", "data_snapshot_id")
"""What of the manifest says which rows the files hold: when only these differ, the files can be brought up to date."""
DERIVING_MODULES = (render, profiles, encoded, fit_columns, features)
"""The code that turns rows into texts and encoded profiles: a change to any of it makes saved files stale."""


def shared_directory(index_dir: Path, side: Side) -> Path:
    return Path(index_dir) / SHARED_DIR / POOL_DIRS[side]


def fingerprint(frame: pd.DataFrame, side: Side, reference_year: int, snapshot_id: str | None = None) -> dict:
    """What saved files must have been made from to serve ``frame``; ``snapshot_id``: its data snapshot id when
    already known (the pool just opened for it records it), else worked out here."""
    code = hashlib.sha256()
    for module in DERIVING_MODULES:
        code.update(Path(module.__file__).read_bytes())
    return {"kind": "shared_side_tables", "format_version": FORMAT_VERSION, "side": side, "rows": len(frame),
            "data_snapshot_id": snapshot_id or data_snapshot_id(frame, side), "reference_year": int(reference_year),
            "code_sha256": code.hexdigest()[:16]}


def open_shared(index_dir: Path, side: Side, frame: pd.DataFrame, reference_year: int,
                profiles_of: Callable[[pd.DataFrame, EncodedProfiles | None], Profiles], mapped: bool = True,
                rebuild: bool = False, snapshot_id: str | None = None) -> tuple[RenderedTexts, Profiles]:
    """``frame``'s rendered texts and profile table (``profiles_of(rows, encoded)``: the side's profiles of
    ``rows`` with these encoded rows, or made afresh given None), their arrays mapped from the saved files when
    those are current; else brought up to date from them when only some rows changed, or made here; saved and
    then mapped. ``mapped`` False reads them into this process's memory instead;
    ``rebuild`` makes them whatever is saved (as ``Matcher.open(rebuild=True)`` does the pools: rows edited
    outside matcher may keep their ``updated_at``, which the fingerprint reads); ``snapshot_id`` as for
    :func:`fingerprint`."""
    directory = shared_directory(index_dir, side)
    expected = fingerprint(frame, side, reference_year, snapshot_id)
    with pools_lock(index_dir):
        remove_orphaned_staging(directory)
        saved = None if rebuild else _read(directory, expected, frame.index, mapped)
        if saved is not None:
            texts, encoded_rows = saved
            if not has_stamps(directory):  # saved before row stamps were: the next catch-up needs them
                add_stamps(directory, row_stamps(frame, side))
            return texts, profiles_of(frame, encoded_rows)
        stamps = row_stamps(frame, side)
        table = None
        try:
            if rebuild or not _brought_up_to_date(directory, expected, frame, side, stamps, profiles_of):
                logger.info("making the shared %s tables at %s", side, directory)
                texts = _rendered(frame, side)
                table = profiles_of(frame, None)
                _write(directory, expected, stamps, lambda: texts, table.features_table)
        except OSError as error:  # a read-only or full disk costs memory, not the open
            logger.warning("could not save the shared %s tables at %s: %s", side, directory, error)
            if table is None:
                texts, table = _rendered(frame, side), profiles_of(frame, None)
            return texts, table
        saved = _read(directory, expected, frame.index, mapped)
    if saved is None:
        raise RuntimeError(f"{directory}: the shared tables just saved cannot be read back")
    texts, encoded_rows = saved
    if table is None:
        return texts, profiles_of(frame, encoded_rows)
    return texts, dataclasses.replace(table, encoded=encoded_rows)


def _rendered(frame: pd.DataFrame, side: Side) -> RenderedTexts:
    """Every row of ``frame`` rendered, held in this process's memory."""
    return RenderedTexts.of(frame.index, RENDERERS[side](frame) if len(frame) else [])


def _brought_up_to_date(directory: Path, expected: dict, frame: pd.DataFrame, side: Side, stamps: pd.Series,
                        profiles_of: Callable[[pd.DataFrame, EncodedProfiles | None], Profiles]) -> bool:
    """Save the tables of ``frame`` made from the saved ones: rows whose stamps changed rendered and encoded,
    the rest copied from the files. False (nothing written) when the files were made from other code, another
    year or another format, hold no stamps, or too many rows changed."""
    if not (directory / MANIFEST_NAME).is_file():
        return False
    try:
        manifest = read_manifest(directory / MANIFEST_NAME)
        if any(manifest.get(key) != value for key, value in expected.items() if key not in ROW_KEYS):
            return False
        saved_stamps = load_stamps(directory)
        changes = None if saved_stamps is None else row_changes(saved_stamps, stamps)
        if changes is None or not changes.worth_reusing():
            return False
        saved_texts = RenderedTexts.load(directory, saved_stamps.index)
        saved_rows = EncodedProfiles.load(directory)
    except (OSError, ValueError) as error:
        logger.info("shared tables at %s cannot be brought up to date (%s); making them again", directory, error)
        return False
    if len(saved_rows) != len(saved_stamps):
        return False
    changed = changes.changed
    fresh = frame.iloc[changed]
    fresh_texts = _rendered(fresh, side)
    fresh_rows = profiles_of(fresh, None).features_table()
    part = (changes.saved_row < 0).astype(np.int64)  # 0: a saved row, 1: a fresh one
    row = changes.saved_row.copy()
    row[changed] = np.arange(len(changed))
    _write(directory, expected, stamps,  # each made, saved and let go in turn: never both copies at once
           lambda: RenderedTexts.assembled(frame.index, [saved_texts, fresh_texts], part, row),
           lambda: assemble([saved_rows, fresh_rows], part, row))
    logger.info("shared %s tables brought up to date: %d rows made, %d copied", side, len(changed),
                len(frame) - len(changed))
    return True


def _read(directory: Path, expected: dict, ids: pd.Index,
          mapped: bool) -> tuple[RenderedTexts, EncodedProfiles] | None:
    """The saved texts and encoded rows when the manifest is ``expected``; None when absent, stale or unreadable."""
    recover_interrupted_swap(directory)
    if not (directory / MANIFEST_NAME).is_file():
        return None
    try:
        if read_manifest(directory / MANIFEST_NAME) != expected:
            logger.info("shared tables at %s are stale (rows, year or code changed)", directory)
            return None
        texts, encoded_rows = RenderedTexts.load(directory, ids, mapped), EncodedProfiles.load(directory, mapped)
    except (OSError, ValueError) as error:
        logger.warning("shared tables at %s cannot be read (%s); making them again", directory, error)
        return None
    if len(encoded_rows) != len(ids):
        logger.warning("shared tables at %s hold %d rows, not %d; making them again", directory,
                       len(encoded_rows), len(ids))
        return None
    return texts, encoded_rows


def _write(directory: Path, manifest: dict, stamps: pd.Series,
           *parts: Callable[[], RenderedTexts | EncodedProfiles]) -> None:
    """Each of ``parts`` made and saved in turn, with the stamps and manifest, replacing ``directory`` atomically.
    The pages of the files under it that were read to make a part are dropped after each: read once, not kept."""
    with atomic_directory(directory) as staging:
        for make in parts:
            make().save(staging)
            drop_read_pages(directory)
        save_stamps(staging, stamps)
        write_manifest(staging / MANIFEST_NAME, manifest)
