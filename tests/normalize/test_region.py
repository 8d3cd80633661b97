"""Region normalisation: known answers, old names, zones and towns, ambiguity and noise."""
from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import pytest

from matcher.catalogs.regions import cities_of, henan_counties, load_regions, region_by_code
from matcher.normalize.region import Region, normalize_region, normalize_region_list

SHANGSHUI = ("河南省", "周口市", "商水县", "410000", "411600", "411623")


def _fields(region: Region) -> tuple:
    return (region.province, region.city, region.county, region.province_code, region.city_code,
            region.county_code)


@pytest.mark.parametrize("text", [
    "河南省周口市商水县", "周口商水", "河南商水", "商水县", "商水", "周口市商水县人", " 河南-周口-商水 ",
    "河南/周口/商水县", "河南·周口·商水", "中国河南省周口市商水县城关乡", "河南省周口市商水县籍",
    "河南周口商水县",
])
def test_shangshui_spellings(text):
    region = normalize_region(text)
    assert _fields(region) == SHANGSHUI
    assert region.reason is None and region.raw == text


@pytest.mark.parametrize(("text", "expected"), [
    ("周口", ("河南省", "周口市", None, "410000", "411600", None)),
    ("郑州", ("河南省", "郑州市", None, "410000", "410100", None)),
    ("河南", ("河南省", None, None, "410000", None, None)),
    ("河南人", ("河南省", None, None, "410000", None, None)),
    ("北京", ("北京市", "北京市", None, "110000", "110000", None)),
    ("北京市朝阳区", ("北京市", "北京市", "朝阳区", "110000", "110000", "110105")),
    ("上海浦东", ("上海市", "上海市", "浦东新区", "310000", "310000", "310115")),
    ("河南省郑州市金水区", ("河南省", "郑州市", "金水区", "410000", "410100", "410105")),
    ("广东深圳", ("广东省", "深圳市", None, "440000", "440300", None)),
    ("新乡", ("河南省", "新乡市", None, "410000", "410700", None)),  # the city, not 新乡县
    ("新乡县", ("河南省", "新乡市", "新乡县", "410000", "410700", "410721")),
])
def test_known_answers(text, expected):
    region = normalize_region(text)
    assert _fields(region) == expected
    assert region.reason is None


@pytest.mark.parametrize("text", ["淮阳县", "淮阳", "周口市淮阳县", "河南淮阳县人"])
def test_renamed_county_resolves_to_its_new_name(text):
    assert _fields(normalize_region(text)) == ("河南省", "周口市", "淮阳区", "410000", "411600", "411603")


def test_renamed_city():
    region = normalize_region("襄樊")
    assert (region.city, region.city_code) == ("襄阳市", "420600")


def test_province_administered_county_level_city_is_its_own_city():
    region = normalize_region("济源")
    assert _fields(region) == ("河南省", "济源市", "济源市", "410000", "419001", "419001")


@pytest.mark.parametrize(("text", "candidates"), [
    ("朝阳区", ["北京市朝阳区", "吉林省长春市朝阳区"]),
    ("鼓楼区", ["江苏省南京市鼓楼区", "江苏省徐州市鼓楼区", "河南省开封市鼓楼区", "福建省福州市鼓楼区"]),
    ("江苏鼓楼区", ["江苏省南京市鼓楼区", "江苏省徐州市鼓楼区"]),
])
def test_ambiguous_names_resolve_to_nothing_and_list_candidates(text, candidates):
    region = normalize_region(text)
    assert _fields(region) == (None,) * 6
    assert region.reason.startswith("ambiguous")
    for candidate in candidates:
        assert candidate in region.reason


@pytest.mark.parametrize(("text", "county_code"), [
    ("河南鼓楼区", "410204"), ("开封鼓楼", "410204"), ("南京鼓楼区", "320106"), ("北京朝阳区", "110105"),
    ("长春朝阳区", "220104"), ("吉林朝阳区", "220104"),
])
def test_given_province_or_city_disambiguates(text, county_code):
    region = normalize_region(text)
    assert region.county_code == county_code and region.reason is None


def test_contradicting_parts_are_not_guessed():
    region = normalize_region("郑州商水")  # 商水 belongs to 周口, not 郑州
    assert region.province_code is None and "ambiguous" in region.reason


@pytest.mark.parametrize("text", ["火星", "abc", "12345"])
def test_unresolvable(text):
    region = normalize_region(text)
    assert _fields(region) == (None,) * 6
    assert region.reason.startswith("unresolvable")


@pytest.mark.parametrize("text", [None, "", "   ", " - "])
def test_empty(text):
    region = normalize_region(text)
    assert _fields(region) == (None,) * 6 and region.reason == "empty"


