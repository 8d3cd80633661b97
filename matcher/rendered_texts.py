"""Every row's rendered text as one UTF-8 buffer with offsets, read by id: a map of a file all workers share.

A saved talent's query needs its own rendered text (the sparse channel searches with it). Held as a dict of
Python strings, a million texts cost each worker hundreds of megabytes of private heap; here they are two
arrays, mapped from files beside the indexes (:mod:`matcher.shared_tables`), each text decoded when asked for.
Writes after open (a refreshed or deleted row) go into a small private overlay; the mapped buffer never changes.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from matcher.index.mapped import load_array
from matcher.ragged import gathered

BYTES_FILE, OFFSETS_FILE = "texts.npy", "text_offsets.npy"


class RenderedTexts(Mapping[str, str]):
    """Text by id: the saved texts of ``ids`` (row ``i``'s text is ``buffer[offsets[i]:offsets[i + 1]]``, UTF-8),
    then ``overlay`` (texts rendered since, winning over saved ones) less ``gone`` (ids deleted since)."""

    def __init__(self, ids: pd.Index, buffer: np.ndarray, offsets: np.ndarray,
                 overlay: Mapping[str, str] | None = None, gone: Iterable[str] = ()) -> None:
        if len(offsets) != len(ids) + 1:
            raise ValueError(f"{len(offsets)} text offsets for {len(ids)} ids (expected one more)")
        self._ids, self._buffer, self._offsets = ids, buffer, offsets
        self._overlay = dict(overlay or {})
        self._gone = frozenset(gone) - self._overlay.keys()

    @classmethod
    def of(cls, ids: Iterable[str], texts: Iterable[str]) -> RenderedTexts:
        """Texts held in this process's memory (what :func:`save` writes)."""
        encoded = [text.encode() for text in texts]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(e) for e in encoded], out=offsets[1:])
        return cls(pd.Index(list(ids), dtype=object), np.frombuffer(b"".join(encoded), dtype=np.uint8), offsets)

    @classmethod
    def assembled(cls, ids: pd.Index, parts: Sequence[RenderedTexts], part_of_row: np.ndarray,
                  row_in_part: np.ndarray) -> RenderedTexts:
        """Row ``i`` (id ``ids[i]``) is saved row ``row_in_part[i]`` of ``parts[part_of_row[i]]`` (their
        overlays are not read): saved texts of unchanged rows among texts rendered since, without decoding them."""
        (buffer,), offsets = gathered([(p._buffer,) for p in parts], [p._offsets[:-1] for p in parts],
                                      [p._offsets[1:] for p in parts], part_of_row, row_in_part)
        return cls(ids, buffer, offsets)

    @classmethod
    def load(cls, directory: Path, ids: pd.Index, mapped: bool = True) -> RenderedTexts:
        """The texts :meth:`save` wrote for rows ``ids`` (the same ids in the same order)."""
        return cls(ids, load_array(Path(directory) / BYTES_FILE, mapped),
                   load_array(Path(directory) / OFFSETS_FILE, mapped))

    def save(self, directory: Path) -> None:
        """The saved texts (not the overlay) as two arrays in ``directory``."""
        np.save(Path(directory) / BYTES_FILE, self._buffer, allow_pickle=False)
        np.save(Path(directory) / OFFSETS_FILE, self._offsets, allow_pickle=False)

    def replaced(self, fresh: Mapping[str, str], gone: Iterable[str] = ()) -> RenderedTexts:
        """A new mapping: ``fresh``'s texts added or replacing same-id ones, ids of ``gone`` removed."""
        overlay = {k: v for k, v in self._overlay.items() if k not in set(gone)}
        overlay.update(fresh)
        return RenderedTexts(self._ids, self._buffer, self._offsets, overlay, self._gone | set(gone))

    def _row(self, key: object) -> int | None:
        """The saved row of ``key``, None when it has none (or was deleted since)."""
        if not isinstance(key, str) or key in self._gone:
            return None
        try:
            row = self._ids.get_loc(key)
        except KeyError:
            return None
        return row if isinstance(row, int) else None

    def __getitem__(self, key: str) -> str:
        text = self._overlay.get(key)
        if text is not None:
            return text
        row = self._row(key)
        if row is None:
            raise KeyError(key)
        return self._buffer[self._offsets[row]:self._offsets[row + 1]].tobytes().decode()

    def __contains__(self, key: object) -> bool:
        return key in self._overlay or self._row(key) is not None

    def __iter__(self) -> Iterator[str]:
        yield from (i for i in self._ids if i not in self._gone and i not in self._overlay)
        yield from self._overlay

    def __len__(self) -> int:
        saved_gone = sum(1 for i in self._gone if i in self._ids)
        saved_overlaid = sum(1 for i in self._overlay if i in self._ids)
        return len(self._ids) - saved_gone - saved_overlaid + len(self._overlay)
