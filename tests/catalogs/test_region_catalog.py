"""The region catalogue loader: hierarchy helpers and row validation."""
from __future__ import annotations

import shutil

import pytest

from matcher.catalogs import CATALOG_DIR
from matcher.catalogs.region_localities import load_region_towns, load_region_zones
from matcher.catalogs.regions import (
    cities_of,
    counties_of,
    counties_of_city,
    henan_counties,
    load_region_renames,
    load_regions,
    region_by_code,
)
from matcher.catalogs.rows import CatalogError
from matcher.normalize.region_index import region_index


def test_every_row_loads_with_a_known_level():
    regions = load_regions()
    assert len(regions) > 3000
    assert {r.level for r in regions} == {"province", "city", "county"}
    assert sum(r.level == "province" for r in regions) == 34


def test_region_by_code_finds_county_and_municipality():
    shangshui = region_by_code("411623")
    assert (shangshui.name, shangshui.short_name, shangshui.level) == ("商水县", "商水", "county")
    assert (shangshui.province_code, shangshui.city_code) == ("410000", "411600")
    assert region_by_code("110000").level == "province"  # a municipality's province row comes first
    assert region_by_code("999999") is None


def test_henan_cities_and_counties():
    cities = {c.name for c in cities_of("410000") if not c.is_placeholder}
    assert {"郑州市", "周口市", "洛阳市"} <= cities
    assert len(cities) == 17  # 17 prefecture-level cities; 济源 sits under a placeholder
    zhoukou = {c.name for c in counties_of_city("411600")}
    assert {"商水县", "淮阳区", "项城市"} <= zhoukou
    assert "河南周口经济开发区" not in zhoukou
    assert "河南周口经济开发区" in {c.name for c in counties_of_city("411600", include_functional_zones=True)}
    assert {c.code for c in henan_counties()} == {c.code for c in counties_of("410000")}
    assert all(c.province_code == "410000" and c.level == "county" for c in henan_counties())


def test_renames_include_huaiyang():
    renames = load_region_renames()
    huaiyang = [r for r in renames if r.old_county == "淮阳县"]
    assert len(huaiyang) == 1 and huaiyang[0].new_county == "淮阳区"


@pytest.fixture
def catalog_copy(tmp_path):
    for name in ("regions.csv", "region_renames.csv", "region_renames_henan.csv", "region_zones.csv",
                 "region_towns.csv"):
        shutil.copy(CATALOG_DIR / name, tmp_path / name)
    return tmp_path


def test_malformed_row_names_file_row_and_column(catalog_copy):
    path = catalog_copy / "regions.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace("county", "district")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"regions\.csv, row 4, column 'level': got 'district'"):
        load_regions(catalog_copy)


def test_bad_code_is_rejected(catalog_copy):
    path = catalog_copy / "regions.csv"
    text = path.read_text(encoding="utf-8").replace("411623,商水县", "41162,商水县")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=r"column 'code': got '41162', expected a 6-digit code"):
        load_regions(catalog_copy)


def test_missing_column_is_reported(catalog_copy):
    path = catalog_copy / "regions.csv"
    text = path.read_text(encoding="utf-8").replace("short_name,", "", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="missing columns"):
        load_regions(catalog_copy)


def test_henan_codes_are_current_and_unique():
    """偃师区 and 孟津区 carry their 2021 codes; no two Henan entries share a code."""
    assert (region_by_code("410307").name, region_by_code("410308").name) == ("偃师区", "孟津区")
    assert region_by_code("410381") is None and region_by_code("410322") is None
    henan = [r.code for r in load_regions() if r.level == "county" and r.province_code == "410000"]
    assert len(henan) == len(set(henan))


@pytest.mark.parametrize(("old", "new"), [
    ("开封县", "祥符区"), ("许昌县", "建安区"), ("陕县", "陕州区"), ("吉利区", "孟津区"), ("偃师市", "偃师区"),
    ("铁西区", "殷都区"), ("邙山区", "惠济区"), ("北站区", "凤泉区"), ("金明区", "龙亭区"), ("长垣县", "长垣市"),
])
def test_henan_renames_since_2000_are_listed(old, new):
    rows = [r for r in load_region_renames() if r.old_province == "河南省" and r.old_county == old]
    assert [r.new_county for r in rows] == [new]


def test_zones_and_towns_load_with_their_places():
    zones = {z.name: z for z in load_region_zones()}
    assert zones["郑东新区"].city == "郑州市" and zones["郑东新区"].county is None
    assert "东新区" in zones["周口东新区"].local_aliases
    assert zones["开封城乡一体化示范区"].county == "龙亭区"
    assert sum(z.province == "河南省" for z in zones.values()) >= 20
    towns = {(t.city, t.county): t.towns for t in load_region_towns()}
    assert len(towns[("东莞市", None)]) == 32 and "长安" in towns[("东莞市", None)]
    assert "北滘" in towns[("佛山市", "顺德区")]


def test_every_zone_and_town_sits_in_a_listed_division():
    """Building the index fails naming the file if a zone or town names a division regions.csv lacks."""
    index = region_index()
    assert index.keys["郑东新区"] and index.keys["东莞长安"]


def test_zone_in_an_unknown_place_is_reported(catalog_copy, monkeypatch):
    path = catalog_copy / "region_zones.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("河南省,周口市,,市级新区", "河南省,周口地区,,市级新区"),
                    encoding="utf-8")
    load_region_zones.cache_clear()
    region_index.cache_clear()
    monkeypatch.setattr("matcher.normalize.region_index.load_region_zones", lambda: load_region_zones(catalog_copy))
    try:
        with pytest.raises(ValueError, match=r"region_zones\.csv: zone '周口东新区' is placed in 河南省/周口地区"):
            region_index()
    finally:
        region_index.cache_clear()


def test_town_row_without_towns_names_file_row_and_column(catalog_copy):
    path = catalog_copy / "region_towns.csv"
    path.write_text(path.read_text(encoding="utf-8") + "河南省,周口市,商水县,\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"region_towns\.csv, row \d+, column 'towns'"):
        load_region_towns(catalog_copy)