def test_json_form_has_contract_field_names():
    assert list(dataclasses.asdict(normalize_region("周口"))) == [
        "raw", "province", "city", "county", "province_code", "city_code", "county_code", "reason", "status"]


def test_region_list_splits_on_separators():
    regions = normalize_region_list("郑州、洛阳/周口，北京;上海 深圳")
    assert [r.city_code for r in regions] == ["410100", "410300", "411600", "110000", "310000", "440300"]
    assert normalize_region_list("") == [] and normalize_region_list(None) == []


def test_江西区域_reads_the_province_not_a_district_inside_it():
    region = normalize_region("江西区域")
    assert (region.province_code, region.city_code) == ("360000", None)


def test_two_short_names_of_one_prefecture():
    assert normalize_region("巴州库尔勒").county_code == "652801"


def _path_spellings(county):
    """Full 省市县 path and short 市 + full 县 (周口商水县) for a county; no city part under a placeholder."""
    province = region_by_code(county.province_code)
    city = next((c for c in cities_of(county.province_code) if c.code == county.city_code), None)
    if city is None or city.is_placeholder:
        return [province.name + county.name]
    return [province.name + city.name + county.name, city.short_name.split("/")[0] + county.name]


def test_every_county_resolves_from_its_full_path():
    """Oracle over the whole catalogue: a 省+市+县 path always names exactly one county."""
    counties = [r for r in load_regions() if r.level == "county" and not r.is_placeholder
                and not r.is_functional_zone]
    wrong = [(county.code, text, normalize_region(text).reason) for county in counties
             for text in _path_spellings(county) if normalize_region(text).county_code != county.code]
    assert wrong == []


def test_every_henan_county_resolves_from_its_short_city_name_and_county_name():
    wrong = [(county.code, text) for county in henan_counties()
             for text in _path_spellings(county) if normalize_region(text).county_code != county.code]
    assert wrong == []


def test_every_functional_zone_resolves_to_a_real_division():
    """Statistical zone codes (xxxx7x) are never returned: a zone reads as the division containing it."""
    zones = [r for r in load_regions() if r.is_functional_zone]
    assert zones
    for zone in zones:
        city = region_by_code(zone.city_code)
        region = normalize_region(city.name + zone.name)
        assert region.status == "resolved", (zone.name, region.reason)
        assert region.city_code == zone.city_code
        assert region.county_code is None or not region_by_code(region.county_code).is_functional_zone


@pytest.mark.parametrize(("text", "city_code", "county_code"), [
    ("郑东新区", "410100", None),  # spans 金水 / 管城 / 中牟: the city only
    ("郑州郑东新区", "410100", None),
    ("航空港区", "410100", None),
    ("郑州航空港经济综合实验区", "410100", None),
    ("周口东新区", "411600", None),
    ("周口市东新区", "411600", None),
    ("周口港区", "411600", None),
    ("洛阳新区", "410300", None),
    ("开封新区", "410200", "410202"),  # lies in 龙亭区 (the former 金明区)
    ("平原示范区", "410700", None),
    ("济源示范区", "419001", "419001"),
    ("南沙新区", "440100", "440115"),
    ("深圳大鹏新区", "440300", "440307"),
    ("光明新区", "440300", "440311"),
    ("雄安新区", "130600", None),
    ("两江新区", "500000", None),
    ("青岛西海岸新区", "370200", "370211"),
])
def test_zones_resolve_to_their_city_and_county(text, city_code, county_code):
    region = normalize_region(text)
    assert (region.city_code, region.county_code, region.status) == (city_code, county_code, "resolved")


def test_zone_spanning_two_cities_resolves_to_its_province():
    region = normalize_region("赣江新区")
    assert (region.province_code, region.city_code) == ("360000", None)


@pytest.mark.parametrize("text", ["东新区", "示范区", "高新区", "新区"])
def test_local_zone_names_alone_are_not_guessed(text):
    assert normalize_region(text).status in {"ambiguous", "unresolved"}


@pytest.mark.parametrize(("text", "city_code", "county_code"), [
    ("东莞长安", "441900", None),
    ("东莞市长安镇", "441900", None),
    ("广东东莞虎门", "441900", None),
    ("中山小榄", "442000", None),
    ("中山市古镇镇", "442000", None),
    ("佛山顺德北滘", "440600", "440606"),
    ("佛山北滘", "440600", "440606"),
    ("佛山九江", "440600", "440605"),  # 南海区九江镇, not 江西九江
    ("深圳坂田", "440300", "440307"),
    ("深圳市观澜街道", "440300", "440309"),
    ("苏州花桥", "320500", "320583"),
])
def test_city_plus_town_resolves_to_city_and_district(text, city_code, county_code):
    region = normalize_region(text)
    assert (region.city_code, region.county_code, region.status) == (city_code, county_code, "resolved")


