"""Profiles as flat numbers, for the compiled pair-feature pass (matcher.rank.features).

A profile's codes, keys and sets are Python objects (strings, frozensets, dicts) scattered over the heap; reading
them for a query's 100 random talents is a cache miss per object (scripts/bench_api.py). Here each
entity is a row of numbers in a few contiguous arrays: its numbers (float64), its codes (int64 ids) and its sets
(sorted int64 ids, all of an entity's sets one after another, with offsets). Ids are 64-bit BLAKE2b digests of
the strings, the same in every process (bulk workers compare ids made by their parent) and never 0, which
stands for a missing value. Two different strings sharing an id (odds ~1e-19 a pair) would compare equal.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from hashlib import blake2b
from itertools import chain
from pathlib import Path

import numpy as np
import pandas as pd

from matcher.index.mapped import load_array
from matcher.ragged import gathered, ranges

MISSING = 0
"""The id of a missing code."""
ARRAYS = ("numbers", "codes", "offsets", "values", "levels")
"""The fields of :class:`EncodedProfiles`, as saved."""


@dataclass(frozen=True)
class Layout:
    """Which profile columns a side's rows hold, in kernel order."""

    numbers: tuple[str, ...]
    """float64 columns, copied."""
    codes: tuple[str, ...]
    """String (or None) columns, as ids."""
    sets: tuple[str, ...]
    """Per entity, in this order: each a frozenset of strings as sorted ids; a dict (certificates held) as its
    sorted keys' ids with their values in ``levels``; a code like 6-04-01-01 as the ids of its prefixes
    (6, 6-04, 6-04-01, 6-04-01-01), in that order; a tuple of (string, number) pairs as the strings' ids in
    the tuple's order (repeats kept) with the numbers in ``levels``."""

    def number(self, name: str) -> int:
        """The column of ``name`` in ``numbers``."""
        return self.numbers.index(name)

    def code(self, name: str) -> int:
        """The column of ``name`` in ``codes``."""
        return self.codes.index(name)

    def set(self, name: str) -> int:
        """The position of ``name`` in ``sets``: its ids are ``values[offsets[i, s]:offsets[i, s + 1]]``."""
        return self.sets.index(name)


@dataclass(frozen=True)
class EncodedProfiles:
    numbers: np.ndarray
    """(n, len(layout.numbers)) float64."""
    codes: np.ndarray
    """(n, len(layout.codes)) int64."""
    offsets: np.ndarray
    """(n, len(layout.sets) + 1) int64: set s of row i is ``values[offsets[i, s]:offsets[i, s + 1]]``."""
    values: np.ndarray
    """int64 ids of every row's sets."""
    levels: np.ndarray
    """float64, aligned with ``values``: a dict's values (NaN in other sets)."""

    @classmethod
    def of(cls, columns: Mapping[str, np.ndarray], layout: Layout) -> EncodedProfiles:
        """Column at a time: each distinct string is hashed once and the sets are flattened, sorted and cut
        into rows by numpy, so a million profiles take no Python step per row and set. Equal to
        :meth:`of_rows` (tests/rank/test_encoded_vectorised.py holds them to it)."""
        n = len(next(iter(columns.values()))) if columns else 0
        numbers = np.empty((n, len(layout.numbers)), dtype=np.float64)
        for i, name in enumerate(layout.numbers):
            numbers[:, i] = columns[name]
        codes = np.empty((n, len(layout.codes)), dtype=np.int64)
        for i, name in enumerate(layout.codes):
            codes[:, i] = _ids_of(np.asarray(columns[name], dtype=object))
        flat = [_flat_sets(np.asarray(columns[name], dtype=object)) for name in layout.sets]
        return cls(numbers, codes, *_row_major(n, flat))

    @classmethod
    def of_rows(cls, columns: Mapping[str, np.ndarray], layout: Layout) -> EncodedProfiles:
        """Row by row, value by value: the plain definition :meth:`of` is checked against."""
        n = len(next(iter(columns.values()))) if columns else 0
        numbers = np.empty((n, len(layout.numbers)), dtype=np.float64)
        for i, name in enumerate(layout.numbers):
            numbers[:, i] = columns[name]
        codes = np.empty((n, len(layout.codes)), dtype=np.int64)
        for i, name in enumerate(layout.codes):
            codes[:, i] = [_id(v) for v in columns[name]]
        offsets = np.zeros((n, len(layout.sets) + 1), dtype=np.int64)
        values: list[int] = []
        levels: list[float] = []
        set_columns = [columns[name] for name in layout.sets]
        for row in range(n):
            offsets[row, 0] = len(values)
            for s, column in enumerate(set_columns):
                _append(column[row], values, levels)
                offsets[row, s + 1] = len(values)
        return cls(numbers, codes, offsets, np.asarray(values, dtype=np.int64), np.asarray(levels, dtype=np.float64))

    def __len__(self) -> int:
        return len(self.numbers)

    def take(self, rows: np.ndarray) -> EncodedProfiles:
        """The rows at ``rows``, in that order."""
        return concatenate([self], [np.asarray(rows, dtype=np.int64)])

    def save(self, directory: Path) -> None:
        """The five arrays as ``encoded.<name>.npy`` in ``directory``."""
        for name in ARRAYS:
            np.save(Path(directory) / f"encoded.{name}.npy", getattr(self, name), allow_pickle=False)

    @classmethod
    def load(cls, directory: Path, mapped: bool = True) -> EncodedProfiles:
        """What :meth:`save` wrote; ``mapped``: copy-on-write maps of the files, shared between processes
        (:mod:`matcher.index.mapped`). ValueError when the arrays do not fit together."""
        arrays = {name: load_array(Path(directory) / f"encoded.{name}.npy", mapped) for name in ARRAYS}
        n = len(arrays["numbers"])
        if len(arrays["codes"]) != n or len(arrays["offsets"]) != n or len(arrays["values"]) != len(arrays["levels"]):
            raise ValueError(f"{directory}: the encoded profile arrays disagree on their number of rows")
        if n and int(arrays["offsets"][-1, -1]) != len(arrays["values"]):
            raise ValueError(f"{directory}: the encoded profile offsets do not end at the end of the values")
        return cls(**arrays)


