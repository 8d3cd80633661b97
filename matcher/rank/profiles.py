"""Compact per-talent and per-job attributes that pair features are computed from.

Prepared once per entity (not per pair) so features for millions of pairs stay cheap.
Input frames carry the canonical normalised columns of matcher.store (see CONTRACTS in README);
certificate lists are lists of Certificate dicts (kind, name, occupation_code, level, title_rank).
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from matcher.normalize.cells import yes_no
from matcher.rank.encoded import EncodedProfiles, Layout, concatenate
from matcher.rank.features import JOB_LAYOUT, TALENT_LAYOUT
from matcher.rank.fit_columns import job_fit_columns, talent_fit_columns

TITLE_RANKS = {"初级": 1, "中级": 2, "副高级": 3, "正高级": 4}
TALENT_CATEGORIES = ("高层次人才", "专业技术人才", "高技能人才", "企业经营管理人才", "农村实用人才",
                     "社会工作人才", "名校学子")
FACTORIZE_FROM = 1024
"""Id arrays longer than this are factorised before lookup (a query's few hundred pairs are not)."""
NO_LEVEL = 0
"""Stored for a certificate held without a stated level: held, but its level cannot be compared."""

CERT_KINDS_REQUIRED = ("skill_level", "special_operation", "qualification")
TALENT_TEXT_COLUMNS = ("hometown_province_code", "hometown_city_code", "hometown_county_code", "current_city_code",
                       "industry_key", "industry_section", "occupation_code")
JOB_TEXT_COLUMNS = ("province_code", "city_code", "county_code", "industry_key", "industry_section",
                    "occupation_code")
JOB_NUMBER_COLUMNS = ("education_rank", "experience_min", "salary_min", "salary_max", "urgency_stars",
                      "urgency_index", "headcount")


def _as_list(value: object) -> list:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    if isinstance(value, str):
        return json.loads(value) if value.strip() else []
    return list(value)  # type: ignore[call-overload]


def certificate_key(cert: dict) -> str:
    """Certificates match on occupation code when known, else on canonical name."""
    return cert.get("occupation_code") or cert.get("name") or ""


def held_certificates(certs: Iterable[dict]) -> dict[str, int]:
    """key -> best (lowest number = highest) level held; NO_LEVEL when held without a level."""
    held: dict[str, int] = {}
    for cert in certs:
        if cert.get("kind") == "title":
            continue
        key, level = certificate_key(cert), cert.get("level") or NO_LEVEL
        if not key:
            continue
        best = held.get(key)
        if best is None or best == NO_LEVEL or (level != NO_LEVEL and level < best):
            held[key] = level
    return held


def best_title_rank(certs: Iterable[dict]) -> float:
    ranks = [TITLE_RANKS[c["title_rank"]] for c in certs if c.get("title_rank") in TITLE_RANKS]
    return float(max(ranks)) if ranks else np.nan


def required_certificate(certs: list[dict]) -> tuple[str | None, float, str | None]:
    """The job's first non-title certificate requirement: (key, level or NaN, canonical name)."""
    for cert in certs:
        if cert.get("kind") in CERT_KINDS_REQUIRED and certificate_key(cert):
            level = cert.get("level")
            return certificate_key(cert), float(level) if level else np.nan, cert.get("name")
    return None, np.nan, None


@dataclass(frozen=True)
class Profiles:
    """Per-entity attributes as aligned arrays: ``columns[name][i]`` belongs to ``ids[i]``.

    ``encoded`` holds what the pair features read as flat numbers (matcher.rank.encoded), made from the
    columns when not given: the rows of a talent table (TALENT_LAYOUT's columns) or a job table (JOB_LAYOUT's);
    None for a table holding only some columns (enough for reasons, not for features).
    """

    ids: np.ndarray
    columns: dict[str, np.ndarray]
    encoded: EncodedProfiles | None = field(default=None, compare=False, repr=False)
    _position: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._position.update({str(k): i for i, k in enumerate(self.ids)})
        if self.encoded is None:
            layout = _layout_of(self.columns)
            if layout is not None:
                object.__setattr__(self, "encoded", EncodedProfiles.of(self.columns, layout))

    def __len__(self) -> int:
        return len(self.ids)

    def positions(self, ids: Iterable[object]) -> np.ndarray:
        """(n,) int64 row of each id; KeyError for an id without a profile."""
        # Through a numpy object array: iterating pandas' Arrow-backed strings is slower (scripts/bench_rank.py).
        values = ids.to_numpy(dtype=object) if isinstance(ids, pd.Series) else ids
        if isinstance(values, np.ndarray) and len(values) > FACTORIZE_FROM:
            # Pairs repeat each talent and job many times: look up each distinct id once.
            codes, distinct = pd.factorize(values)
            if (codes < 0).any():
                raise KeyError("no profile for id None")
            return self.positions(list(distinct))[codes]
        try:
            return np.fromiter((self._position[str(i)] for i in values), dtype=np.int64)
        except KeyError as missing:
            raise KeyError(f"no profile for id {missing.args[0]!r}") from None

    def features_table(self) -> EncodedProfiles:
        """``encoded``, or a ValueError naming what is missing for features."""
        if self.encoded is None:
            raise ValueError("these profiles hold neither every column of TALENT_LAYOUT nor every column of "
                             f"JOB_LAYOUT, which the features need (they hold {sorted(self.columns)})")
        return self.encoded

    def replaced(self, fresh: Profiles, gone: Iterable[object] = ()) -> Profiles:
        """A new table: rows of ``fresh`` added or replacing same-id rows, rows of ``gone`` dropped."""
        dropped = [self._position.get(str(i), -1) for i in (*gone, *fresh.ids)]
        keep_mask = np.ones(len(self.ids), dtype=bool)
        keep_mask[[p for p in dropped if p >= 0]] = False
        keep = np.flatnonzero(keep_mask)
        columns = {name: np.concatenate([values[keep], fresh.columns[name]]) for name, values in self.columns.items()}
        encoded = None
        if self.encoded is not None and fresh.encoded is not None:
            encoded = concatenate([self.encoded, fresh.encoded], [keep, np.arange(len(fresh))])
        return Profiles(np.concatenate([self.ids[keep], fresh.ids]), columns, encoded)

    def subset(self, ids: Iterable[object]) -> Profiles:
        """The rows of ``ids``, in that order (what a bulk worker needs of one batch)."""
        rows = self.positions(ids)
        return Profiles(self.ids[rows], {name: values[rows] for name, values in self.columns.items()},
                        None if self.encoded is None else self.encoded.take(rows))

    def row(self, entity_id: object, columns: Sequence[str] | None = None) -> dict[str, object]:
        """The profile of ``entity_id``: every column, or only ``columns``."""
        try:
            i = self._position[str(entity_id)]
        except KeyError:
            raise KeyError(f"no profile for id {entity_id!r}") from None
        return self.row_at(i, columns)

    def row_at(self, position: int, columns: Sequence[str] | None = None) -> dict[str, object]:
        """The profile at row ``position`` (from :meth:`positions`): every column, or only ``columns``."""
        if columns is None:
            return {name: values[position] for name, values in self.columns.items()}
        return {name: self.columns[name][position] for name in columns}

    def rows_at(self, positions: np.ndarray, columns: Sequence[str] | None = None) -> list[dict[str, object]]:
        """:meth:`row_at` of each position, each distinct one read once (a query's own side repeats one row)."""
        read: dict[int, dict[str, object]] = {}
        for position in positions.tolist():
            if position not in read:
                read[position] = self.row_at(position, columns)
        return [read[position] for position in positions.tolist()]


def _layout_of(columns: dict[str, np.ndarray]) -> Layout | None:
    for layout in (TALENT_LAYOUT, JOB_LAYOUT):
        if {*layout.numbers, *layout.codes, *layout.sets} <= columns.keys():
            return layout
    return None


def title_bigrams(title: object) -> frozenset[str]:
    """Character bigrams of a job title (single characters for one-character titles); empty when missing."""
    if not isinstance(title, str) or not title.strip():
        return frozenset()
    text = "".join(title.lower().split())
    return frozenset(text[i:i + 2] for i in range(len(text) - 1)) or frozenset(text)


def _objects(values: Iterable[object]) -> np.ndarray:
    items = list(values)
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


def _per_distinct(column: pd.Series, function) -> np.ndarray:
    """``function`` of each value as an object array, called once per distinct value (and once for the missing
    ones, as None): a pool's titles repeat. Only for functions of strings that treat every non-string alike."""
    codes, distinct = pd.factorize(column.to_numpy(dtype=object))
    return _objects([*map(function, distinct), function(None)])[codes]  # code -1 (missing) takes the last


def _texts(frame: pd.DataFrame, column: str) -> np.ndarray:
    """Codes and keys as an object array with None for every kind of missing (NaN, pd.NA, empty), so pair
    features compare them with plain elementwise ``==`` and ``is not None`` instead of pandas' isna. Rows with
    one code share one string (a million talents come from a few hundred regions)."""
    return _per_distinct(frame[column], lambda v: v if isinstance(v, str) and v else None)


def _shared(held: Iterable[dict[str, int]]) -> np.ndarray:
    """The dicts as an object array, equal ones one object (most people hold none or the same few
    certificates). They are read, never changed, once in a profile table."""
    canonical: dict[tuple, dict[str, int]] = {}
    return _objects(canonical.setdefault(tuple(d.items()), d) for d in held)


def _frozensets(values: Iterable[object]) -> np.ndarray:
    """``frozenset(_as_list(v))`` of each value; equal sets share one object (frozensets cannot change, and a
    pool repeats its skill and city sets), which keeps a million profiles' sets to thousands of objects."""
    canonical: dict[frozenset, frozenset] = {}
    return _objects(canonical.setdefault(s, s) for s in (frozenset(_as_list(v)) for v in values))


def _numbers(frame: pd.DataFrame, column: str) -> np.ndarray:
    return pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=np.float64)


