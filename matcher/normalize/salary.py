"""Salary cells → a range in yuan per month (8-12万/年, 6k-8k, 年薪20万, 150元/天, 20-30K·13薪).

Conventions: a yearly figure is divided by 12; a daily one is multiplied by 21.75 and an hourly one by
174 (21.75 × 8), the statutory average working days and hours of a month; N薪 (N months' pay a year)
scales the monthly figure by N/12. Results are rounded half up to whole yuan. "5000以上" gives
(5000, None), "3000以下" gives (None, 3000): an open end stays open rather than being guessed. A figure
in 万 that states no period and would exceed 10万 a month (15-20万) is taken as yearly.
面议 and anything unreadable give (None, None).
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

WORKING_DAYS_PER_MONTH = 21.75
WORKING_HOURS_PER_MONTH = WORKING_DAYS_PER_MONTH * 8
MIN_MONTHLY_YUAN = 100
"""A monthly figure below this is a misread (a bare 8-12 with its unit left out), not a salary."""
MAX_PLAIN_MONTHLY_YUAN = 100_000
"""Above this, a figure in 万 that states no period (15-20万) is read as yearly pay."""

_UNITS = {"万": 10000, "W": 10000, "千": 1000, "K": 1000, "元": 1, "块": 1, "": 1}
_NUMBER = re.compile(r"(\d+(?:\.\d+)?)(万|W|千|K|元|块)?")
_RANGE = re.compile(r"(\d+(?:\.\d+)?)(万|W|千|K|元|块)?(?:-|~|至|到)(\d+(?:\.\d+)?)(万|W|千|K|元|块)?")
_MONTHS_PAID = re.compile(r"(\d{2})薪")
_YEARLY = re.compile(r"年薪|/年|每年|一年|年收入|元年|万年")
_DAILY = re.compile(r"日薪|/天|/日|每天|元天|元日")
_HOURLY = re.compile(r"时薪|/小时|/时|每小时|元时")
_FLOOR = re.compile(r"以上|起|不低于|最低|至少|底薪|保底|\+")
_CEILING = re.compile(r"以下|以内|不超过|最高|至多")
_NEGOTIABLE = ("面议", "协商", "商议", "待遇从优", "面谈")


@dataclass(frozen=True)
class SalaryRange:
    """Yuan per month; either end may be None (open or unknown)."""

    raw: str | None
    min: int | None
    max: int | None


def normalize_salary(text: str | None) -> SalaryRange:
    """8-12万/年 → (6667, 10000); 6k-8k → (6000, 8000); 面议 → (None, None)."""
    key = _key(text or "")
    if not key or any(word in key for word in _NEGOTIABLE):
        return SalaryRange(text, None, None)
    key, months_paid = _without_months_paid(key)
    low, high = _amounts(key)
    if low is None:
        return SalaryRange(text, None, None)
    scale = _period_scale(key, max(low, high or 0)) * months_paid / 12
    low, high = low * scale, (high * scale if high is not None else None)
    if max(low, high or 0) < MIN_MONTHLY_YUAN:
        return SalaryRange(text, None, None)
    if high is None:
        if _CEILING.search(key):
            return SalaryRange(text, None, _round(low))
        return SalaryRange(text, _round(low), None if _FLOOR.search(key) else _round(low))
    low, high = sorted((low, high))
    return SalaryRange(text, _round(low), _round(high))


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).upper()
    text = re.sub(r"[\s,，]", "", text).replace("—", "-").replace("–", "-").replace("－", "-")
    return text.replace("每月", "/月").replace("每天", "/天")


def _without_months_paid(key: str) -> tuple[str, int]:
    match = _MONTHS_PAID.search(key)
    if match is None:
        return key, 12
    return key[: match.start()] + key[match.end():], int(match.group(1))


def _amounts(key: str) -> tuple[float | None, float | None]:
    """The figures in yuan of the period stated; a range's unit carries back to a unitless start (8-12万)."""
    match = _RANGE.search(key)
    if match:
        low, low_unit, high, high_unit = match.groups()
        low_value, high_value = float(low), float(high)
        # 8-12万 means 8万-12万, but 8000-1.2万 does not mean 8000万; 1.5万-2 means 2万, 8千-12000 does not.
        low_unit = low_unit or (high_unit if low_value <= high_value else None)
        high_unit = high_unit or (low_unit if high_value < low_value * _UNITS[low_unit or ""] else None)
        return low_value * _UNITS[low_unit or ""], high_value * _UNITS[high_unit or ""]
    match = _NUMBER.search(key)
    if match is None:
        return None, None
    return float(match.group(1)) * _UNITS[match.group(2) or ""], None


def _period_scale(key: str, largest: float) -> float:
    """Factor from the stated period to a month; 15-20万 with no period is a yearly figure."""
    if _YEARLY.search(key) or (largest > MAX_PLAIN_MONTHLY_YUAN and "万" in key):
        return 1 / 12
    if _DAILY.search(key):
        return WORKING_DAYS_PER_MONTH
    if _HOURLY.search(key):
        return WORKING_HOURS_PER_MONTH
    return 1.0


def _round(value: float) -> int:
    return math.floor(value + 0.5)
