"""Industry cells → key industry, GB/T 4754-2017 section and division (catalogs/industries_gbt4754.csv,
catalogs/key_industries.csv).

A division gives its section and the key industry it maps to; a key industry gives the section or
division only when all its divisions share one; a section gives a key industry only when every
division of the section maps to the same one (制造业 → C with no key industry). Text that is not a
catalogue name is searched for the longest catalogue name it contains (郑州智能制造有限公司 → 智能制造).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache

from matcher.catalogs.industries import KeyIndustry, load_industries, load_key_industries

_CODE = re.compile(r"([A-T])?(\d{2})")
_SEPARATORS = re.compile(r"[、,，;；/|]+")
_ASCII_WORD = re.compile(r"[A-Z]+")


@dataclass(frozen=True)
class Industry:
    """``section`` is a GB/T 4754 letter A..T, ``division`` a 2-digit code; None where not determined."""

    raw: str | None
    key_industry: str | None
    section: str | None
    division: str | None


def normalize_industry(text: str | None) -> Industry:
    """软件和信息技术服务业 → (新一代信息技术, I, 65); 智能制造 → (高端/智能制造, C, None);
    制造业 → (None, C, None)."""
    key = _key(text or "")
    index = _index()
    for piece in (key, *_SEPARATORS.split(key)):
        found = index.exact.get(piece) or _by_code(piece) or _by_contained_name(piece)
        if found is not None:
            return replace(found, raw=text)
    return Industry(text, None, None, None)


def _key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).upper()


def _by_code(piece: str) -> Industry | None:
    """C, 65, I65 or C36: a section letter or a division code, optionally with its section letter."""
    index = _index()
    if len(piece) == 1:
        return index.exact.get(f"SECTION:{piece}")
    match = _CODE.fullmatch(piece)
    found = index.exact.get(f"DIVISION:{match.group(2)}") if match else None
    if found is None or (match.group(1) and match.group(1) != found.section):
        return None
    return found


def _by_contained_name(piece: str) -> Industry | None:
    index = _index()
    matches = [m.group() for m in index.pattern.finditer(piece)] if piece else []
    return index.exact[max(matches, key=len)] if matches else None


@dataclass(frozen=True)
class _Index:
    exact: dict[str, Industry]
    pattern: re.Pattern[str]


@lru_cache(maxsize=1)
def _index() -> _Index:
    """Names and aliases → Industry; a division outranks a section or key industry of the same name."""
    entries, key_industries = load_industries(), load_key_industries()
    key_of = {d: k.name for k in key_industries for d in k.divisions}
    exact: dict[str, Industry] = {}
    for key_industry in key_industries:
        found = _from_key_industry(key_industry, {e.code: e.section for e in entries})
        exact.update((_key(name), found) for name in (key_industry.name, *key_industry.aliases))
    for entry in (e for e in entries if e.level == "section"):
        divisions = {e.code for e in entries if e.level == "division" and e.section == entry.code}
        keys = {key_of.get(d) for d in divisions}
        found = Industry(None, keys.pop() if len(keys) == 1 else None, entry.code, None)
        exact.update((_key(name), found) for name in (entry.name, *entry.aliases))
        exact[f"SECTION:{entry.code}"] = found
    for entry in (e for e in entries if e.level == "division"):
        found = Industry(None, key_of.get(entry.code), entry.section, entry.code)
        exact.update((_key(name), found) for name in (entry.name, *entry.aliases))
        exact[f"DIVISION:{entry.code}"] = found
    names = sorted((k for k in exact if ":" not in k and not _ASCII_WORD.fullmatch(k)), key=len, reverse=True)
    return _Index(exact, re.compile("|".join(map(re.escape, names))))


def _from_key_industry(key_industry: KeyIndustry, section_of: dict[str, str]) -> Industry:
    sections = {section_of[d] for d in key_industry.divisions}
    division = key_industry.divisions[0] if len(key_industry.divisions) == 1 else None
    return Industry(None, key_industry.name, sections.pop() if len(sections) == 1 else None, division)