def concatenate(parts: Sequence[EncodedProfiles], rows: Sequence[np.ndarray]) -> EncodedProfiles:
    """``parts[k]``'s rows at ``rows[k]``, one part after another."""
    part_of_row = np.repeat(np.arange(len(parts)), [len(r) for r in rows])
    return assemble(parts, part_of_row, np.concatenate([np.asarray(r, dtype=np.int64) for r in rows]))


def assemble(parts: Sequence[EncodedProfiles], part_of_row: np.ndarray, row_in_part: np.ndarray) -> EncodedProfiles:
    """Row ``i`` is ``parts[part_of_row[i]]``'s row ``row_in_part[i]``: rows of several tables interleaved in
    one pass (a saved table's unchanged rows among the rows encoded since, say)."""
    n = len(part_of_row)
    numbers = np.empty((n, parts[0].numbers.shape[1]), dtype=np.float64)
    codes = np.empty((n, parts[0].codes.shape[1]), dtype=np.int64)
    offsets = np.empty((n, parts[0].offsets.shape[1]), dtype=np.int64)
    picks = [(part, np.flatnonzero(part_of_row == k)) for k, part in enumerate(parts)]
    starts = np.empty(n, dtype=np.int64)
    for part, at in picks:
        rows = row_in_part[at]
        numbers[at], codes[at] = part.numbers[rows], part.codes[rows]
        starts[at] = part.offsets[rows, 0]
    # A row's sets are one stretch of values and levels, offsets[:, 0] to offsets[:, -1], rows end to end.
    (values, levels), new_starts = gathered([(part.values, part.levels) for part in parts],
                                            [part.offsets[:, 0] for part in parts],
                                            [part.offsets[:, -1] for part in parts], part_of_row, row_in_part)
    for part, at in picks:
        offsets[at] = part.offsets[row_in_part[at]] - (starts[at] - new_starts[:-1][at])[:, None]
    return EncodedProfiles(numbers, codes, offsets, values, levels)


def _append(value: object, values: list[int], levels: list[float]) -> None:
    if isinstance(value, dict):
        ids = sorted((_id(k), float(v)) for k, v in value.items())
        values.extend(i for i, _ in ids)
        levels.extend(v for _, v in ids)
    elif isinstance(value, frozenset | set):
        ids = sorted({_id(v) for v in value})
        values.extend(ids)
        levels.extend([np.nan] * len(ids))
    elif isinstance(value, tuple):  # (string, number) pairs, in order
        values.extend(_id(k) for k, _ in value)
        levels.extend(float(v) for _, v in value)
    elif isinstance(value, str) and value:  # a code: its prefixes, in order
        segments = value.split("-")
        values.extend(_id("-".join(segments[:k + 1])) for k in range(len(segments)))
        levels.extend([np.nan] * len(segments))


_IDS: dict[str, int] = {}


def _id(value: object) -> int:
    """The id of a string (MISSING for None or an empty string)."""
    if not isinstance(value, str) or not value:
        return MISSING
    known = _IDS.get(value)
    if known is None:
        digest = int.from_bytes(blake2b(value.encode(), digest_size=8).digest(), "little", signed=True)
        known = _IDS[value] = digest or 1
    return known


