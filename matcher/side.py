"""One side of the market loaded for matching: rows, candidate pool, rendered texts, stored fields by id."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from matcher.embed.render import RENDERERS, is_missing
from matcher.rendered_texts import RenderedTexts
from matcher.retrieve.candidates import CandidatePool


@dataclass
class Side:
    """One side's rows (indexed by id), its candidate pool and each row's rendered text.

    Texts are rendered once (at open, and on refresh) because every query needs its own text for the
    sparse channel, and rendering one row through pandas costs more than the whole search.

    Rows written after open wait beside the loaded ones (``fresh``, ``gone``) until :attr:`frame` is first read.
    Merging copies every column, and in a worker forked from a loaded supervisor touches the reference count of
    every value in them, which copies every page those values live on: the whole frame again in each worker.
    Matching reads texts, vectors and profiles, not the frame, so a worker that only matches never merges.
    """

    base: pd.DataFrame
    """The rows as loaded (or as last merged)."""
    pool: CandidatePool
    texts: Mapping[str, str]
    """A dict, or the texts saved beside the indexes and mapped (:class:`RenderedTexts`)."""
    stored: dict[str, list] = field(default_factory=dict)
    """Columns of ``frame`` already asked for (:meth:`fields`), None for missing values; a refresh starts a
    new Side, so they never go stale."""
    positions: dict[str, int] | None = None
    """Row of each id in ``frame``, built whole (readers never see half of it) when :meth:`fields` is first asked."""
    fresh: pd.DataFrame | None = None
    """Rows written since ``base`` (indexed by id), each id's latest, not merged into it yet."""
    gone: frozenset[str] = frozenset()
    """Ids deleted since ``base``, not merged yet."""

    @property
    def frame(self) -> pd.DataFrame:
        """The rows in id order: ``base`` with the writes since merged in, on first use (a merge of the same
        writes twice, by two readers at once, gives the same rows)."""
        if self.fresh is not None or self.gone:
            fresh = self.fresh if self.fresh is not None else self.base.iloc[:0]
            self.base, self.fresh, self.gone = replace_rows(self.base, fresh, sorted(self.gone)), None, frozenset()
        return self.base

    def __len__(self) -> int:
        """How many rows, without merging writes in."""
        return len(self.texts)

    def written(self, fresh: pd.DataFrame, gone: Sequence[str], texts: Mapping[str, str]) -> Side:
        """A new Side with ``fresh``'s rows (indexed by id) added or replacing same-id rows, ``gone`` deleted and
        ``texts`` its texts; the rows are merged when :attr:`frame` is next read."""
        gone_now = frozenset(map(str, gone))
        if self.fresh is not None:
            kept = self.fresh[~self.fresh.index.isin([*gone_now, *fresh.index])]
            fresh = fresh if not len(kept) else kept if not len(fresh) else pd.concat([kept, fresh])
        return Side(self.base, self.pool, texts, fresh=fresh if len(fresh) else None,
                    gone=(self.gone - set(fresh.index)) | gone_now)

    def fields(self, ids: Sequence[str], columns: Sequence[str]) -> dict[str, dict]:
        """Stored ``columns`` of the rows with these ids (unknown ids left out): a dict and a list look-up per
        value, cheaper than a pandas row selection per id or pandas' get_indexer (measured by scripts/bench_api.py)."""
        positions = self.positions
        if positions is None:
            positions = self.positions = {str(i): p for p, i in enumerate(self.frame.index)}
        values = [self._column(name) for name in columns]
        found = {}
        for i in map(str, ids):
            p = positions.get(i)
            if p is not None:
                found[i] = {name: column[p] for name, column in zip(columns, values, strict=True)}
        return found

    def _column(self, name: str) -> list:
        column = self.stored.get(name)
        if column is None:  # filled by whichever reader asks first; a duplicate fill is harmless
            column = self.stored[name] = [None if is_missing(v) else v for v in self.frame[name].tolist()]
        return column


def rendered_side(frame: pd.DataFrame, pool: CandidatePool, name: str) -> Side:
    """``frame`` (talents or jobs, by ``name``) with its pool and every row rendered once."""
    return Side(frame, pool, dict(zip(frame.index, RENDERERS[name](frame), strict=True)) if len(frame) else {})


def replaced_texts(texts: Mapping[str, str], fresh: Mapping[str, str], gone: Sequence[str]) -> Mapping[str, str]:
    """A new mapping of ``texts`` with ``fresh`` added or replacing same-id texts and ``gone`` removed; the
    mapped texts are left as they are (their overlay takes the change)."""
    if isinstance(texts, RenderedTexts):
        return texts.replaced(fresh, gone)
    updated = {i: text for i, text in texts.items() if i not in set(gone)}
    updated.update(fresh)
    return updated


def replace_rows(frame: pd.DataFrame, fresh: pd.DataFrame, gone: Sequence[str]) -> pd.DataFrame:
    """``frame`` (indexed by id, in id order, as loaded) with the rows of ``gone`` removed and ``fresh``'s rows
    added or replacing same-id rows, still in id order. One concatenation and one ``take`` at the places the few
    changed rows belong, mostly copying the columns, where dropping, appending and re-sorting the whole frame
    cost every write in every worker several times more (measured by scripts/load_mixed.py)."""
    fresh = fresh.sort_index()
    replaced = frame.index.get_indexer([*gone, *fresh.index])
    keep = np.ones(len(frame), dtype=bool)
    keep[replaced[replaced >= 0]] = False
    kept = np.flatnonzero(keep)
    at = np.searchsorted(frame.index.to_numpy(dtype=object)[kept], fresh.index.to_numpy(dtype=object))
    order = np.insert(kept, at, len(frame) + np.arange(len(fresh)))
    return pd.concat([frame, fresh]).take(order)


def indexed_by_id(frame: pd.DataFrame, id_column: str) -> pd.DataFrame:
    """``frame`` indexed by its ids as strings (the index a Side's rows carry), the id column kept."""
    return frame.set_index(frame[id_column].astype(str).rename(None), drop=False)