@pytest.mark.parametrize(("text", "expected"), [
    ("商水县城关镇", ("411600", "411623")),
    ("河南省周口市商水县城关乡", ("411600", "411623")),
    ("周口 城关镇", ("411600", None)),
    ("兰州市榆中县城关镇", ("620100", "620123")),
    ("商水县新华镇", ("411600", "411623")),  # 新华 is also a district elsewhere: the county decides
])
def test_town_with_its_county_or_city_resolves_by_that_context(text, expected):
    region = normalize_region(text)
    assert (region.city_code, region.county_code) == expected and region.status == "resolved"


@pytest.mark.parametrize("text", ["城关镇", "城关乡", "长安镇"])
def test_town_without_context_is_reported_ambiguous(text):
    region = normalize_region(text)
    assert region.status == "ambiguous" and region.reason.startswith("ambiguous")
    assert region.raw == text and _fields(region) == (None,) * 6


@pytest.mark.parametrize(("text", "county_code"), [
    ("开封县", "410212"), ("河南开封县", "410212"), ("许昌县", "411003"), ("陕县", "411203"),
    ("偃师市", "410307"), ("偃师", "410307"), ("孟津县", "410308"), ("洛阳吉利区", "410308"),
    ("长垣县", "410783"), ("淮阳县", "411603"), ("邙山区", "410108"), ("安阳铁西区", "410505"),
    ("安阳市郊区", "410506"), ("新乡北站区", "410704"), ("新乡市郊区", "410711"), ("洛阳郊区", "410311"),
    ("开封金明区", "410202"), ("开封南关区", "410205"), ("郾城县", "411103"),
])
def test_renamed_henan_divisions_resolve_to_current_codes(text, county_code):
    assert normalize_region(text).county_code == county_code


@pytest.mark.parametrize(("text", "city_code"), [("周口地区", "411600"), ("驻马店地区", "411700")])
def test_former_prefectures_resolve_to_their_cities(text, city_code):
    region = normalize_region(text)
    assert (region.city_code, region.county_code) == (city_code, None)


@pytest.mark.parametrize(("text", "status"), [
    ("周口", "resolved"), ("朝阳区", "ambiguous"), ("火星", "unresolved"), ("", "empty"), (None, "empty"),
])
def test_status_says_whether_a_value_resolved(text, status):
    region = normalize_region(text)
    assert region.status == status and region.resolved == (status == "resolved")


PLACE_STRINGS = Path(__file__).parent / "fixtures" / "place_strings.csv"
RESOLUTION_RATE_FLOOR = 0.97


def _place_strings() -> list[dict[str, str]]:
    with PLACE_STRINGS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _outcome(row: dict[str, str]) -> str:
    """right, wrong (a resolved place other than the expected one) or missed (reported, not resolved)."""
    region = normalize_region(row["text"])
    got = (region.province_code, region.city_code, region.county_code)
    expected = tuple(row[c] or None for c in ("province_code", "city_code", "county_code"))
    if region.status == row["status"] and (region.status != "resolved" or got == expected):
        return "right"
    return "wrong" if region.status == "resolved" else "missed"


def test_place_strings_as_people_write_them():
    """Hand-written register cells (籍贯 / 现居地 / 意向城市 / 工作地点) with their expected codes: the share
    resolved exactly is over the floor, and no value resolves to a place other than the expected one."""
    rows = _place_strings()
    assert len(rows) >= 120
    outcomes = {row["text"]: _outcome(row) for row in rows}
    wrong = [text for text, outcome in outcomes.items() if outcome == "wrong"]
    rate = sum(outcome == "right" for outcome in outcomes.values()) / len(rows)
    assert wrong == []
    assert rate >= RESOLUTION_RATE_FLOOR, [text for text, outcome in outcomes.items() if outcome != "right"]


@pytest.mark.parametrize(("text", "city_code"), [
    ("漯河经开区", "411100"), ("信阳高新区", "411500"), ("鹤壁新区", "410600"), ("周口市经济开发区", "411600"),
])
def test_a_generic_zone_after_its_city_is_that_city(text, city_code):
    region = normalize_region(text)
    assert (region.city_code, region.county_code, region.status) == (city_code, None, "resolved")


def test_a_generic_zone_alone_is_reported_with_what_to_add():
    region = normalize_region("经开区")
    assert region.status == "ambiguous" and "give its county or city" in region.reason
