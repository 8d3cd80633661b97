"""Memory a process holds but no longer uses, given back: Arrow's freed blocks and pages of mapped files already read.

Two kinds of resident memory outlive their use in a long run:

- Arrow's allocator (mimalloc) keeps the blocks it frees for reuse: parse buffers, and the strings of frame
  columns that were dropped (a bulk run keeps only the talent columns its outputs read).
- Pages of the files mapped beside the indexes (texts, encoded profiles, postings, vectors) stay in the
  process's resident set once read, though the operating system can drop and re-read them at any time. A bulk
  run reads each talent's pages once, so they pile up to the size of the files.

Dropping a mapped page loses nothing when the process has not written it: it stays in the page cache and
the next read maps it again. A mapping holding written (copy-on-write) pages is left alone.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import functools
import logging
import os
from pathlib import Path

import pyarrow as pa

log = logging.getLogger(__name__)

_MADV_DONTNEED = 4
_SMAPS = Path("/proc/self/smaps")


def release_unused(mapped_under: Path | None = None) -> None:
    """Arrow's unused blocks back to the system and, with ``mapped_under``, the read pages of every unwritten
    map of a file in that directory. Call it where no thread is writing into those maps."""
    pa.default_memory_pool().release_unused()
    if mapped_under is not None:
        drop_read_pages(mapped_under)


def drop_read_pages(directory: Path) -> int:
    """Drop the resident pages of every map of a file under ``directory`` that holds no written page; returns
    how many maps were dropped (0 where /proc is missing)."""
    if not _SMAPS.exists():
        return 0
    root = os.path.realpath(directory) + os.sep
    dropped = 0
    for start, end in _unwritten_maps(_SMAPS.read_text(), root):
        if _libc().madvise(ctypes.c_void_p(start), ctypes.c_size_t(end - start), _MADV_DONTNEED) == 0:
            dropped += 1
        else:
            log.debug("madvise failed on a map of %s (errno %d)", directory, ctypes.get_errno())
    return dropped


def unwritten_map(address: int) -> tuple[int, int] | None:
    """(start, end) of the file map holding ``address`` when this process has written none of its pages;
    None when it has, when the address is in no file map, or where /proc is missing."""
    if not _SMAPS.exists():
        return None
    for start, end in _unwritten_maps(_SMAPS.read_text(), os.sep):
        if start <= address < end:
            return start, end
    return None


def _unwritten_maps(smaps: str, root: str) -> list[tuple[int, int]]:
    """(start, end) of the maps of files under ``root`` with no anonymous (written, copy-on-write) page."""
    maps, current = [], None
    for line in smaps.splitlines():
        fields = line.split()
        if not fields:
            continue
        if "-" in fields[0] and len(fields) >= 5 and not fields[0].endswith(":"):  # a map's header line
            path = " ".join(fields[5:])
            start, end = (int(part, 16) for part in fields[0].split("-"))
            current = (start, end) if path.startswith(root) else None
            if current is not None:
                maps.append(current)
        elif fields[0] == "Anonymous:" and current is not None and int(fields[1]) > 0:
            maps.remove(current)
            current = None
    return maps


@functools.cache
def _libc() -> ctypes.CDLL:
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    libc.madvise.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int)
    return libc
