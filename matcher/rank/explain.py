"""Plain-Chinese reasons for a match, built from its features and the two profiles.

Reasons state facts the talent and staff can check ("持有焊工三级（高级工）证书，满足岗位要求的四级");
where data is missing the reason says so instead of implying a match.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from matcher.catalogs.regions import region_by_code
from matcher.rank.profiles import Profiles

LEVEL_NAMES = {1: "一级（高级技师）", 2: "二级（技师）", 3: "三级（高级工）", 4: "四级（中级工）", 5: "五级（初级工）"}
LEVEL_SHORT = {1: "一级", 2: "二级", 3: "三级", 4: "四级", 5: "五级"}
EDUCATION_NAMES = {1: "初中及以下", 2: "高中/中专", 3: "大专", 4: "本科", 5: "硕士", 6: "博士"}
HOMETOWN_SCOPE = {3: "同县", 2: "同市", 1: "同省"}
OCCUPATION_REASON = "职业对口"
REASON_FEATURES = ("cert_required", "cert_held", "cert_meets_level", "occupation_match", "skill_overlap",
                   "industry_same_key", "hometown_level", "willing_to_return", "job_city_in_intent", "education_gap",
                   "experience_gap", "urgency_stars")
"""The feature columns :func:`match_reasons` reads."""


def _known(value: object) -> bool:
    """False for None and NaN of any float type (feature rows are float32, profiles float64)."""
    return value is not None and value == value  # NaN is the one value unequal to itself


def _scalar(value: object) -> object:
    """NaN as None, so cache keys built from values compare equal (NaN never equals itself)."""
    return value if value == value else None


@lru_cache(maxsize=1 << 14)
def _region_name(*codes: object) -> str:
    names = []
    for code in codes:
        entry = region_by_code(code) if isinstance(code, str) else None
        if entry and entry.name not in names:
            names.append(entry.name)
    return "".join(names)


def certificate_reason(f: Mapping, talent: Mapping, job: Mapping) -> str | None:
    if not f["cert_required"]:
        return None
    held = talent["held_certs"].get(job["req_cert_key"], 0)
    return _certificate_text(f["cert_held"] == 0, _scalar(f["cert_meets_level"]) == 1, job["req_cert_name"],
                             _scalar(job["req_cert_level"]), held)


@lru_cache(maxsize=1 << 14)
def _certificate_text(not_held: bool, meets: bool, name: str | None, req: float | None, held: int) -> str:
    name = name or "相关"
    req_text = f"{LEVEL_SHORT[int(req)]}" if req is not None else "（未注明等级）"
    if not_held:
        return f"岗位要求{name}证书{req_text if req is not None else ''}，未登记该证书"
    if not held:
        return f"持有{name}证书（未注明等级），岗位要求{req_text}"
    if req is None:
        return f"持有{name}{LEVEL_NAMES[held]}证书，岗位未注明等级要求"
    return f"持有{name}{LEVEL_NAMES[held]}证书，{'满足' if meets else '低于'}岗位要求的{req_text}"


def hometown_reason(f: Mapping, talent: Mapping) -> str:
    return _hometown_text(_scalar(f["hometown_level"]), f["willing_to_return"] == 1,
                          *(_scalar(talent[c]) for c in HOMETOWN_COLUMNS))


HOMETOWN_COLUMNS = ("hometown_province_code", "hometown_city_code", "hometown_county_code")


@lru_cache(maxsize=1 << 16)
def _hometown_text(level: float | None, willing: bool, province: str | None, city: str | None,
                   county: str | None) -> str:
    if level is None:
        return "籍贯信息缺失，未计入家乡因素"
    if int(level) == 0:
        return f"籍贯{_region_name(city, county) or '外省'}，与岗位所在地不同"
    codes = {3: (city, county), 2: (city,), 1: (province,)}[int(level)]
    text = f"籍贯{_region_name(*codes)}，与岗位所在地{HOMETOWN_SCOPE[int(level)]}"
    return text + ("，愿意返乡" if willing else "")


def salary_reason(talent: Mapping, job: Mapping) -> str:
    return _salary_text(_scalar(talent["expected_salary_min"]), _scalar(job["salary_min"]), _scalar(job["salary_max"]))


@lru_cache(maxsize=1 << 16)
def _salary_text(expected: float | None, low: float | None, high: float | None) -> str:
    if expected is None:
        return "未填写期望薪资"
    if low is None and high is None:
        return f"期望月薪{int(expected)}元，岗位薪资面议"
    if low is not None and high is not None and low != high:
        offered = f"{int(low)}–{int(high)}元"
    else:
        offered = f"{int(high if high is not None else low)}元"
    return f"期望月薪{int(expected)}元，岗位提供{offered}"


def requirement_reasons(f: Mapping, talent: Mapping, job: Mapping) -> list[str]:
    return list(_requirement_texts(_scalar(f["education_gap"]), _scalar(talent["education_rank"]),
                                   _scalar(job["education_rank"]), _scalar(f["experience_gap"]),
                                   _scalar(talent["experience_years"]), _scalar(job["experience_min"])))


@lru_cache(maxsize=1 << 16)
def _requirement_texts(education_gap: float | None, own: float | None, required: float | None,
                       experience_gap: float | None, years: float | None, need: float | None) -> tuple[str, ...]:
    texts = (_education_text(education_gap, own, required), _experience_text(experience_gap, years, need))
    return tuple(text for text in texts if text is not None)


@lru_cache(maxsize=1 << 12)
def _education_text(education_gap: float | None, own: float | None, required: float | None) -> str | None:
    if education_gap is not None:
        verdict = "满足" if education_gap >= 0 else "低于"
        return f"学历{EDUCATION_NAMES[int(own)]}，{verdict}岗位{EDUCATION_NAMES[int(required)]}要求"
    return "学历信息缺失" if own is None else None


@lru_cache(maxsize=1 << 14)
def _experience_text(experience_gap: float | None, years: float | None, need: float | None) -> str | None:
    if experience_gap is None:
        return None
    verdict = "满足" if experience_gap >= 0 else "少于"
    return f"{years:g}年工作经验，{verdict}岗位要求的{need:g}年"


def _skills_text(talent_skills: frozenset[str], job_skills: frozenset[str]) -> str:
    common = sorted(talent_skills & job_skills)[:5]
    return f"技能匹配：{'、'.join(common)}"


def _industry_text(industry_key: object) -> str:
    return f"同属{industry_key}产业"


def _intent_city_text(city_code: object) -> str:
    return f"岗位所在的{_region_name(city_code)}是意向工作城市"


def _urgency_text(stars: float) -> str:
    return f"该岗位为{'★' * int(stars)}急需紧缺岗位"


def match_reasons(f: Mapping, talent: Mapping, job: Mapping) -> list[str]:
    """Reasons for one pair, most decisive first. f: one row of build_features; talent/job: profile rows."""
    reasons = [r for r in (certificate_reason(f, talent, job),) if r]
    if f["occupation_match"] == 4:
        reasons.append(OCCUPATION_REASON)
    if _known(f["skill_overlap"]) and f["skill_overlap"] > 0:
        reasons.append(_skills_text(talent["skills"], job["skills"]))
    if f["industry_same_key"] == 1:
        reasons.append(_industry_text(job["industry_key"]))
    reasons.append(hometown_reason(f, talent))
    if f["job_city_in_intent"] == 1:
        reasons.append(_intent_city_text(job["city_code"]))
    reasons.extend(requirement_reasons(f, talent, job))
    reasons.append(salary_reason(talent, job))
    if _known(f["urgency_stars"]) and f["urgency_stars"] >= 4:
        reasons.append(_urgency_text(f["urgency_stars"]))
    return reasons


def top_contributions(values: np.ndarray, names: Sequence[str], top: int = 5) -> list[dict[str, float]]:
    """The ``top`` largest of one row's contributions by absolute value, as [{feature, contribution}]."""
    values = np.asarray(values, dtype=float)
    order = np.argsort(-np.abs(values), kind="stable")[:top]
    return [{"feature": str(names[i]), "contribution": round(float(values[i]), 4)} for i in order if values[i] != 0]


