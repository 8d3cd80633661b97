"""Education cells → one of six ranked levels (catalogs/education_levels.csv): 初中及以下 … 博士.

A cell naming several levels (中专/技校, 大专或本科) gives the lowest of them: for a job that is the
floor it accepts, and for a talent it never overstates what they hold.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from matcher.catalogs.education import load_education_levels

NO_REQUIREMENT = frozenset({"不限", "学历不限", "不限学历", "无要求", "无学历要求", "学历无要求", "不要求",
                            "任意", "均可", "无限制"})


@dataclass(frozen=True)
class Education:
    """``name`` is the canonical level name of education_levels.csv; both None when no level is stated."""

    raw: str | None
    name: str | None
    rank: int | None


def normalize_education(text: str | None) -> Education:
    """本科 → (本科, 4); 大学本科及以上 → 4; 中专/技校 → 2; 不限 or empty → (None, None)."""
    key = _key(text or "")
    if not key or key in NO_REQUIREMENT:
        return Education(text, None, None)
    index = _index()
    rank = index.by_alias.get(key)
    if rank is None:
        ranks = [index.by_alias[found] for found in index.pattern.findall(key)]
        rank = min(ranks) if ranks else None
    return Education(text, index.names.get(rank) if rank else None, rank)


def _key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).upper()


@dataclass(frozen=True)
class _Index:
    by_alias: dict[str, int]
    names: dict[int, str]
    pattern: re.Pattern[str]


@lru_cache(maxsize=1)
def _index() -> _Index:
    levels = load_education_levels()
    by_alias = {_key(name): level.rank for level in levels for name in (level.name, *level.aliases)}
    # Longest first, so 大学专科 is read as 大专 rather than 大学 and 博士后 rather than 博士.
    alternatives = sorted(by_alias, key=len, reverse=True)
    return _Index(by_alias, {level.rank: level.name for level in levels},
                  re.compile("|".join(map(re.escape, alternatives))))
