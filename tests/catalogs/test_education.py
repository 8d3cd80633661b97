from __future__ import annotations

from collections import Counter

import pytest

from matcher.catalogs.education import (
    EDUCATION_LEVELS_FILE,
    load_education_levels,
    load_talent_categories,
)
from matcher.catalogs.rows import CatalogError

SIX_TALENT_TEAMS = {"党政人才", "企业经营管理人才", "专业技术人才", "高技能人才", "农村实用人才",
                    "社会工作人才"}


def test_education_levels_are_six_ranks():
    levels = load_education_levels()
    assert [(e.rank, e.name) for e in levels] == [
        (1, "初中及以下"), (2, "高中/中专"), (3, "大专"), (4, "本科"), (5, "硕士"), (6, "博士")]


def test_education_aliases_belong_to_one_level_only():
    names = Counter(n for e in load_education_levels() for n in (e.name, *e.aliases))
    assert [n for n, count in names.items() if count > 1] == []


def test_talent_categories_hold_the_six_teams_and_local_categories():
    categories = load_talent_categories()
    names = {c.name for c in categories}
    assert SIX_TALENT_TEAMS <= names and {"高层次人才", "名校学子", "其他"} <= names
    assert len(categories) == 9
    aliases = Counter(a for c in categories for a in (c.name, *c.aliases))
    assert [a for a, count in aliases.items() if count > 1] == []


def test_malformed_education_rank_names_file_and_row(tmp_path):
    (tmp_path / EDUCATION_LEVELS_FILE).write_text("rank,name,aliases\n1,初中及以下,初中\n9,博士后,\n",
                                                  encoding="utf-8")
    with pytest.raises(CatalogError, match=r"education_levels\.csv, row 3, column 'rank'.*from 1 to 6"):
        load_education_levels(tmp_path)


def test_empty_catalogue_and_extra_cells_are_rejected(tmp_path):
    (tmp_path / EDUCATION_LEVELS_FILE).write_text("rank,name,aliases\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="no data rows"):
        load_education_levels(tmp_path)
    load_education_levels.cache_clear()
    (tmp_path / EDUCATION_LEVELS_FILE).write_text("rank,name,aliases\n4,本科,学士,多余\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"row 2: more cells than the 3 header columns"):
        load_education_levels(tmp_path)
