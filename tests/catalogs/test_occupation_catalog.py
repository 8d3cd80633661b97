"""The occupation catalogue loader: records, edition marks, repeated rows and validation."""
from __future__ import annotations

import shutil

import pytest

from matcher.catalogs import CATALOG_DIR
from matcher.catalogs.occupations import level4_occupations, load_occupations, occupation_by_code


def test_levels_and_lookup():
    occupations = load_occupations()
    assert {o.level for o in occupations} == {1, 2, 3, 4}
    welder = occupation_by_code("6-18-02-04")
    assert (welder.name, welder.level) == ("焊工", 4)
    assert occupation_by_code("0-00-00-00") is None


def test_code_and_level_pairs_are_unique():
    keys = [(o.code, o.level) for o in load_occupations()]
    assert len(keys) == len(set(keys))
    assert len(level4_occupations()) > 1600


def test_a_code_that_is_both_group_and_occupation_resolves_to_the_occupation():
    assert occupation_by_code("2-03-01-00").level == 4


def test_plain_name_drops_edition_marks():
    assert occupation_by_code("2-02-10-03").plain_name == "计算机软件工程技术人员"
    assert occupation_by_code("2-02-02-03").plain_name == "摄影测量与遥感工程技术人员"
    assert occupation_by_code("6-18-02-04").plain_name == "焊工"


def test_code_prefix():
    assert occupation_by_code("2-02-00-00").code_prefix == "2-02"
    assert occupation_by_code("6-00-00-00").code_prefix == "6"
    assert occupation_by_code("2-06-03-00").code_prefix == "2-06-03"


def test_aliases_are_split():
    assert "Java开发" in occupation_by_code("2-02-10-03").aliases


def test_malformed_row_names_file_row_and_column(tmp_path):
    shutil.copy(CATALOG_DIR / "occupations.csv", tmp_path / "occupations.csv")
    path = tmp_path / "occupations.csv"
    text = path.read_text(encoding="utf-8").replace("6-18-02-04,4,焊工", "6-18-0204,4,焊工")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=r"occupations\.csv, row \d+, column 'code': got '6-18-0204'"):
        load_occupations(tmp_path)
