"""Recruitment-title cleaning: strip pay, perks, hiring verbs, employer and place names from 招聘岗位名称."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from matcher.catalogs.regions import load_regions

_BRACKETED = re.compile(r"[(（\[【<《{][^)）\]】>》}]*[)）\]】>》}]?")
# Hiring verbs and the employer before them: 深圳天缘烘焙有限公司招聘蛋糕师 → 蛋糕师.
_EMPLOYER_PREFIX = re.compile(r"^.*?(?:有限公司|有限责任公司|集团|公司|门店|工厂|酒店|医院)?"
                              r"(?:诚聘|急聘|招聘|直招|急招|高薪聘请|聘)"
                              r"(?!专员|主管|经理|助理|师|顾问|总监|负责人|hr)")
_NOISE = re.compile(
    "|".join((
        r"(?:月薪|月入|月均|年薪|底薪|综合薪资|薪资|工资|保底|无责)\s*(?:过万|\d+(?:\.\d+)?\s*[kw千万元]?)",
        r"\d+(?:\.\d+)?\s*[kw千万元]?\s*[-~到至]\s*\d+(?:\.\d+)?\s*[kw千万元]?",
        r"\d+(?:\.\d+)?\s*(?:k|w|千|万|元|名|人|岁)(?:/?(?:月|天|小时|年))?(?:以上|起)?",
        r"\d+(?:\.\d+)?\s*%|过万|面议|有?保底|无责|底薪",
        r"[五六七]险[一二]金|社保|公积金|包吃住|包住|包吃|管吃住|食宿|餐补|饭补|房补|带薪|年终奖|提成|高提成|分红",
        r"双休|单休|大小周|周末双休|不加班|朝九晚五|长白班|[早晚]班|倒班",
        r"急招|急聘|直招|诚聘|高薪|热招|名额有限|可兼职|兼职|全职|实习生?|应届生?|储备|学徒|小白|无经验|可培养|"
        r"生熟手均可|熟手|包教|带教|培训|上市公司|五百强|500强|大厂|国企|央企|名企",
    ))
)
_SEPARATORS = re.compile(r"[\s/\\|,，、;；:：+＋\-—–_·•.。!！?？*#@&~～\"'“”‘’]+")
_REGION_LEVELS = ("province", "city")


@lru_cache(maxsize=1)
def _place_names() -> tuple[frozenset[str], int]:
    """Province and city names (full and short) plus full county names; county short names are too often
    ordinary words (南山, 和平, 东方) to strip from a title."""
    names = set()
    for entry in load_regions():
        if entry.is_placeholder:
            continue
        names.add(entry.name)
        if entry.level in _REGION_LEVELS and len(entry.short_name) >= 2:
            names.add(entry.short_name)
    return frozenset(names), max(map(len, names))


def _strip_places(text: str) -> str:
    names, longest = _place_names()
    out, i = [], 0
    while i < len(text):
        for j in range(min(len(text), i + longest), i + 1, -1):
            if text[i:j] in names:
                out.append(" ")
                i = j
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def normalize_title_text(text: str | None) -> str:
    """NFKC, lower case, punctuation → one space; for catalogue names and aliases, which carry no noise."""
    return _SEPARATORS.sub(" ", unicodedata.normalize("NFKC", text or "").lower()).strip()


def clean_job_title(text: str | None) -> str:
    """A lower-cased, NFKC-normalised title with noise replaced by single spaces; '' when nothing is left.

    Falls back to the less-stripped text when cleaning would remove everything (a title that is only a
    place or a perk keeps what it had)."""
    if not text:
        return ""
    title = unicodedata.normalize("NFKC", text).lower()
    without_brackets = _BRACKETED.sub(" ", title).strip() or title
    without_employer = _EMPLOYER_PREFIX.sub(" ", without_brackets).strip() or without_brackets
    stages = [without_employer]
    stages.append(_NOISE.sub(" ", stages[-1]))
    stages.append(_strip_places(stages[-1]))
    for stage in reversed(stages):
        cleaned = _SEPARATORS.sub(" ", stage).strip()
        if cleaned:
            return cleaned
    return ""
