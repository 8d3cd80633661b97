from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from matcher.catalogs import CATALOG_DIR
from matcher.catalogs import certificates as catalog
from matcher.catalogs.occupations import load_occupations
from matcher.catalogs.rows import CatalogError


@pytest.fixture(scope="module")
def occupations() -> dict[str, object]:
    return {o.code: o for o in load_occupations()}


def test_skill_levels_are_one_to_five_with_the_national_names():
    levels = catalog.load_skill_levels()
    assert [s.level for s in levels] == [1, 2, 3, 4, 5]
    assert "高级技师" in levels[0].aliases and "高级工" in levels[2].aliases and "初级工" in levels[4].aliases
    tokens = Counter(a for s in levels for a in s.aliases)
    assert [a for a, n in tokens.items() if n > 1] == []


def test_title_ranks_are_the_four_ranks_in_order():
    assert [(r.rank, r.name) for r in catalog.load_title_ranks()] == [
        (1, "初级"), (2, "中级"), (3, "副高级"), (4, "正高级")]


def test_each_title_has_one_rank_across_series():
    ranks: dict[str, set[str]] = {}
    for title in catalog.load_titles():
        ranks.setdefault(title.title, set()).add(title.rank)
    assert {t: r for t, r in ranks.items() if len(r) > 1} == {}
    assert ranks["高级会计师"] == {"副高级"} and ranks["主治医师"] == {"中级"} and ranks["教授"] == {"正高级"}


def test_qualification_list_2021_counts():
    items = catalog.load_qualifications()
    assert len(items) == 72
    assert [q.id for q in items] == list(range(1, 73))
    professional = [q for q in items if q.category == "professional_technical"]
    skill = [q for q in items if q.category == "skill"]
    assert (len(professional), len(skill)) == (59, 13)
    assert Counter(q.type for q in professional) == {"准入": 33, "水平评价": 26}
    assert {q.type for q in skill} == {"准入"}
    assert len({q.name for q in items}) == 72


def test_qualification_names_and_aliases_are_unambiguous():
    owners: dict[str, set[str]] = {}
    for q in catalog.load_qualifications():
        for name in (q.name, *q.aliases):
            owners.setdefault(name, set()).add(q.name)
    assert {n: o for n, o in owners.items() if len(o) > 1} == {}


def test_special_operation_catalogue_has_the_eleven_categories():
    operations = catalog.load_special_operations()
    categories = {op.category for op in operations if op.regime == "特种作业"}
    assert len(categories) == 11
    assert {"电工作业", "焊接与热切割作业", "高处作业", "危险化学品安全作业"} <= categories
    by_name = {op.operation: op for op in operations}
    assert by_name["低压电工作业"].category == "电工作业"
    assert by_name["叉车司机"].code == "N1" and by_name["叉车司机"].regime == "特种设备作业"
    codes = Counter((op.regime, op.code) for op in operations if op.code != "焊接")
    assert [c for c, n in codes.items() if n > 1] == []


def test_certificate_alias_count_and_uniqueness():
    aliases = catalog.load_certificate_aliases()
    assert 100 <= len(aliases) <= 250
    assert [a for a, n in Counter(a.alias for a in aliases).items() if n > 1] == []


def test_every_certificate_alias_names_an_existing_canonical_entry(occupations):
    qualifications = {q.name for q in catalog.load_qualifications()}
    operations = {op.operation for op in catalog.load_special_operations()}
    title_rank = {t.title: t.rank for t in catalog.load_titles()}
    for a in catalog.load_certificate_aliases():
        if a.kind == "qualification":
            assert a.name in qualifications, a
        elif a.kind == "special_operation":
            assert a.name in operations, a
        elif a.kind == "title":
            assert title_rank.get(a.name) == a.title_rank, a
        elif a.kind == "skill_level" and a.occupation_code:
            assert occupations[a.occupation_code].plain_name == a.name, a


def test_every_occupation_code_exists_at_level_four(occupations):
    codes = [(q.name, q.occupation_code) for q in catalog.load_qualifications()]
    codes += [(op.operation, op.occupation_code) for op in catalog.load_special_operations()]
    codes += [(a.alias, a.occupation_code) for a in catalog.load_certificate_aliases()]
    bad = [(name, code) for name, code in codes
           if code and (code not in occupations or occupations[code].level != 4)]
    assert bad == []
    assert sum(1 for _, code in codes if code) > 100


def test_special_operation_codes_agree_with_alias_codes():
    operations = {op.operation: op.occupation_code for op in catalog.load_special_operations()}
    for a in catalog.load_certificate_aliases():
        if a.kind == "special_operation":
            assert a.occupation_code == operations[a.name], a


