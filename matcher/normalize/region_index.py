"""The surface forms of places → catalogue entries, built once from the region catalogues.

Keys are the names of GB/T 2260 divisions and their short forms, old names (region_renames.csv), zones
and new districts (region_zones.csv) and "city + town" forms (region_towns.csv). A zone or town key points
at the division that contains it, so resolving one needs nothing beyond the divisions themselves.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from matcher.catalogs.region_localities import TOWNS_FILE, ZONES_FILE, load_region_towns, load_region_zones
from matcher.catalogs.regions import RegionEntry, load_region_renames, load_regions

LEVEL_RANK = {"province": 0, "city": 1, "county": 2}
NOISE_WORDS = ("中华人民共和国", "中国", "省直辖县级行政区划", "省直辖行政区划", "市辖区", "籍贯", "户籍", "老家")
GENERIC_TOWNS = ("城关镇", "城关乡", "城关街道", "城关办事处", "城郊乡", "城郊镇", "城厢镇", "城厢街道")
"""Town names that many counties share: they say nothing about which county, so they are read as noise and a
value that holds nothing else is ambiguous."""
GENERIC_ZONES = ("新区", "高新区", "经开区", "开发区", "经济开发区", "经济技术开发区", "高新技术开发区",
                 "高新技术产业开发区", "示范区", "城乡一体化示范区", "产业集聚区", "工业园区", "工业园", "保税区",
                 "综合保税区", "自贸区")
"""Kinds of zone that most cities have one of: after a city name they add nothing (漯河经开区 is 漯河), alone
they could be anywhere. The short names of statistical zones (高新区, 新区) are these words, so they are
overridden here rather than read as 'every city with such a zone'."""
TOWN_SUFFIXES = ("", "镇", "街道", "乡")
_OLD_NAME_SUFFIXES = ("地区", "市", "县", "区")

Path = tuple[str, str | None, str | None]  # (province, city, county) full names; None where absent


@dataclass(frozen=True)
class RegionIndex:
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


def _names_of(entry: RegionEntry) -> set[str]:
    return {entry.name, *entry.short_name.split("/")}  # 巴州/巴音郭楞: two short names


def _paths(entries: tuple[RegionEntry, ...]) -> dict[Path, int]:
    """(province, city, county) full names → position; a county under a placeholder (济源) has no city."""
    names = {(e.code, e.level): e.name for e in entries}
    by_path: dict[Path, int] = {}
    for pos, entry in enumerate(entries):
        province = names[(entry.province_code, "province")]
        if entry.level == "province":
            by_path[(province, None, None)] = pos
        elif entry.level == "city":
            by_path[(province, entry.name, None)] = pos
        elif not entry.is_functional_zone:
            by_path.setdefault((province, names.get((entry.city_code, "city")), entry.name), pos)
    return by_path


def _renamed_targets(by_path: dict[Path, int]) -> dict[str, set[int]]:
    """Old names from region_renames.csv (and their short forms) → the entries that replaced them."""
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


def _located(by_path: dict[Path, int], path: Path, source: str, what: str) -> int:
    pos = by_path.get(path)
    if pos is None:
        raise ValueError(f"{source}: {what} is placed in {'/'.join(p for p in path if p)}, "
                         "which regions.csv does not list")
    return pos


def _zone_keys(entries: tuple[RegionEntry, ...], by_path: dict[Path, int]) -> tuple[dict[str, set[int]],
                                                                                      dict[str, int]]:
    """Zone names and aliases → the division each zone resolves to; also zone name → that position."""
    keys: dict[str, set[int]] = {}
    targets: dict[str, int] = {}
    for zone in load_region_zones():
        pos = _located(by_path, (zone.province, zone.city, zone.county), ZONES_FILE, f"zone {zone.name!r}")
        targets[zone.name] = pos
        for form in (zone.name, *zone.aliases):
            keys.setdefault(form, set()).add(pos)
        if zone.local_aliases:
            city = entries[_located(by_path, (zone.province, zone.city, None), ZONES_FILE, f"zone {zone.name!r}")]
            for prefix in _names_of(city):
                for alias in zone.local_aliases:
                    keys.setdefault(prefix + alias, set()).add(pos)
    return keys, targets


def _town_keys(entries: tuple[RegionEntry, ...], by_path: dict[Path, int]) -> dict[str, set[int]]:
    """"City + town" forms (东莞长安, 东莞市长安镇, 佛山北滘) → the town's county, or its city."""
    keys: dict[str, set[int]] = {}
    for group in load_region_towns():
        where = f"the towns of {group.city}{group.county or ''}"
        pos = _located(by_path, (group.province, group.city, group.county), TOWNS_FILE, where)
        city = entries[_located(by_path, (group.province, group.city, None), TOWNS_FILE, where)]
        for prefix in _names_of(city):
            for town in group.towns:
                for suffix in TOWN_SUFFIXES:
                    keys.setdefault(prefix + town + suffix, set()).add(pos)
    return keys


