"""The administrative-division catalogue (catalogs/regions.csv, region_renames.csv) as frozen records."""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from matcher.catalogs import CATALOG_DIR

REGIONS_FILE = "regions.csv"
RENAMES_FILE = "region_renames.csv"
ADDED_RENAMES_FILE = "region_renames_henan.csv"
"""Renames the package-derived file lacks, written by hand from the State Council and ministry notices."""
LEVELS = ("province", "city", "county")
HENAN_PROVINCE_CODE = "410000"

_CODE = re.compile(r"\d{6}")
_REGION_COLUMNS = ("code", "name", "short_name", "level", "parent_code", "province_code", "city_code")
_RENAME_COLUMNS = ("date", "authority", "old_province", "old_city", "old_county",
                   "new_province", "new_city", "new_county")


@dataclass(frozen=True)
class RegionEntry:
    """One row of regions.csv; a municipality appears twice, as province and as city, with one code."""

    code: str
    name: str
    short_name: str
    level: str
    parent_code: str | None
    province_code: str
    city_code: str | None

    @property
    def is_functional_zone(self) -> bool:
        """Development zones and the like (statistical codes xxxx7x), not counties of GB/T 2260 proper."""
        return self.level == "county" and self.code[4] == "7"

    @property
    def is_placeholder(self) -> bool:
        """Rows like 省直辖行政区划 that group entries rather than name a place."""
        return "直辖行政区划" in self.name


@dataclass(frozen=True)
class RegionRename:
    """One row of region_renames.csv: an old (city, county) name and the division that replaced it."""

    date: str
    old_province: str
    old_city: str
    old_county: str | None
    new_province: str
    new_city: str
    new_county: str | None


def _read_rows(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}: missing columns {missing}; expected {list(columns)}")
        return [(row_no, {k: (v or "").strip() for k, v in row.items()}) for row_no, row in
                enumerate(reader, start=2)]


def _region_from_row(path: Path, row_no: int, row: dict[str, str]) -> RegionEntry:
    def fail(column: str, expected: str) -> ValueError:
        return ValueError(f"{path}, row {row_no}, column {column!r}: "
                          f"got {row.get(column)!r}, expected {expected}")

    if not _CODE.fullmatch(row["code"]):
        raise fail("code", "a 6-digit code")
    if not row["name"]:
        raise fail("name", "a non-empty name")
    if row["level"] not in LEVELS:
        raise fail("level", f"one of {LEVELS}")
    if not _CODE.fullmatch(row["province_code"]):
        raise fail("province_code", "a 6-digit code")
    is_province = row["level"] == "province"
    for column in ("parent_code", "city_code"):
        if is_province and row[column]:
            raise fail(column, "empty for a province")
        if not is_province and not _CODE.fullmatch(row[column]):
            raise fail(column, "a 6-digit code")
    return RegionEntry(code=row["code"], name=row["name"], short_name=row["short_name"] or row["name"],
                       level=row["level"], parent_code=row["parent_code"] or None,
                       province_code=row["province_code"], city_code=row["city_code"] or None)


@lru_cache(maxsize=4)
def load_regions(catalog_dir: Path = CATALOG_DIR) -> tuple[RegionEntry, ...]:
    """All rows of regions.csv in file order (provinces, then their cities and counties)."""
    path = catalog_dir / REGIONS_FILE
    return tuple(_region_from_row(path, row_no, row) for row_no, row in _read_rows(path, _REGION_COLUMNS))


@lru_cache(maxsize=4)
def load_region_renames(catalog_dir: Path = CATALOG_DIR) -> tuple[RegionRename, ...]:
    """All rows of region_renames.csv, then of region_renames_henan.csv (old names that users still write,
    e.g. 淮阳县 → 淮阳区, 开封县 → 祥符区)."""
    return tuple(rename for name in (RENAMES_FILE, ADDED_RENAMES_FILE) for rename in _renames(catalog_dir / name))


def _renames(path: Path) -> list[RegionRename]:
    renames = []
    for row_no, row in _read_rows(path, _RENAME_COLUMNS):
        for column in ("old_province", "old_city", "new_province", "new_city"):
            if not row[column]:
                raise ValueError(f"{path}, row {row_no}, column {column!r}: expected a non-empty name")
        renames.append(RegionRename(date=row["date"], old_province=row["old_province"],
                                    old_city=row["old_city"], old_county=row["old_county"] or None,
                                    new_province=row["new_province"], new_city=row["new_city"],
                                    new_county=row["new_county"] or None))
    return renames


@lru_cache(maxsize=1)
def _by_code() -> dict[str, RegionEntry]:
    index: dict[str, RegionEntry] = {}
    for entry in load_regions():
        index.setdefault(entry.code, entry)  # a municipality's province row comes first
    return index


def region_by_code(code: str) -> RegionEntry | None:
    """The entry with this code (for a municipality, its province row), or None."""
    return _by_code().get(code)


def provinces() -> tuple[RegionEntry, ...]:
    return tuple(e for e in load_regions() if e.level == "province")


def cities_of(province_code: str) -> tuple[RegionEntry, ...]:
    """Prefecture-level entries of a province, including placeholders like 省直辖行政区划 (filter on
    ``is_placeholder`` if the caller wants only named cities)."""
    return tuple(e for e in load_regions() if e.level == "city" and e.province_code == province_code)


def counties_of_city(city_code: str, include_functional_zones: bool = False) -> tuple[RegionEntry, ...]:
    """County-level entries under one city (real counties/districts unless functional zones are asked for)."""
    return tuple(e for e in load_regions() if e.level == "county" and e.city_code == city_code
                 and not e.is_placeholder and (include_functional_zones or not e.is_functional_zone))


def counties_of(province_code: str, include_functional_zones: bool = False) -> tuple[RegionEntry, ...]:
    """County-level entries of a whole province."""
    return tuple(e for e in load_regions() if e.level == "county" and e.province_code == province_code
                 and not e.is_placeholder and (include_functional_zones or not e.is_functional_zone))


def henan_counties() -> tuple[RegionEntry, ...]:
    """The counties and districts of Henan (河南省), the programme's home province."""
    return counties_of(HENAN_PROVINCE_CODE)
