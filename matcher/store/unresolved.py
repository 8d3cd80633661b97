"""Values imported as written but not understood by a normaliser: each becomes a warning for the clerk.

A warning never rejects a row (the value is kept as raw text, its normalised columns null); it tells staff
which place, certificate, salary, experience, industry or occupation matching will not be able to use.
Education and a talent's years of experience are errors, not warnings: see matcher.normalize.records.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache

from matcher.normalize.cells import clean_text
from matcher.normalize.records import LIST_SEPARATORS, NO_REQUIREMENT
from matcher.normalize.region import normalize_region
from matcher.normalize.rules import MEMO_SIZE

Values = Mapping[str, object]
Check = Callable[[str, Values], str | None]
"""(cleaned cell text, normalised record) → the problem in Chinese, or None when the value resolved."""

PLACE = "未能识别为省、市或区县，已按原文保存；匹配时不计此地点"
SALARY = "未能识别为薪资（如 8000-12000元/月、1.2万、面议），已按原文保存"
EXPERIENCE = "未能识别为经验年限（如 3年以上、1-3年、不限），已按原文保存"
INDUSTRY = "未能对应到国民经济行业分类或重点产业，已按原文保存"
OCCUPATION = "未能对应到《职业分类大典》中的职业，已按原文保存；匹配时只比较文字"
NEGOTIABLE = ("面议", "协商", "商议", "面谈", "从优")


def _none_of(*columns: str, problem: str) -> Check:
    def check(_text: str, values: Values) -> str | None:
        return problem if all(values.get(c) is None for c in columns) else None
    return check


def _salary(text: str, values: Values, low: str, high: str) -> str | None:
    if any(word in text for word in NEGOTIABLE):
        return None
    return SALARY if values.get(low) is None and values.get(high) is None else None


def _intent_cities(text: str, _values: Values) -> str | None:
    missing = [piece for piece in LIST_SEPARATORS.split(text) if piece and _city_code(piece) is None]
    return f"中的“{'、'.join(missing)}”{PLACE}" if missing else None


@lru_cache(maxsize=65536)
def _city_code(text: str) -> str | None:
    return normalize_region(text).city_code


def _certificates(_text: str, values: Values) -> str | None:
    """Pieces the normaliser kept only as text ('other' named by its own raw text)."""
    unknown = [c["raw"] for c in values.get("certificates_norm") or () if c.get("kind") == "other"
               and c.get("name") == str(c.get("raw", "")).strip()]
    return f"中的“{'、'.join(unknown)}”未在证书目录中找到，已按原文保存" if unknown else None


def _job_experience(text: str, values: Values) -> str | None:
    if text in NO_REQUIREMENT:
        return None
    return EXPERIENCE if values.get("experience_min") is None and values.get("experience_max") is None else None


TALENT_CHECKS: dict[str, Check] = {
    "hometown": _none_of("hometown_province_code", problem=PLACE),
    "current_city": _none_of("current_city_code", problem=PLACE),
    "intent_cities": _intent_cities,
    "certificates": _certificates,
    "expected_salary": lambda text, values: _salary(text, values, "expected_salary_min", "expected_salary_max"),
    "industry": _none_of("industry_key", "industry_section", problem=INDUSTRY),
    "current_title": _none_of("occupation_code", problem=OCCUPATION),
}
JOB_CHECKS: dict[str, Check] = {
    "city": _none_of("province_code", problem=PLACE),
    "certificates": _certificates,
    "salary": lambda text, values: _salary(text, values, "salary_min", "salary_max"),
    "experience": _job_experience,
    "industry": _none_of("industry_key", "industry_section", problem=INDUSTRY),
    "title": _none_of("occupation_code", problem=OCCUPATION),
}
CHECKS: dict[str, dict[str, Check]] = {"talents": TALENT_CHECKS, "jobs": JOB_CHECKS}


CONTEXT_COLUMNS = frozenset({"city"})
"""Columns whose outcome depends on another cell too (a job's city is read with its county): never memoised."""
_MEMO: dict[tuple[str, str, str], str] = {}
"""(kind, column, text) → problem ('' when resolved): sheets repeat a few hundred places and titles."""


def unresolved(kind_name: str, raw: Mapping[str, object], values: Values) -> list[tuple[str, str, str]]:
    """(column, cell text, problem) for each value of one row that did not resolve."""
    found = []
    for column, check in CHECKS.get(kind_name, {}).items():
        text = clean_text(raw.get(column)) if column in raw else None
        if text is None and column == "current_title":
            text = clean_text(values.get("current_title"))  # split out of 现工作单位及职务
        if text is None:
            continue
        key = (kind_name, column, text)
        problem = _MEMO.get(key)
        if problem is None:
            problem = check(text, values) or ""
            if column not in CONTEXT_COLUMNS:
                if len(_MEMO) >= MEMO_SIZE:
                    _MEMO.clear()
                _MEMO[key] = problem
        if problem:
            found.append((column, text, problem))
    return found
