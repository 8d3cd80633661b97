from __future__ import annotations

from dataclasses import asdict

import pytest

from matcher.catalogs.education import load_education_levels
from matcher.normalize.education import Education, normalize_education


@pytest.mark.parametrize(("text", "name", "rank"), [
    ("本科", "本科", 4),
    ("大学本科及以上", "本科", 4),
    ("本科以上", "本科", 4),
    ("硕士研究生", "硕士", 5),
    ("中专/技校", "高中/中专", 2),
    ("全日制大专", "大专", 3),
    ("初中", "初中及以下", 1),
    ("博士", "博士", 6),
    ("博士后", "博士", 6),
    ("大学专科", "大专", 3),
    ("大专以上学历", "大专", 3),
    ("统招本科及以上学历，硕士优先", "本科", 4),
    ("大专或本科", "大专", 3),
    ("ＭＢＡ", "硕士", 5),
    ("mba", "硕士", 5),
])
def test_known_answers(text, name, rank):
    assert normalize_education(text) == Education(text, name, rank)


@pytest.mark.parametrize("text", ["不限", "学历不限", "", None, "  ", "看能力"])
def test_no_level_stated(text):
    assert normalize_education(text) == Education(text, None, None)


@pytest.mark.parametrize("level", load_education_levels(), ids=lambda level: level.name)
def test_every_catalogue_alias_gives_its_rank(level):
    assert {normalize_education(a).rank for a in (level.name, *level.aliases)} == {level.rank}


def test_json_form_has_exactly_the_contract_fields():
    assert asdict(normalize_education("本科")) == {"raw": "本科", "name": "本科", "rank": 4}
