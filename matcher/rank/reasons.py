"""Reasons for the shown pairs of one query or many: each reason's text built once per distinct key among the rows.

The one explanation builder of the ranking path (matcher.rank.ranking), for a query's ten matches and a bulk
run's millions alike. The wording comes from :mod:`matcher.rank.explain`'s builders; an oracle test checks the
reasons against those builders applied pair by pair.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cached_property

import numpy as np
import pandas as pd

from matcher.rank.explain import (
    HOMETOWN_COLUMNS,
    OCCUPATION_REASONS,
    REASON_FEATURES,
    _certificate_text,
    _education_text,
    _experience_text,
    _hometown_text,
    _industry_text,
    _intent_city_text,
    _major_text,
    _qualification_text,
    _salary_text,
    _scalar,
    _skills_text,
    _urgency_text,
)
from matcher.rank.feature_columns import COLUMN
from matcher.rank.profiles import Profiles

_REASON_COLUMNS = [COLUMN[name] for name in REASON_FEATURES]
_PER_ROW_UP_TO = 64
"""Up to this many pairs (a served query's shown rows) texts are built row by row, not per distinct key."""
_DICT_CODES_UP_TO = 256
"""Up to this many values a dict numbers them faster than pandas' factorize."""


def reasons_for_pairs(matrix: np.ndarray, talents: Profiles, talent_rows: np.ndarray, jobs: Profiles,
                      job_rows: np.ndarray) -> list[tuple[str, ...]]:
    """Reasons of n pairs, most decisive first: row i of ``matrix`` ((n, len(FEATURE_COLUMNS)) float32) pairs
    row ``talent_rows[i]`` of ``talents`` with row ``job_rows[i]`` of ``jobs``.

    Why the work fits (occupation, certificate, graded qualification, major, skills, industry), then place,
    then requirements, then pay as a verdict, then urgency. A reason at a time: each depends on a few values
    (features, the talent's or the job's attributes), so over many rows its text is built once per distinct
    combination among them and each row's tuple is zipped from the reasons it has; a query's few rows are
    built row by row, the builders' caches answering repeats.
    """
    n = len(matrix)
    if len(talent_rows) != n or len(job_rows) != n:
        raise ValueError(f"{n} feature rows for {len(talent_rows)} talent rows and {len(job_rows)} job rows")
    if not n:
        return []
    read = matrix[:, _REASON_COLUMNS].astype(np.float64).T  # one gather; row k holds REASON_FEATURES[k]
    reasons = _reasons(dict(zip(REASON_FEATURES, read, strict=True)), _Side(talents, talent_rows),
                       _Side(jobs, job_rows))
    if n <= _PER_ROW_UP_TO:
        return _row_by_row(reasons, n)
    return _zip_present([_per_key(mask, build, *args) for mask, build, args in reasons], n)


_Reason = tuple[np.ndarray, Callable[..., "str | None"], tuple["_Arg", ...]]
"""One reason for n rows: where it is given ((n,) bool), its text builder, and the builder's arguments."""


def _reasons(f: Mapping[str, np.ndarray], t: _Side, j: _Side) -> list[_Reason]:
    """Every reason in the order it is read, for the n rows of the features ``f`` and the sides ``t``, ``j``."""
    every = np.ones(len(f["urgency_stars"]), dtype=bool)
    named = np.logical_or.reduce([f["occupation_match"] == segments for segments in OCCUPATION_REASONS])
    return [
        (named, _occupation_text, (_Arg.of(f["occupation_match"]),)),
        _certificate_reason(f, t, j),
        (f["qualification_fit"] == 1, _qualification_text,
         (t.arg("qualifications", False), j.arg("req_qual_key", False), j.arg("req_qual_rank"),
          j.arg("req_qual_specialities", False))),
        (f["major_fit"] == 1, _major_text, (t.arg("major_name"),)),
        (f["skill_overlap"] > 0, _skills_text, (t.arg("skills", False), j.arg("skills", False))),
        (f["industry_same_key"] == 1, _industry_text, (j.arg("industry_key", False),)),
        (every, _hometown_text, (_Arg.of(f["hometown_level"]), _Arg.of(f["willing_to_return"] == 1),
                                 *(t.arg(c) for c in HOMETOWN_COLUMNS))),
        (f["job_city_in_intent"] == 1, _intent_city_text, (j.arg("city_code", False),)),
        (every, _education_text, (_Arg.of(f["education_gap"]), t.arg("education_rank"), j.arg("education_rank"))),
        (every, _experience_text, (_Arg.of(f["experience_gap"]), t.arg("experience_years"),
                                   j.arg("experience_min"))),
        (every, _salary_text, (t.arg("expected_salary_min"), j.arg("salary_min"), j.arg("salary_max"))),
        (f["urgency_stars"] >= 4, _urgency_text, (_Arg.of(f["urgency_stars"], scalar=False),)),
    ]


def _row_by_row(reasons: Sequence[_Reason], n: int) -> list[tuple[str, ...]]:
    """A query's few rows: each reason's builder called on each row it is given for (no keys are found)."""
    columns = [[build(*values) if given else None
                for given, *values in zip(mask.tolist(), *(arg.at() for arg in args), strict=True)]
               for mask, build, args in reasons]
    return [tuple(text for text in row if text is not None) for row in zip(*columns, strict=True)]


class _Arg:
    """One builder argument for n rows: ``values`` (n,) or an entity column read through ``rows``, and ``key``
    (n,) numeric or bool, equal exactly where the values are (floats by their bits). The key is found only when
    texts are built per key (``key`` given, or ``key_of`` computes it)."""

    def __init__(self, values: np.ndarray, rows: np.ndarray | None = None, scalar: bool = True,
                 key: np.ndarray | None = None, key_of: Callable[[], np.ndarray] | None = None) -> None:
        self.values, self.rows, self.scalar = values, rows, scalar
        """scalar: pass values through :func:`_scalar` (NaN as None), as the builders expect this argument."""
        self._key, self._key_of = key, key_of

    @classmethod
    def of(cls, values: np.ndarray, scalar: bool = True) -> _Arg:
        return cls(values, scalar=scalar)

    @property
    def key(self) -> np.ndarray:
        if self._key is None:
            if self._key_of is not None:
                self._key = self._key_of()
            else:
                self._key = _object_codes(self.values.tolist()) if self.values.dtype.kind == "O" else self.values
        return self._key

    def at(self, rows: np.ndarray | None = None) -> list:
        """Python values at ``rows`` (every row when None), as the builder takes them."""
        if rows is None:
            values = self.values if self.rows is None else self.values[self.rows]
        else:
            values = self.values[rows if self.rows is None else self.rows[rows]]
        plain = values.tolist()
        if not self.scalar or values.dtype.kind in "biu":
            return plain
        if values.dtype.kind == "f":  # _scalar of Python floats: NaN, the one value unequal to itself, as None
            return [None if v != v else v for v in plain]
        return [_scalar(v) for v in plain]


class _Side:
    """The talents' or jobs' profile rows of n pairs; keys are found once per distinct entity among them."""

    def __init__(self, profiles: Profiles, rows: np.ndarray) -> None:
        self.columns, self.rows = profiles.columns, rows

    @cached_property
    def entities(self) -> tuple[np.ndarray, np.ndarray]:
        """Each row's entity code and the distinct rows."""
        return _factorize(self.rows)

    def arg(self, name: str, scalar: bool = True) -> _Arg:
        column = self.columns[name]

        def key() -> np.ndarray:
            entity, distinct = self.entities
            return _key_codes([_Arg.of(column[distinct]).key])[entity]

        return _Arg(column, self.rows, scalar, key_of=key)


_Texts = tuple[np.ndarray, np.ndarray]
"""One reason's texts for n rows: (k + 1,) object texts, the last None, and (n,) int64 codes into them (-1: None)."""


def _certificate_reason(f: Mapping[str, np.ndarray], t: _Side, j: _Side) -> _Reason:
    """The certificate reason: given where the job requires a certificate, unless the graded qualification's
    reason says it with grade and speciality."""
    required = f["cert_required"] != 0  # NaN counts as required, as ``not f["cert_required"]`` does
    required &= ~((f["qualification_fit"] == 1) & j.columns["req_cert_graded"][j.rows].astype(bool))
    rows = np.flatnonzero(required)
    held_certs, keys = t.columns["held_certs"], j.columns["req_cert_key"]
    held_rows = [held_certs[a].get(keys[b], 0) for a, b in zip(t.rows[rows].tolist(), j.rows[rows].tolist(),
                                                                 strict=True)]
    held = np.zeros(len(required), dtype=object)
    held[rows] = _objects(held_rows)

    def held_key() -> np.ndarray:  # only texts built per key need it, not a query's few rows
        key = np.zeros(len(required), dtype=np.int64)
        key[rows] = _object_codes(held_rows)
        return key

    return required, _certificate_text, (_Arg.of(f["cert_held"] == 0), _Arg.of(f["cert_meets_level"] == 1),
                                         j.arg("req_cert_name", False), j.arg("req_cert_level"),
                                         _Arg(held, scalar=False, key_of=held_key))


def _occupation_text(segments: float) -> str:
    """OCCUPATION_REASONS of an occupation_match it names."""
    return OCCUPATION_REASONS[int(segments)]


def _per_key(mask: np.ndarray, build: Callable[..., str | None], *args: _Arg) -> _Texts:
    """``build(*args at i)`` for the first row i of each distinct combination of the args among the rows in
    ``mask``, for every row with those args; None outside ``mask``.

    Texts are built in row order (the builders' lru_caches see the first row of each key first).
    """
    rows = np.flatnonzero(mask)
    codes = np.full(len(mask), -1, dtype=np.int64)
    code = _factorize(_key_codes([arg.key[rows] for arg in args]))[0]
    # factorize numbers in order of first appearance: a combination's first row is where the running max grows.
    first = rows[np.flatnonzero(code > np.concatenate(([-1], np.maximum.accumulate(code)[:-1])))]
    texts = np.empty(len(first) + 1, dtype=object)  # the last stays None, for rows outside mask
    texts[:-1] = [build(*values) for values in zip(*(arg.at(first) for arg in args), strict=True)]
    codes[rows] = code
    return texts, codes


def _key_codes(keys: Sequence[np.ndarray]) -> np.ndarray:
    """One int64 code per row, equal exactly where all keys are (not numbered densely)."""
    code, size = np.zeros(len(keys[0]), dtype=np.int64), 1
    for key in keys:
        kind = key.dtype.kind
        if kind == "b":
            part, count = key.astype(np.int64), 2
        elif kind == "i" and key.min(initial=0) >= 0:  # codes or positions
            part, count = key, int(key.max(initial=0)) + 1
        else:
            if kind == "f":  # by their bits with one NaN: -0.0 is not 0.0, and NaN is one key
                key = np.where(np.isnan(key), np.nan, key).astype(np.float64).view(np.int64)
            elif kind not in "iu":
                key = _object_codes(key.tolist())
            part, distinct = _factorize(key)
            count = len(distinct)
        if size * count >= 1 << 62:
            code, distinct = _factorize(code)
            size = len(distinct)
        code, size = code * count + part, size * count
    return code


def _factorize(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """pandas' factorize of integer ``values`` (codes numbered in order of first appearance, the distinct values)."""
    if len(values) > _DICT_CODES_UP_TO:
        return pd.factorize(values)
    codes: dict[int, int] = {}
    code = np.fromiter((codes.setdefault(v, len(codes)) for v in values.tolist()), dtype=np.int64, count=len(values))
    return code, np.fromiter(codes, dtype=values.dtype, count=len(codes))


def _object_codes(values: list) -> np.ndarray:
    """Codes equal where the values are equal as dict keys (pandas' factorize would also join None with NaN)."""
    codes: dict[object, int] = {}
    return np.fromiter((codes.setdefault(v, len(codes)) for v in values), dtype=np.int64, count=len(values))


def _objects(values: list) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _zip_present(reasons: Sequence[_Texts], n: int) -> list[tuple[str, ...]]:
    """Row i: its non-None texts of the reasons in order. Rows are grouped by which reasons they have, so
    each group's tuples are one ``zip``."""
    present = np.zeros(n, dtype=np.uint16 if len(reasons) <= 16 else np.uint64)  # small: a radix sort
    for bit, (texts, code) in enumerate(reasons):
        present |= np.not_equal(texts, None)[code].astype(present.dtype) << bit
    order = np.argsort(present, kind="stable")
    grouped = present[order]
    starts = np.flatnonzero(np.concatenate(([True], grouped[1:] != grouped[:-1])))
    columns = [texts[code[order]].tolist() for texts, code in reasons]
    tuples: list[tuple[str, ...]] = []
    for start, end in zip(starts.tolist(), [*starts[1:].tolist(), n], strict=True):
        pattern = int(grouped[start])
        tuples.extend(zip(*(column[start:end] for bit, column in enumerate(columns) if pattern >> bit & 1),
                          strict=True))
    out = np.empty(n, dtype=object)
    out[order] = np.fromiter(tuples, dtype=object, count=n)
    return out.tolist()