def _division_keys(entries: tuple[RegionEntry, ...], cities: dict[str, int],
                   zone_targets: dict[str, int]) -> dict[str, set[int]]:
    """Names of catalogue entries; a statistical functional zone (xxxx7x) is read as the division the zone
    table places it in, else as its city, since it is not a county one could be from."""
    keys: dict[str, set[int]] = {}
    for pos, entry in enumerate(entries):
        target = pos
        if entry.is_functional_zone:
            target = zone_targets.get(entry.name, cities.get(entry.city_code or "", -1))
            if target < 0:
                continue
        for form in _names_of(entry):
            if len(form) >= 2:
                keys.setdefault(form, set()).add(target)
    return keys


def _city_qualified_keys(entries: tuple[RegionEntry, ...], cities: dict[str, int]) -> dict[str, set[int]]:
    """City + short county name for counties whose short form alone is kept out of the index because it names
    something else too (南海区: 南海 is a sea; 南沙区: 三沙 has one), so 佛山南海 and 广州南沙 still resolve."""
    keys: dict[str, set[int]] = {}
    for pos, entry in enumerate(entries):
        if (entry.level != "county" or entry.is_functional_zone or entry.short_name != entry.name
                or entry.city_code not in cities):
            continue
        for form in _short_forms(entry.name)[1:]:
            for prefix in _names_of(entries[cities[entry.city_code]]):
                keys.setdefault(prefix + form, set()).add(pos)
    return keys


@lru_cache(maxsize=1)
def region_index() -> RegionIndex:
    """The index over every non-placeholder entry of regions.csv, built once per process."""
    entries = tuple(e for e in load_regions() if not e.is_placeholder)
    provinces = {e.code: pos for pos, e in enumerate(entries) if e.level == "province"}
    cities = {e.code: pos for pos, e in enumerate(entries) if e.level == "city"}
    chains = tuple(frozenset(_ancestor_positions(e, provinces, cities) | {pos}) for pos, e in enumerate(entries))
    by_path = _paths(entries)
    zone_keys, zone_targets = _zone_keys(entries, by_path)
    keys = _division_keys(entries, cities, zone_targets)
    for extra in (_renamed_targets(by_path), zone_keys, _town_keys(entries, by_path),
                  _city_qualified_keys(entries, cities)):
        for form, positions in extra.items():
            keys.setdefault(form, set()).update(positions)
    for word in (*NOISE_WORDS, *GENERIC_TOWNS):
        keys.setdefault(word, set())
    for word in GENERIC_ZONES:
        keys[word] = set()
    frozen = {k: frozenset(v) for k, v in keys.items()}
    return RegionIndex(entries=entries, keys=frozen, chains=chains, provinces=provinces, cities=cities,
                       max_key_length=max(map(len, frozen)))
