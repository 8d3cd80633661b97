"""Free-text places (籍贯, 现居地, 意向城市, job locations) → canonical province/city/county and codes."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from matcher.catalogs.regions import RegionEntry, load_region_renames, load_regions

LEVEL_RANK = {"province": 0, "city": 1, "county": 2}
_NOISE_WORDS = ("中华人民共和国", "中国", "省直辖县级行政区划", "省直辖行政区划", "市辖区",
                "籍贯", "户籍", "老家")
_IGNORED_CHARS = re.compile(r"[\s\-—–_/\\·•.。,，、|;；:：()（）\[\]【】<>《》\"'“”‘’]+")
_LIST_SEPARATORS = re.compile(r"[，,、;；/\s]+")
_OLD_NAME_SUFFIXES = ("地区", "市", "县", "区")
_MAX_CANDIDATES_IN_REASON = 8


@dataclass(frozen=True)
class Region:
    """A resolved place; names are full canonical names (河南省, 周口市, 商水县), codes 6-digit strings."""

    raw: str | None
    province: str | None = None
    city: str | None = None
    county: str | None = None
    province_code: str | None = None
    city_code: str | None = None
    county_code: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class _RegionIndex:
    entries: tuple[RegionEntry, ...]
    keys: dict[str, frozenset[int]]  # surface form → entry positions; noise words map to an empty set
    chains: tuple[frozenset[int], ...]  # entry position → itself and its ancestors
    provinces: dict[str, int]
    cities: dict[str, int]
    max_key_length: int


def _ancestor_positions(entry: RegionEntry, provinces: dict[str, int], cities: dict[str, int]) -> set[int]:
    ancestors = {provinces[entry.province_code]} if entry.level != "province" else set()
    if entry.level == "county" and entry.city_code in cities:
        ancestors.add(cities[entry.city_code])
    return ancestors


def _short_forms(name: str) -> list[str]:
    forms = [name]
    for suffix in _OLD_NAME_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            forms.append(name[: -len(suffix)])
            break
    return forms


def _renamed_targets(entries: tuple[RegionEntry, ...]) -> dict[str, set[int]]:
    """Old names from region_renames.csv (and their short forms) → the entries that replaced them."""
    names = {(e.code, e.level): e.name for e in entries}
    by_path: dict[tuple[str, str | None, str | None], int] = {}
    for pos, entry in enumerate(entries):
        province = names[(entry.province_code, "province")]
        if entry.level == "city":
            by_path[(province, entry.name, None)] = pos
        elif entry.level == "county":
            by_path[(province, names.get((entry.city_code, "city")), entry.name)] = pos
    targets: dict[str, set[int]] = {}
    for rename in load_region_renames():
        pos = by_path.get((rename.new_province, rename.new_city, rename.new_county))
        if pos is None or (rename.old_county is None) != (rename.new_county is None):
            continue  # the new name is not in this catalogue edition; nothing to point the old name at
        if (rename.old_province, rename.old_city, rename.old_county) in by_path:
            continue  # the catalogue still lists the old division (湾里区), so the name means that entry
        for form in _short_forms(rename.old_county or rename.old_city):
            targets.setdefault(form, set()).add(pos)
    return targets


@lru_cache(maxsize=1)
def _region_index() -> _RegionIndex:
    entries = tuple(e for e in load_regions() if not e.is_placeholder)
    provinces = {e.code: pos for pos, e in enumerate(entries) if e.level == "province"}
    cities = {e.code: pos for pos, e in enumerate(entries) if e.level == "city"}
    chains = tuple(frozenset(_ancestor_positions(e, provinces, cities) | {pos})
                   for pos, e in enumerate(entries))
    keys: dict[str, set[int]] = {}
    for pos, entry in enumerate(entries):
        for form in {entry.name, *entry.short_name.split("/")}:  # 巴州/巴音郭楞: two short names
            if len(form) >= 2:
                keys.setdefault(form, set()).add(pos)
    for form, positions in _renamed_targets(entries).items():
        keys.setdefault(form, set()).update(positions)
    for word in _NOISE_WORDS:
        keys.setdefault(word, set())
    frozen = {k: frozenset(v) for k, v in keys.items()}
    return _RegionIndex(entries=entries, keys=frozen, chains=chains, provinces=provinces, cities=cities,
                        max_key_length=max(map(len, frozen)))


def _clean(text: str) -> str:
    text = _IGNORED_CHARS.sub("", unicodedata.normalize("NFKC", text))
    while len(text) > 1 and text[-1] in "人籍":  # 籍贯 suffixes: 周口人, 河南籍
        text = text[:-1]
    return text


def _segment(text: str, index: _RegionIndex) -> list[frozenset[int]]:
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


def _fit(target: int, pieces: list[frozenset[int]], index: _RegionIndex) -> tuple[int, int]:
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


def _describe(pos: int, index: _RegionIndex) -> str:
    chain = sorted(index.chains[pos], key=lambda p: LEVEL_RANK[index.entries[p].level])
    return "".join(dict.fromkeys(index.entries[p].name for p in chain))  # 北京市 once, not twice


def _region_for(raw: str | None, pos: int, index: _RegionIndex) -> Region:
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


@lru_cache(maxsize=65536)
def normalize_region(text: str | None) -> Region:
    """Resolve a place name; ambiguous or unknown text gives all-None fields and a ``reason``."""
    cleaned = _clean(text) if text is not None else ""
    if not cleaned:
        return Region(raw=text, reason="empty")
    index = _region_index()
    pieces = _segment(cleaned, index)
    if not pieces:
        return Region(raw=text, reason=f"unresolvable: no known region name in {text!r}")
    fits = {pos: _fit(pos, pieces, index) for piece in pieces for pos in piece}
    best_fit = max(fits.values(), key=lambda f: (f[0], -f[1]))
    best = [pos for pos, fit in fits.items() if fit == best_fit]
    deepest = max(best, key=lambda p: LEVEL_RANK[index.entries[p].level])
    if all(pos in index.chains[deepest] for pos in best):
        return _region_for(text, deepest, index)
    names = sorted({_describe(pos, index) for pos in best})
    more = " / …" if len(names) > _MAX_CANDIDATES_IN_REASON else ""
    shown = " / ".join(names[:_MAX_CANDIDATES_IN_REASON]) + more
    return Region(raw=text, reason=f"ambiguous: {shown}")


def normalize_region_list(text: str | None) -> list[Region]:
    """Split a list of places (意向城市: 郑州、洛阳/周口) and resolve each; empty pieces are dropped."""
    if not text:
        return []
    return [normalize_region(piece) for piece in _LIST_SEPARATORS.split(text) if piece.strip()]
