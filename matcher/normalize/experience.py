"""Experience cells → a range of years (3-5年, 10年以上, 应届毕业生, 三年以上, 一年以内, 6个月).

应届 / 在校 / 无经验 mean none yet: (0, 0). 不限 and unreadable cells give (None, None). "N年以下" and
"N年以内" give (0, N). Whole numbers come back as int, fractions (半年, 6个月) as float.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

NO_REQUIREMENT = ("不限", "无要求", "不要求", "无需经验", "无经验要求", "经验不限", "不需要经验")
MAX_YEARS = 60
"""More years than a working life: a misread such as a graduation year (2015年毕业), not experience."""
NO_EXPERIENCE_YET = ("应届", "在校", "毕业生", "无经验", "零经验", "没有经验", "无工作经验")

_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUMERAL = r"\d+(?:\.\d+)?|[零一二两三四五六七八九十]+"
_RANGE = re.compile(rf"({_NUMERAL})(?:年|个月|月)?(?:-|~|至|到)({_NUMERAL})(年|个月|月)")
_AMOUNT = re.compile(rf"({_NUMERAL})(年半|年|个月|月)|(半)年")
_FLOOR_AFTER = re.compile(r"及?以上|起|\+")
_FLOOR_BEFORE = re.compile(r"(?:不少于|至少|最少|超过|大于)$")
_CEILING_AFTER = re.compile(r"以下|以内|之内|内")
_CEILING_BEFORE = re.compile(r"(?:不满|不足|少于|不超过|最多)$")


@dataclass(frozen=True)
class ExperienceRange:
    """Years; either end may be None (open or unknown)."""

    raw: str | None
    min: float | int | None
    max: float | int | None


def normalize_experience(text: str | None) -> ExperienceRange:
    """3-5年 → (3, 5); 10年以上 → (10, None); 应届毕业生 → (0, 0); 不限 → (None, None)."""
    found = _read(text)
    if any(bound is not None and bound > MAX_YEARS for bound in (found.min, found.max)):
        return ExperienceRange(text, None, None)
    return found


def _read(text: str | None) -> ExperienceRange:
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")).replace("—", "-").replace("–", "-")
    if not key or any(word in key for word in NO_REQUIREMENT):
        return ExperienceRange(text, None, None)
    if any(word in key for word in NO_EXPERIENCE_YET):
        return ExperienceRange(text, 0, 0)
    if re.fullmatch(r"\d+(?:\.\d+)?", key):
        return ExperienceRange(text, _tidy(float(key)), _tidy(float(key)))
    match = _RANGE.search(key)
    if match:
        low, high, unit = match.groups()
        return ExperienceRange(text, _years(low, unit), _years(high, unit))
    match = _AMOUNT.search(key)
    if match is None:
        return ExperienceRange(text, None, None)
    years = 0.5 if match.group(3) else _years(match.group(1), match.group(2))
    before, after = key[: match.start()], key[match.end():]
    if _CEILING_AFTER.match(after) or _CEILING_BEFORE.search(before):
        return ExperienceRange(text, 0, years)
    open_ended = _FLOOR_AFTER.match(after) or _FLOOR_BEFORE.search(before)
    return ExperienceRange(text, years, None if open_ended else years)


def _years(numeral: str, unit: str) -> float | int:
    value = _number(numeral)
    if unit in ("个月", "月"):
        value /= 12
    elif unit == "年半":
        value += 0.5
    return _tidy(value)


def _number(numeral: str) -> float:
    """Arabic digits or a Chinese numeral below 100 (三, 十, 十二, 二十)."""
    if numeral[0].isdigit():
        return float(numeral)
    if "十" not in numeral:
        return float(_DIGITS[numeral[-1]])
    tens, _, units = numeral.partition("十")
    return float((_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[units] if units else 0))


def _tidy(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 2)
