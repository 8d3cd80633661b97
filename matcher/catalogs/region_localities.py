"""Places people write that are not GB/T 2260 divisions: development zones and new districts
(catalogs/region_zones.csv) and towns under a city (catalogs/region_towns.csv), each tied to the division
that contains it."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from matcher.catalogs import CATALOG_DIR
from matcher.catalogs.rows import read_catalog

ZONES_FILE = "region_zones.csv"
TOWNS_FILE = "region_towns.csv"
_ZONE_COLUMNS = ("name", "aliases", "local_aliases", "province", "city", "county", "kind")
_TOWN_COLUMNS = ("province", "city", "county", "towns")


@dataclass(frozen=True)
class RegionZone:
    """A zone and the division it resolves to: its county when it lies inside one, else its city (or, for a
    zone spanning several cities, its province). ``aliases`` name it alone (郑东新区); ``local_aliases`` only
    right after its city's name (周口 + 东新区), since 东新区 or 示范区 alone could be anywhere."""

    name: str
    aliases: tuple[str, ...]
    local_aliases: tuple[str, ...]
    province: str
    city: str | None
    county: str | None
    kind: str


@dataclass(frozen=True)
class RegionTowns:
    """Towns and streets (names without 镇/街道) that people write right after their city's name (东莞长安,
    佛山北滘); they resolve to ``county`` when given, else to the city (东莞 and 中山 have no counties)."""

    province: str
    city: str
    county: str | None
    towns: tuple[str, ...]


@lru_cache(maxsize=4)
def load_region_zones(catalog_dir: Path = CATALOG_DIR) -> tuple[RegionZone, ...]:
    """All rows of region_zones.csv in file order."""
    return tuple(RegionZone(name=row.text("name"), aliases=row.aliases("aliases"),
                            local_aliases=row.aliases("local_aliases"), province=row.text("province"),
                            city=row.optional("city"), county=row.optional("county"), kind=row.text("kind"))
                 for row in read_catalog(catalog_dir / ZONES_FILE, _ZONE_COLUMNS))


@lru_cache(maxsize=4)
def load_region_towns(catalog_dir: Path = CATALOG_DIR) -> tuple[RegionTowns, ...]:
    """All rows of region_towns.csv in file order."""
    rows = read_catalog(catalog_dir / TOWNS_FILE, _TOWN_COLUMNS)
    for row in rows:
        row.text("towns")
    return tuple(RegionTowns(province=row.text("province"), city=row.text("city"), county=row.optional("county"),
                             towns=row.aliases("towns")) for row in rows)