def reasons_for_pairs(features: pd.DataFrame, talents: Profiles, jobs: Profiles, talent_ids: Sequence[str],
                      job_ids: Sequence[str]) -> list[tuple[str, ...]]:
    """:func:`match_reasons` of many pairs (bulk runs): feature rows aligned with the two id sequences.

    A reason at a time: each depends on a few values (features, the talent's or the job's attributes), so
    its text is built once per distinct combination among the rows, by the builders :func:`match_reasons`
    uses; each row's tuple is then zipped from the reasons it has.
    """
    talent_rows, job_rows = talents.positions(talent_ids), jobs.positions(job_ids)
    n = len(features)
    if len(talent_rows) != n or len(job_rows) != n:
        raise ValueError(f"{n} feature rows for {len(talent_rows)} talent ids and {len(job_rows)} job ids")
    if not n:
        return []
    f = {name: _Arg.of(features[name].to_numpy(dtype=np.float64)) for name in REASON_FEATURES}
    t, j = _Side(talents, talent_rows), _Side(jobs, job_rows)
    every = np.ones(n, dtype=bool)
    reasons = [
        _certificate_reasons(f, t, j),
        _constant(f["occupation_match"].values == 4, OCCUPATION_REASON),
        _per_key(f["skill_overlap"].values > 0, _skills_text, t.arg("skills", False), j.arg("skills", False)),
        _per_key(f["industry_same_key"].values == 1, _industry_text, j.arg("industry_key", False)),
        _per_key(every, _hometown_text, f["hometown_level"], _Arg.of(f["willing_to_return"].values == 1),
                 *(t.arg(c) for c in HOMETOWN_COLUMNS)),
        _per_key(f["job_city_in_intent"].values == 1, _intent_city_text, j.arg("city_code", False)),
        _per_key(every, _education_text, f["education_gap"], t.arg("education_rank"), j.arg("education_rank")),
        _per_key(every, _experience_text, f["experience_gap"], t.arg("experience_years"), j.arg("experience_min")),
        _per_key(every, _salary_text, t.arg("expected_salary_min"), j.arg("salary_min"), j.arg("salary_max")),
        _per_key(f["urgency_stars"].values >= 4, _urgency_text,
                 _Arg.of(f["urgency_stars"].values, scalar=False)),
    ]
    return _zip_present(reasons, n)


