from __future__ import annotations

import pytest

from matcher.catalogs.industries import load_industries, load_key_industries
from matcher.normalize.industry import Industry, normalize_industry


@pytest.mark.parametrize(("text", "key", "section", "division"), [
    ("智能制造", "高端/智能制造", "C", None),
    ("高端装备", "高端/智能制造", "C", None),
    ("软件和信息技术服务业", "新一代信息技术", "I", "65"),
    ("制造业", None, "C", None),
    ("C", None, "C", None),
    ("金融业", "现代金融", "J", None),
    ("65", "新一代信息技术", "I", "65"),
    ("I65", "新一代信息技术", "I", "65"),
    ("C65", None, None, None),
    ("电子信息", "电子信息", "C", "39"),
    ("节能环保", "节能环保", None, None),
    ("互联网/电子商务", "新一代信息技术", "I", "64"),
    ("郑州某汽车零部件制造有限公司", "汽车及零配件", "C", "36"),
    ("建筑业", None, "E", None),
    ("教育", "其他服务", "P", "83"),
])
def test_known_answers(text, key, section, division):
    assert normalize_industry(text) == Industry(text, key, section, division)


@pytest.mark.parametrize("text", ["", None, "不详", "DIGITAL"])
def test_unknown_gives_nulls(text):
    assert normalize_industry(text) == Industry(text, None, None, None)


def test_every_division_name_gives_its_division_and_mapped_key_industry():
    key_of = {d: k.name for k in load_key_industries() for d in k.divisions}
    for entry in (e for e in load_industries() if e.level == "division"):
        assert normalize_industry(entry.name) == Industry(entry.name, key_of.get(entry.code), entry.section,
                                                          entry.code)


def test_every_key_industry_name_and_alias_gives_that_key_industry():
    for key_industry in load_key_industries():
        for name in (key_industry.name, *key_industry.aliases):
            assert normalize_industry(name).key_industry == key_industry.name, name
