"""The talent record's derived major columns (major_code, major_occupations) from 专业 and 学历."""
from __future__ import annotations

from matcher.normalize.records import check_talent, normalize_talent


def test_major_resolves_with_the_level_of_the_education_column():
    college = normalize_talent({"talent_id": "T1", "name": "某", "major": "电气自动化", "education": "大专"})
    assert college["major_code"] == "460306"
    assert "6-31-01-03" in college["major_occupations"]
    graduate = normalize_talent({"talent_id": "T1", "name": "某", "major": "电气自动化", "education": "本科"})
    assert graduate["major_code"] == "080601"


def test_an_unknown_major_keeps_its_text_without_an_issue():
    checked = check_talent({"talent_id": "T1", "name": "某", "major": "天文学", "education": "本科"})
    assert checked.issues == ()
    assert (checked.values["major"], checked.values["major_code"], checked.values["major_occupations"]) == (
        "天文学", None, [])


def test_records_without_a_major_column_get_no_major_columns():
    assert "major_code" not in normalize_talent({"talent_id": "T1", "name": "某"})