def _catalog_copy(tmp_path: Path, name: str, text: str) -> Path:
    shutil.copy(CATALOG_DIR / name, tmp_path / name)
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_malformed_skill_level_row_names_file_row_and_column(tmp_path):
    catalog_dir = _catalog_copy(tmp_path, catalog.SKILL_LEVELS_FILE,
                                "level,name,aliases\n1,一级/高级技师,高级技师\n七,二级/技师,技师\n")
    with pytest.raises(CatalogError, match=r"skill_levels\.csv, row 3, column 'level'.*'七'"):
        catalog.load_skill_levels(catalog_dir)


def test_malformed_alias_kind_and_code_are_rejected(tmp_path):
    header = "alias,name,kind,occupation_code,level,title_rank\n"
    catalog_dir = _catalog_copy(tmp_path, catalog.CERTIFICATE_ALIASES_FILE,
                                header + "电工证,低压电工作业,licence,,,\n")
    with pytest.raises(CatalogError, match=r"certificate_aliases\.csv, row 2, column 'kind'"):
        catalog.load_certificate_aliases(catalog_dir)
    (tmp_path / catalog.CERTIFICATE_ALIASES_FILE).write_text(
        header + "电工证,低压电工作业,special_operation,6-31-01,,\n", encoding="utf-8")
    catalog.load_certificate_aliases.cache_clear()
    with pytest.raises(CatalogError, match=r"row 2, column 'occupation_code'"):
        catalog.load_certificate_aliases(catalog_dir)


def test_missing_column_and_stray_separator_are_rejected(tmp_path):
    catalog_dir = _catalog_copy(tmp_path, catalog.TITLES_FILE, "title,rank\n工程师,中级\n")
    with pytest.raises(CatalogError, match=r"titles\.csv: missing columns \['series'\]"):
        catalog.load_titles(catalog_dir)
    catalog_dir = _catalog_copy(tmp_path, catalog.TITLE_RANKS_FILE,
                                "rank,name,aliases\n1,初级,员级||助理级\n")
    with pytest.raises(CatalogError, match=r"title_ranks\.csv, row 2, column 'aliases'"):
        catalog.load_title_ranks(catalog_dir)


def _certificate_names() -> set[str]:
    return {q.name for q in catalog.load_qualifications()} | {a.name for a in catalog.load_certificate_aliases()}


def test_every_graded_qualification_is_a_catalogue_item_or_a_named_certificate():
    names = _certificate_names()
    graded = {g.qualification for g in catalog.load_qualification_grades()}
    graded |= {s.qualification for s in catalog.load_qualification_specialities()}
    assert graded - names == set()
    assert {"建造师", "教师资格", "医生资格", "会计专业技术资格", "计算机技术与软件专业技术资格", "翻译专业资格",
            "普通话水平测试等级证书"} <= graded


def test_grade_ranks_follow_the_published_order():
    rank = {(g.qualification, g.grade): g.rank for g in catalog.load_qualification_grades()}
    teacher = [rank["教师资格", s] for s in ("幼儿园", "小学", "初级中学", "高级中学", "高等学校")]
    assert teacher == sorted(teacher) and len(set(teacher)) == 5
    assert rank["教师资格", "中等职业学校"] == rank["教师资格", "高级中学"]
    assert rank["建造师", "一级"] > rank["建造师", "二级"]
    assert rank["医生资格", "执业医师"] > rank["医生资格", "执业助理医师"]
    mandarin = [rank["普通话水平测试等级证书", g] for g in ("三级乙等", "三级甲等", "二级乙等", "二级甲等",
                                                              "一级乙等", "一级甲等")]
    assert mandarin == list(range(1, 7))


def test_grade_and_speciality_words_are_unambiguous_within_a_qualification():
    words: dict[tuple[str, str], set[str]] = {}
    for g in catalog.load_qualification_grades():
        for w in g.words:
            words.setdefault((g.qualification, w), set()).add(f"grade:{g.grade}")
    for s in catalog.load_qualification_specialities():
        for w in s.words:
            words.setdefault((s.qualification, w), set()).add(f"speciality:{s.speciality}")
    assert {k: v for k, v in words.items() if len(v) > 1} == {}


def test_speciality_broader_and_implied_grade_exist():
    grades = {(g.qualification, g.grade) for g in catalog.load_qualification_grades()}
    specialities = catalog.load_qualification_specialities()
    known = {(s.qualification, s.speciality) for s in specialities}
    for s in specialities:
        assert s.broader is None or (s.qualification, s.broader) in known, s
        assert s.grade is None or (s.qualification, s.grade) in grades, s


def test_malformed_grade_rank_names_file_row_and_column(tmp_path):
    catalog_dir = _catalog_copy(tmp_path, catalog.QUALIFICATION_GRADES_FILE,
                                "qualification,grade,rank,title_rank,words,aliases\n建造师,一级,一,中级,一级,\n")
    with pytest.raises(CatalogError, match=r"qualification_grades\.csv, row 2, column 'rank'"):
        catalog.load_qualification_grades(catalog_dir)