def talent_profiles(talents: pd.DataFrame, reference_year: int, encoded: EncodedProfiles | None = None) -> Profiles:
    """Per-talent attributes. reference_year fixes age so scores are reproducible. ``encoded``: these rows'
    encoded profiles when already at hand (saved and mapped, matcher.shared_tables), else made here."""
    certs = [_as_list(v) for v in talents["certificates_norm"].to_numpy()]
    columns = {
        "held_certs": _shared(held_certificates(c) for c in certs),
        "title_rank": np.array([best_title_rank(c) for c in certs], dtype=np.float64),
        "skills": _frozensets(talents["skills_norm"].to_numpy()),
        "intent_city_codes": _frozensets(talents["intent_city_codes"].to_numpy()),
        "title_bigrams": _per_distinct(talents["current_title"], title_bigrams),
        **{col: _texts(talents, col) for col in TALENT_TEXT_COLUMNS},
        **{col: _numbers(talents, col) for col in ("education_rank", "experience_years", "expected_salary_min")},
        "willing_to_return": np.array([_yes_no(v) for v in talents["willing_to_return"].to_numpy()]),
        "age": reference_year - _numbers(talents, "birth_year"),
        "talent_category": np.array([_category_code(v) for v in talents["category"].to_numpy()]),
        **talent_fit_columns(talents["major_code"].to_numpy(dtype=object),
                             talents["major_occupations"].to_numpy(dtype=object), certs),
    }
    return Profiles(talents["talent_id"].astype(str).to_numpy(), columns, encoded)