FlatSets = tuple[np.ndarray, np.ndarray, np.ndarray]
"""One set column flattened: (n,) int64 entries per row, the rows' ids one row after another, their levels."""


def _ids_of(values: np.ndarray) -> np.ndarray:
    """(n,) int64 :func:`_id` of each value of an object array, each distinct value hashed once."""
    codes, distinct = pd.factorize(values)  # None and NaN get -1: MISSING, the last entry below
    ids = np.fromiter((_id(v) for v in distinct), dtype=np.int64, count=len(distinct))
    return np.append(ids, MISSING)[codes]


def _flat_sets(column: np.ndarray) -> FlatSets:
    """A set column as :func:`_append` would lay it out row after row, built a column at a time when every
    value is of one kind (dicts, sets, or codes); value by value otherwise."""
    kinds = set(map(type, column))
    try:
        if kinds <= {dict}:
            return _flat_dicts(column)
        if kinds <= {frozenset, set}:
            return _flat_members(column)
        if kinds <= {str, type(None), float}:
            return _flat_codes(column)
    except (TypeError, ValueError):  # a dict value that is not a number: the plain path says the same
        pass
    return _flat_values(column)


def _flat_dicts(column: np.ndarray) -> FlatSets:
    """Each dict's keys as ids sorted by (id, value), its values as levels."""
    lengths = np.fromiter(map(len, column), dtype=np.int64, count=len(column))
    ids = _ids_of(_objects(chain.from_iterable(column)))
    levels = np.fromiter(chain.from_iterable(map(dict.values, column)), dtype=np.float64, count=len(ids))
    order = np.lexsort((levels, ids, np.repeat(np.arange(len(column)), lengths)))
    return lengths, ids[order], levels[order]


def _flat_members(column: np.ndarray) -> FlatSets:
    """Each set's members as sorted distinct ids, levels NaN."""
    lengths = np.fromiter(map(len, column), dtype=np.int64, count=len(column))
    rows = np.repeat(np.arange(len(column)), lengths)
    ids = _ids_of(_objects(chain.from_iterable(column)))
    order = np.lexsort((ids, rows))
    rows, ids = rows[order], ids[order]
    first = np.ones(len(ids), dtype=bool)  # two members with one id (a collision, or two missing) count once
    first[1:] = (rows[1:] != rows[:-1]) | (ids[1:] != ids[:-1])
    ids = ids[first]
    return np.bincount(rows[first], minlength=len(column)).astype(np.int64), ids, np.full(len(ids), np.nan)


def _flat_codes(column: np.ndarray) -> FlatSets:
    """Each code's prefixes in order, worked out once per distinct code; levels NaN."""
    codes, distinct = pd.factorize(column)
    per_code = _flat_values(distinct)
    code_lengths = np.append(per_code[0], 0)  # code -1 (missing): nothing
    code_starts = np.append(np.cumsum(per_code[0]) - per_code[0], 0)
    lengths = code_lengths[codes]
    ids = per_code[1][ranges(code_starts[codes], code_starts[codes] + lengths)]
    return lengths, ids, np.full(len(ids), np.nan)


def _flat_values(column: np.ndarray) -> FlatSets:
    values: list[int] = []
    levels: list[float] = []
    lengths = np.empty(len(column), dtype=np.int64)
    for row, value in enumerate(column):
        before = len(values)
        _append(value, values, levels)
        lengths[row] = len(values) - before
    return lengths, np.asarray(values, dtype=np.int64), np.asarray(levels, dtype=np.float64)


def _row_major(n: int, flat: Sequence[FlatSets]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """offsets, values, levels: each row's sets one after another in layout order, rows in order."""
    lengths = np.stack([f[0] for f in flat], axis=1) if flat else np.zeros((n, 0), dtype=np.int64)
    offsets = np.zeros((n, len(flat) + 1), dtype=np.int64)
    totals = np.cumsum(lengths.sum(axis=1))
    offsets[:, 0] = totals - lengths.sum(axis=1)
    offsets[:, 1:] = offsets[:, :1] + np.cumsum(lengths, axis=1)
    size = int(totals[-1]) if n else 0
    values, levels = np.zeros(size, dtype=np.int64), np.full(size, np.nan)
    for s, (set_lengths, ids, set_levels) in enumerate(flat):
        at = ranges(offsets[:, s], offsets[:, s] + set_lengths)
        values[at], levels[at] = ids, set_levels
    return offsets, values, levels


def _objects(items: Iterable[object]) -> np.ndarray:
    """A 1-d object array of ``items`` (np.array would make tuples or sets into more dimensions)."""
    listed = list(items)
    out = np.empty(len(listed), dtype=object)
    out[:] = listed
    return out
