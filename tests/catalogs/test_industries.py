from __future__ import annotations

from collections import Counter

import pytest

from matcher.catalogs.industries import KEY_INDUSTRIES_FILE, load_industries, load_key_industries
from matcher.catalogs.rows import CatalogError

KEY_INDUSTRY_NAMES = ["新一代信息技术", "电子信息", "高端/智能制造", "汽车及零配件", "新材料", "现代食品",
                      "生物医药", "节能环保", "家居与服装", "现代金融", "现代物流", "现代农业", "文化创意",
                      "其他服务"]
SECTION_A = "code,name,level,section,aliases\nA,农、林、牧、渔业,section,A,\n"


def test_gbt4754_has_twenty_sections_and_ninety_seven_divisions():
    entries = load_industries()
    sections = [e for e in entries if e.level == "section"]
    divisions = [e for e in entries if e.level == "division"]
    assert [s.code for s in sections] == list("ABCDEFGHIJKLMNOPQRST")
    assert [d.code for d in divisions] == [f"{n:02d}" for n in range(1, 98)]
    per_section = Counter(d.section for d in divisions)
    assert per_section["C"] == 31 and per_section["A"] == 5 and per_section["T"] == 1
    assert {d.code: d.name for d in divisions}["65"] == "软件和信息技术服务业"
    assert {s.code: s.name for s in sections}["I"] == "信息传输、软件和信息技术服务业"


def test_industry_names_and_aliases_are_unambiguous():
    owners: dict[str, set[str]] = {}
    for entry in load_industries():
        for name in (entry.name, *entry.aliases):
            owners.setdefault(name, set()).add(entry.code)
    # 教育 is both section P and its only division 83; a name may repeat only within one section.
    sections = {e.code: e.section for e in load_industries()}
    assert {n: o for n, o in owners.items() if len({sections[c] for c in o}) > 1} == {}


def test_key_industries_are_the_fourteen_and_map_to_known_divisions():
    key_industries = load_key_industries()
    assert [k.name for k in key_industries] == KEY_INDUSTRY_NAMES
    divisions = {e.code for e in load_industries() if e.level == "division"}
    claimed = [d for k in key_industries for d in k.divisions]
    assert set(claimed) <= divisions and len(claimed) == len(set(claimed))
    by_name = {k.name: k.divisions for k in key_industries}
    assert by_name["新一代信息技术"] == ("63", "64", "65") and by_name["汽车及零配件"] == ("36",)


def test_key_industry_aliases_do_not_contradict_division_aliases():
    key_of = {d: k.name for k in load_key_industries() for d in k.divisions}
    division_names = {name: e.code for e in load_industries() if e.level == "division"
                      for name in (e.name, *e.aliases)}
    for key_industry in load_key_industries():
        for name in (key_industry.name, *key_industry.aliases):
            if name in division_names:
                assert key_of.get(division_names[name]) == key_industry.name, name


def test_a_division_claimed_twice_is_rejected(tmp_path):
    (tmp_path / "industries_gbt4754.csv").write_text(
        SECTION_A + "01,农业,division,A,\n", encoding="utf-8")
    (tmp_path / KEY_INDUSTRIES_FILE).write_text(
        "name,aliases,divisions\n现代农业,,01\n现代食品,,01\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"key_industries\.csv, row 3, column 'divisions': division 01"):
        load_key_industries(tmp_path)


def test_unknown_division_and_bad_code_are_rejected(tmp_path):
    (tmp_path / "industries_gbt4754.csv").write_text(
        SECTION_A + "1,农业,division,A,\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"industries_gbt4754\.csv, row 3, column 'code'"):
        load_industries(tmp_path)
    (tmp_path / "industries_gbt4754.csv").write_text(
        SECTION_A + "01,农业,division,A,\n", encoding="utf-8")
    (tmp_path / KEY_INDUSTRIES_FILE).write_text("name,aliases,divisions\n现代农业,,01|99\n", encoding="utf-8")
    load_industries.cache_clear()
    with pytest.raises(CatalogError, match=r"row 2, column 'divisions'.*unknown: \['99'\]"):
        load_key_industries(tmp_path)