def job_profiles(jobs: pd.DataFrame, encoded: EncodedProfiles | None = None) -> Profiles:
    """Per-job attributes; ``encoded`` as for :func:`talent_profiles`."""
    certs = [_as_list(v) for v in jobs["certificates_norm"].to_numpy()]
    required = [required_certificate(c) for c in certs]
    columns = {
        "req_cert_key": _objects(r[0] for r in required),
        "req_cert_level": np.array([r[1] for r in required], dtype=np.float64),
        "req_cert_name": _objects(r[2] for r in required),
        "req_title_rank": np.array([best_title_rank(c) for c in certs]),
        "skills": _objects(frozenset(_as_list(v)) for v in jobs["skills_norm"].to_numpy()),
        "title_bigrams": _objects(title_bigrams(v) for v in jobs["title"].to_numpy()),
        "title": _texts(jobs, "title"),
        **{col: _texts(jobs, col) for col in JOB_TEXT_COLUMNS},
        **{col: _numbers(jobs, col) for col in JOB_NUMBER_COLUMNS},
    }
    columns.update(job_fit_columns(columns["occupation_code"], certs, columns["req_cert_key"]))
    return Profiles(jobs["job_id"].astype(str).to_numpy(), columns, encoded)


def _yes_no(value: object) -> float:
    """1.0 / 0.0 for a yes / no in the one vocabulary of :func:`matcher.normalize.cells.yes_no`, NaN otherwise."""
    flag = yes_no(value)
    return np.nan if flag is None else float(flag)


def _category_code(value: object) -> float:
    return float(TALENT_CATEGORIES.index(value)) if value in TALENT_CATEGORIES else np.nan
