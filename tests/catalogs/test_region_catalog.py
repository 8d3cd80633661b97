"""The region catalogue loader: hierarchy helpers and row validation."""
from __future__ import annotations

import shutil

import pytest

from matcher.catalogs import CATALOG_DIR
from matcher.catalogs.regions import (
    cities_of,
    counties_of,
    counties_of_city,
    henan_counties,
    load_region_renames,
    load_regions,
    region_by_code,
)


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
    for name in ("regions.csv", "region_renames.csv"):
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