@dataclass(frozen=True)
class _Arg:
    """One builder argument for n rows: ``values`` (n,) or an entity column read through ``rows``, and ``key``
    (n,) numeric or bool, equal exactly where the values are (floats by their bits)."""

    key: np.ndarray
    values: np.ndarray
    rows: np.ndarray | None = None
    scalar: bool = True
    """Pass values through :func:`_scalar` (NaN as None), as match_reasons passes this argument."""

    @classmethod
    def of(cls, values: np.ndarray, scalar: bool = True) -> _Arg:
        return cls(_object_codes(values.tolist()) if values.dtype.kind == "O" else values, values, scalar=scalar)

    def at(self, rows: np.ndarray) -> list:
        """Python values at ``rows``, as match_reasons passes them to the builder."""
        values = self.values[rows if self.rows is None else self.rows[rows]]
        if not self.scalar or values.dtype.kind in "biu":
            return values.tolist()
        if values.dtype.kind == "f":  # _scalar, at once
            out = values.astype(object)
            out[np.isnan(values)] = None
            return out.tolist()
        return [_scalar(v) for v in values.tolist()]


class _Side:
    """The talents' or jobs' profile rows of n pairs; keys are found once per distinct entity among them."""

    def __init__(self, profiles: Profiles, rows: np.ndarray) -> None:
        self.columns, self.rows = profiles.columns, rows
        self.entity, self.distinct = pd.factorize(rows)

    def arg(self, name: str, scalar: bool = True) -> _Arg:
        column = self.columns[name]
        return _Arg(_key_codes([_Arg.of(column[self.distinct]).key])[self.entity], column, self.rows, scalar)


_Reasons = tuple[np.ndarray, np.ndarray]
"""One reason for n rows: (k + 1,) object texts, the last None, and (n,) int64 codes into them (-1: None)."""


def _certificate_reasons(f: Mapping[str, _Arg], t: _Side, j: _Side) -> _Reasons:
    """:func:`certificate_reason` of every row (None where the job requires no certificate)."""
    required = f["cert_required"].values != 0  # NaN counts as required, as ``not f["cert_required"]`` does
    rows = np.flatnonzero(required)
    held_certs, keys = t.columns["held_certs"], j.columns["req_cert_key"]
    held_rows = [held_certs[a].get(keys[b], 0) for a, b in zip(t.rows[rows].tolist(), j.rows[rows].tolist(),
                                                                 strict=True)]
    held, held_key = np.zeros(len(required), dtype=object), np.zeros(len(required), dtype=np.int64)
    held[rows], held_key[rows] = _objects(held_rows), _object_codes(held_rows)
    return _per_key(required, _certificate_text, _Arg.of(f["cert_held"].values == 0),
                    _Arg.of(f["cert_meets_level"].values == 1), j.arg("req_cert_name", False), j.arg("req_cert_level"),
                    _Arg(held_key, held, scalar=False))


def _constant(mask: np.ndarray, text: str) -> _Reasons:
    return np.array([text, None], dtype=object), np.where(mask, 0, -1)


def _per_key(mask: np.ndarray, build: Callable[..., str | None], *args: _Arg) -> _Reasons:
    """``build(*args at i)`` for the first row i of each distinct combination of the args among the rows in
    ``mask``, for every row with those args; None outside ``mask``.

    Texts are built in row order, as match_reasons builds them (its lru_caches see the same first calls).
    """
    rows = np.flatnonzero(mask)
    code = pd.factorize(_key_codes([arg.key[rows] for arg in args]))[0]
    # factorize numbers in order of first appearance: a combination's first row is where the running max grows.
    first = rows[np.flatnonzero(code > np.concatenate(([-1], np.maximum.accumulate(code)[:-1])))]
    texts = np.empty(len(first) + 1, dtype=object)  # the last stays None, for rows outside mask
    texts[:-1] = [build(*values) for values in zip(*(arg.at(first) for arg in args), strict=True)]
    codes = np.full(len(mask), -1, dtype=np.int64)
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
            part, distinct = pd.factorize(key)
            count = len(distinct)
        if size * count >= 1 << 62:
            code, distinct = pd.factorize(code)
            size = len(distinct)
        code, size = code * count + part, size * count
    return code


def _object_codes(values: list) -> np.ndarray:
    """Codes equal where the values are equal as dict keys (pandas' factorize would also join None with NaN)."""
    codes: dict[object, int] = {}
    return np.fromiter((codes.setdefault(v, len(codes)) for v in values), dtype=np.int64, count=len(values))


def _objects(values: list) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _zip_present(reasons: Sequence[_Reasons], n: int) -> list[tuple[str, ...]]:
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
