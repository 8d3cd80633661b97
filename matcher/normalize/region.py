"""Free-text places (籍贯, 现居地, 意向城市, job locations) → canonical province/city/county and codes.

A value that does not resolve says so: ``status`` is ``unresolved`` or ``ambiguous`` (``reason`` names the
candidates), never a guess, so callers can report it and never treat it as a known, different place.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from matcher.normalize.region_index import GENERIC_TOWNS, GENERIC_ZONES, LEVEL_RANK, RegionIndex, region_index

RESOLVED, AMBIGUOUS, UNRESOLVED, EMPTY = "resolved", "ambiguous", "unresolved", "empty"
_IGNORED_CHARS = re.compile(r"[\s\-—–_/\\·•.。,，、|;；:：()（）\[\]【】<>《》\"'“”‘’]+")
_LIST_SEPARATORS = re.compile(r"[，,、;；/\s]+")
_DIVISION_BEFORE_TOWN = re.compile(r"[县市区旗](?=[^县市区旗]{1,8}?(?:镇|乡|街道|办事处))")
"""The end of a division name followed by a town (商水县|新华镇): where a value can be cut back to its county."""
_MAX_CANDIDATES_IN_REASON = 8


@dataclass(frozen=True)
class Region:
    """A resolved place; names are full canonical names (河南省, 周口市, 商水县), codes 6-digit strings.

    ``status``: resolved, ambiguous (several places fit; ``reason`` lists them), unresolved (no known place
    name) or empty. Anything but resolved has every name and code None and keeps the text in ``raw``."""

    raw: str | None
    province: str | None = None
    city: str | None = None
    county: str | None = None
    province_code: str | None = None
    city_code: str | None = None
    county_code: str | None = None
    reason: str | None = None
    status: str = RESOLVED

    @property
    def resolved(self) -> bool:
        return self.status == RESOLVED


def _clean(text: str) -> str:
    text = _IGNORED_CHARS.sub("", unicodedata.normalize("NFKC", text))
    while len(text) > 1 and text[-1] in "人籍":  # 籍贯 suffixes: 周口人, 河南籍
        text = text[:-1]
    return text


def _segment(text: str, index: RegionIndex) -> list[frozenset[int]]:
    """Cover ``text`` with catalogue names: fewest unmatched characters, then fewest pieces, then pieces that
    start earliest (places are written large to small, so 江西区域 is 江西, not …西区)."""
    n = len(text)
    best: list[tuple[int, int, int, tuple[frozenset[int], ...]] | None] = [None] * (n + 1)
    best[0] = (0, 0, 0, ())
    for i in range(n):
        if best[i] is None:
            continue
        skipped, pieces, starts, path = best[i]
        moves = [(i + 1, (skipped + 1, pieces, starts, path))]
        for j in range(i + 2, min(n, i + index.max_key_length) + 1):
            positions = index.keys.get(text[i:j])
            if positions is not None:
                new_path = path + (positions,) if positions else path  # noise words leave no piece
                moves.append((j, (skipped, pieces + 1, starts + i, new_path)))
        for j, candidate in moves:
            if best[j] is None or candidate[:3] < best[j][:3]:
                best[j] = candidate
    return [positions for positions in best[n][3] if positions]


def _fit(target: int, pieces: list[frozenset[int]], index: RegionIndex) -> tuple[int, int]:
    """How well ``target`` explains the pieces: (consistent pieces, readings below a piece's top level).

    Each consistent piece is read as the highest-level name on the target's chain; one piece containing
    the target must read as the target itself (so a bare 新乡 prefers 新乡市 over 新乡县)."""
    chain = index.chains[target]
    target_rank = LEVEL_RANK[index.entries[target].level]
    score = penalty = 0
    supplier_extra = None
    for piece in pieces:
        on_chain = piece & chain
        if not on_chain:
            continue
        top = min(LEVEL_RANK[index.entries[p].level] for p in piece)
        highest = min(LEVEL_RANK[index.entries[p].level] for p in on_chain)
        score += 1
        penalty += highest != top
        if target in piece:
            extra = (target_rank != top) - (highest != top)
            supplier_extra = extra if supplier_extra is None else min(supplier_extra, extra)
    return score, penalty + (supplier_extra or 0)


def _describe(pos: int, index: RegionIndex) -> str:
    chain = sorted(index.chains[pos], key=lambda p: LEVEL_RANK[index.entries[p].level])
    return "".join(dict.fromkeys(index.entries[p].name for p in chain))  # 北京市 once, not twice


def _region_for(raw: str | None, pos: int, index: RegionIndex) -> Region:
    entry = index.entries[pos]
    province = index.entries[index.provinces[entry.province_code]]
    fields = {"province": province.name, "province_code": province.code}
    if entry.level == "province" and entry.code in index.cities:  # municipality: province and city at once
        city = index.entries[index.cities[entry.code]]
        fields.update(city=city.name, city_code=city.code)
    elif entry.level == "city":
        fields.update(city=entry.name, city_code=entry.code)
    elif entry.level == "county":
        # Province-administered county-level cities (济源, 仙桃) sit under a placeholder: their own city.
        city = index.entries[index.cities[entry.city_code]] if entry.city_code in index.cities else entry
        fields.update(city=city.name, city_code=city.code, county=entry.name, county_code=entry.code)
    return Region(raw=raw, **fields)


def _resolve(cleaned: str, index: RegionIndex) -> tuple[int | None, list[int]]:
    """(the entry ``cleaned`` names, or None with the equally good candidates; none if no name is known)."""
    pieces = _segment(cleaned, index)
    if not pieces:
        return None, []
    fits = {pos: _fit(pos, pieces, index) for piece in pieces for pos in piece}
    best_fit = max(fits.values(), key=lambda f: (f[0], -f[1]))
    best = [pos for pos, fit in fits.items() if fit == best_fit]
    deepest = max(best, key=lambda p: LEVEL_RANK[index.entries[p].level])
    if all(pos in index.chains[deepest] for pos in best):
        return deepest, best
    return None, best


def _without_town(cleaned: str, index: RegionIndex) -> int | None:
    """The division a value names once its trailing town is cut off (商水县新华镇 → 商水县), trying the longest
    prefix first; for values whose town name collides with a division elsewhere (新华区)."""
    for match in reversed(list(_DIVISION_BEFORE_TOWN.finditer(cleaned))):
        pos, _ = _resolve(cleaned[: match.end()], index)
        if pos is not None:
            return pos
    return None


def _not_resolved(text: str | None, cleaned: str, candidates: list[int], index: RegionIndex) -> Region:
    if candidates:
        names = sorted({_describe(pos, index) for pos in candidates})
        more = " / …" if len(names) > _MAX_CANDIDATES_IN_REASON else ""
        shown = " / ".join(names[:_MAX_CANDIDATES_IN_REASON]) + more
        return Region(raw=text, reason=f"ambiguous: {shown}", status=AMBIGUOUS)
    generic = max((word for word in (*GENERIC_TOWNS, *GENERIC_ZONES) if word in cleaned), key=len, default=None)
    if generic is not None:
        return Region(raw=text, status=AMBIGUOUS,
                      reason=f"ambiguous: many places have a {generic}; give its county or city too "
                             f"({'商水县' if generic in GENERIC_TOWNS else '周口'}{generic})")
    return Region(raw=text, reason=f"unresolvable: no known region name in {text!r}", status=UNRESOLVED)


@lru_cache(maxsize=65536)
def normalize_region(text: str | None) -> Region:
    """Resolve a place name; ambiguous or unknown text gives all-None fields, a ``status`` and a ``reason``."""
    cleaned = _clean(text) if text is not None else ""
    if not cleaned:
        return Region(raw=text, reason="empty", status=EMPTY)
    index = region_index()
    pos, candidates = _resolve(cleaned, index)
    if pos is None:
        pos = _without_town(cleaned, index)
    if pos is None:
        return _not_resolved(text, cleaned, candidates, index)
    return _region_for(text, pos, index)


def normalize_region_list(text: str | None) -> list[Region]:
    """Split a list of places (意向城市: 郑州、洛阳/周口) and resolve each; empty pieces are dropped."""
    if not text:
        return []
    return [normalize_region(piece) for piece in _LIST_SEPARATORS.split(text) if piece.strip()]
