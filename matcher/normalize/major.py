"""Major cells (所学专业) as people write them → one catalogue major and the occupations it leads to.

Registers write 电气自动化, 机电, 会计电算化, 护理学（本科）, 计算机科学与技术（软件开发方向）, 大专 护理 or
数学与应用数学(师范类): the cell is folded (NFKC, no spaces), level words and 专业 / 方向 / bracketed
remarks are dropped, and the rest is looked up among catalogue names and aliases (majors.csv). When a
name exists at several levels (护理 is 高职 and 中职, 工程造价 本科 and 高职) the holder's education picks
the level. A cell that names no catalogue major gives None; the raw text stays on the record.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from matcher.catalogs.majors import MajorEntry, load_majors

PREFIX_MIN_LENGTH = 2
"""A known name opening the cell (会计 in 会计与审计) counts from two characters: 会计, 护理, 数控."""
PREFIX_MIN_SHARE = 0.4
"""… and only when it covers this share of the cell: 生物 does not make 生物制药技术 生物科学 (a wrong major
scores a fitting job 0, worse than no major at all)."""
CONTAINED_MIN_LENGTH = 4
"""A known name inside a longer cell (河南理工大学电气工程及其自动化) counts only from four characters."""

# What registers put around a major: study forms and levels before it, 专业 / 方向 / 师范 remarks after it.
_LEVEL_WORDS = re.compile(r"^(?:全日制|非全日制|统招|成人|成教|函授|自考|网络教育|电大|夜大|专升本|本科|大学本科|"
                          r"专科|大专|高职|高专|中专|中职|职高|技校|普通|第一学历|第二学历|[:：\-—])+")
_BRACKETS = re.compile(r"[（(【\[〔「][^）)】\]〕」]*[）)】\]〕」]?")
_REMARKS = re.compile(r"(?:专业|方向|师范类?|学位|毕业)+$")
_SEPARATORS = re.compile(r"[、,，;；/|+＋和]")
_WRITTEN_LEVELS = (("中职", ("中专", "中职", "职高", "技校")), ("高职", ("大专", "专科", "高职", "高专")),
                   ("本科", ("本科",)))
_EDUCATION_LEVEL = {2: "中职", 3: "高职"}  # rank 4 and above: 本科 (and the majors graduates studied before)


@dataclass(frozen=True)
class Major:
    """A resolved major: catalogue code and name, its level, and the 大典 prefixes it leads to."""

    code: str
    name: str
    level: str
    occupation_prefixes: tuple[str, ...]


def normalize_major(text: str | None, education_rank: int | None = None) -> Major | None:
    """电气自动化 → 080601 电气工程及其自动化; with education_rank 3 (大专) → 460306 电气自动化技术; None if unknown."""
    if not text:
        return None
    return _resolve(text, _preferred_level(education_rank) or _written_level(text))


def _preferred_level(education_rank: int | None) -> str | None:
    if education_rank is None:
        return None
    return _EDUCATION_LEVEL.get(education_rank, "本科" if education_rank >= 4 else "中职")


def _written_level(text: str) -> str | None:
    """The level the cell itself names (大专 护理, 护理（中专）), used when the education column is empty."""
    for level, words in _WRITTEN_LEVELS:
        if any(word in text for word in words):
            return level
    return None


@lru_cache(maxsize=16384)
def _resolve(text: str, level: str | None) -> Major | None:
    folded = _fold(text)
    # The whole cell first, then each piece of a list (护理/助产), then what brackets held (专科（护理）).
    pieces = [folded, *_SEPARATORS.split(folded), *re.findall(r"[（(【\[]([^）)】\]]+)", folded)]
    for piece in pieces:
        entry = _lookup(_core(piece), level)
        if entry is not None:
            return Major(entry.code, entry.name, entry.level, entry.occupation_prefixes)
    return None


def _fold(text: str) -> str:
    return re.sub(r"[\s·•]+", "", unicodedata.normalize("NFKC", text)).upper()


def _core(piece: str) -> str:
    """``piece`` without level words, brackets and trailing 专业 / 方向 / 师范 remarks.

    A direction written after the name (计算机科学与技术软件开发方向) is left to the lookup, which takes the
    longest known name opening the text.
    """
    return _REMARKS.sub("", _BRACKETS.sub("", _LEVEL_WORDS.sub("", piece)))


def _lookup(key: str, level: str | None) -> MajorEntry | None:
    """Exact name or alias, else the longest known name opening the key, else the longest inside it."""
    if not key:
        return None
    index = _index()
    if key in index:
        return _choose(index[key], level)
    opening = [k for k in index.starts_with(key)
               if len(k) >= PREFIX_MIN_LENGTH and len(k) >= PREFIX_MIN_SHARE * len(key)]
    if opening:
        return _choose(index[max(opening, key=len)], level)
    inside = [k for k in index if len(k) >= CONTAINED_MIN_LENGTH and k in key]
    return _choose(index[max(inside, key=len)], level) if inside else None


def _choose(candidates: list[tuple[MajorEntry, bool]], level: str | None) -> MajorEntry:
    """At the holder's level if one is there; a catalogue name before an alias; then file order."""
    at_level = [c for c in candidates if c[0].level == level] or candidates
    return min(at_level, key=lambda c: not c[1])[0]


class _Index(dict[str, list[tuple[MajorEntry, bool]]]):
    """Folded name or alias → [(major, is its catalogue name)] in file order."""

    def starts_with(self, key: str) -> list[str]:
        return [key[:end] for end in range(len(key) - 1, 0, -1) if key[:end] in self]


@lru_cache(maxsize=1)
def _index() -> _Index:
    found: dict[str, list[tuple[MajorEntry, bool]]] = defaultdict(list)
    for entry in load_majors():
        found[_fold(entry.name)].append((entry, True))
        for alias in entry.aliases:
            found[_fold(alias)].append((entry, False))
    return _Index(found)
