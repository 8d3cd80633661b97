"""Atomic directory snapshots for saved indexes, and the error raised when a snapshot does not fit."""
from __future__ import annotations

import logging
import os
import shutil
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

_BACKUP_TAG = ".old-"
_STAGING_TAG = ".tmp-"


class IndexMismatchError(ValueError):
    """A saved index was built for something else (another encoder, dimension, tokenizer, kind)."""


def check_manifest(directory: Path, manifest: Mapping[str, Any], expected: Mapping[str, Any]) -> None:
    """Raise :class:`IndexMismatchError` naming the first field whose saved value is not ``expected``."""
    for field, want in expected.items():
        found = manifest.get(field)
        if found != want:
            raise IndexMismatchError(
                f"{directory}: manifest field {field!r} is {found!r} but {want!r} was expected; "
                "rebuild the index with the current settings or load the matching one"
            )


def _backups(target: Path) -> list[Path]:
    return sorted(target.parent.glob(f".{target.name}{_BACKUP_TAG}*"))


def recover_interrupted_swap(target: Path) -> None:
    """Put back the previous snapshot if a crash hit between the two renames of a swap."""
    target = Path(target)
    backups = _backups(target)
    if target.exists():
        for backup in backups:
            shutil.rmtree(backup, ignore_errors=True)
    elif backups:
        logger.warning("restoring %s from %s left by an interrupted save", target, backups[-1])
        os.replace(backups[-1], target)


def remove_orphaned_staging(target: Path) -> list[Path]:
    """Remove the temp directories a save of ``target`` left when its process was killed mid-save (a clean
    failure removes its own); returns them. Call only while holding the lock every save of ``target`` holds:
    a staging directory is then never one another process is still writing."""
    target = Path(target)
    orphans = sorted(p for p in target.parent.glob(f".{target.name}{_STAGING_TAG}*") if p.is_dir())
    for orphan in orphans:
        logger.warning("removing %s, left by a save that was interrupted", orphan)
        shutil.rmtree(orphan, ignore_errors=True)
    return orphans


@contextmanager
def atomic_directory(target: Path) -> Iterator[Path]:
    """Yield an empty sibling temp directory; on success it replaces ``target`` as a whole.

    Readers see either the old complete snapshot or the new complete one. If the body raises,
    the temp directory is removed and ``target`` is untouched.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    recover_interrupted_swap(target)
    token = uuid.uuid4().hex[:12]
    staging = target.parent / f".{target.name}{_STAGING_TAG}{token}"
    staging.mkdir()
    try:
        yield staging
        _fsync_tree(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if target.exists():
        # POSIX has no portable directory exchange; the backup makes the gap recoverable.
        backup = target.parent / f".{target.name}{_BACKUP_TAG}{token}"
        os.replace(target, backup)
        os.replace(staging, target)
        shutil.rmtree(backup, ignore_errors=True)
    else:
        os.replace(staging, target)


def _fsync_tree(directory: Path) -> None:
    for path in directory.iterdir():
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
