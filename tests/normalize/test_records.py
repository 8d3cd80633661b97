from __future__ import annotations

from datetime import datetime

import pytest

from matcher.normalize.cells import id_check_char
from matcher.normalize.records import check_job, check_talent, normalize_job, normalize_talent

ID_NUMBER = "41162319880315123" + id_check_char("41162319880315123")
TALENT = {
    "talent_id": "T1", "name": "张伟", "gender": "男", "birth_year": "1988", "phone": "138 1234 5678",
    "id_number": ID_NUMBER, "hometown": "河南省周口市商水县", "current_city": "深圳", "education": "本科",
    "experience_years": "3-5年", "certificates": "高级电工证", "skills": "PLC编程", "current_title": "电气工程师",
    "expected_salary": "15000-20000元/月", "intent_cities": "郑州、周口、火星", "willing_to_return": "是",
    "updated_at": "2024/3/1",
}


def issues_of(record):
    return [(i.column, i.value) for i in record.issues]


def test_valid_talent_normalises_beside_raw():
    checked = check_talent(TALENT)
    assert checked.issues == ()
    v = checked.values
    assert (v["hometown"], v["hometown_province_code"], v["hometown_city_code"], v["hometown_county_code"]) == (
        "河南省周口市商水县", "410000", "411600", "411623")
    assert (v["phone"], v["birth_year"], v["experience_years"], v["willing_to_return"]) == (
        "13812345678", 1988, 4.0, True)
    assert v["intent_city_codes"] == ["410100", "411600"]
    assert (v["expected_salary_min"], v["expected_salary_max"]) == (15000, 20000)
    assert v["occupation_code"] == "2-02-11-01"
    assert v["updated_at"] == datetime(2024, 3, 1)
    assert v["certificates_norm"][0]["level"] == 3 and v["skills_norm"]


@pytest.mark.parametrize(("column", "value", "shown"), [
    ("phone", "1391122334", "139***2334"), ("id_number", ID_NUMBER[:-1] + "0", "411***********1230"),
    ("birth_year", "88", "88"), ("gender", "未知", "未知"), ("willing_to_return", "看情况", "看情况"),
    ("education", "会开车", "会开车"), ("experience_years", "丰富", "丰富"), ("updated_at", "上周", "上周"),
])
def test_each_strict_column_reports_one_masked_issue(column, value, shown):
    checked = check_talent({**TALENT, column: value})
    assert issues_of(checked) == [(column, shown)]
    assert checked.values[column if column != "education" else "education_rank"] is None


def test_places_that_do_not_resolve_are_kept_not_rejected():
    checked = check_talent({**TALENT, "hometown": "火星基地", "current_city": ""})
    assert checked.issues == ()
    assert checked.values["hometown"] == "火星基地" and checked.values["hometown_city_code"] is None
    assert checked.values["current_city"] is None and checked.values["current_city_code"] is None


def test_only_columns_derivable_from_the_given_keys_appear():
    values = normalize_talent({"talent_id": "T1", "name": "张伟", "hometown": "洛阳"})
    assert set(values) == {"talent_id", "name", "hometown", "hometown_province_code", "hometown_city_code",
                           "hometown_county_code"}


def test_birth_year_comes_from_the_id_number_when_blank():
    assert normalize_talent({**TALENT, "birth_year": ""})["birth_year"] == 1988
    assert normalize_talent({"talent_id": "T1", "name": "x", "id_number": ID_NUMBER})["birth_year"] == 1988


def test_required_values_and_no_requirement_words():
    assert issues_of(check_talent({**TALENT, "name": " ", "education": "不限"})) == [("name", "")]
    assert issues_of(check_talent({"name": "x"})) == [("talent_id", "")]
    assert check_talent({**TALENT, "talent_id": "T" * 65}).issues[0].column == "talent_id"


def test_cell_values_of_other_types_are_accepted():
    values = normalize_talent({**TALENT, "birth_year": 1988.0, "phone": 13812345678, "willing_to_return": False})
    assert (values["birth_year"], values["phone"], values["willing_to_return"]) == (1988, "13812345678", False)


def test_vague_titles_get_no_occupation_code():
    assert normalize_talent({**TALENT, "current_title": "总经理助理兼打杂"})["occupation_code"] is None


def test_json_lists_are_fresh_per_record():
    first, second = normalize_talent(TALENT), normalize_talent(TALENT)
    assert first["certificates_norm"] == second["certificates_norm"]
    assert first["certificates_norm"] is not second["certificates_norm"]
    assert first["certificates_norm"][0] is not second["certificates_norm"][0]


JOB = {"job_id": "J1", "title": "电气工程师", "employer": "某公司", "city": "开封市", "county": "鼓楼区",
       "education": "学历不限", "experience": "3年以上", "salary": "8000-12000元/月", "headcount": "若干",
       "urgency_stars": "★★★★", "urgency_index": "0.82", "description": "负责PLC编程与调试"}


def test_job_county_resolves_within_its_city():
    checked = check_job(JOB)
    assert checked.issues == ()
    v = checked.values
    assert (v["province_code"], v["city_code"], v["county_code"]) == ("410000", "410200", "410204")
    assert (v["headcount"], v["urgency_stars"], v["urgency_index"], v["education_rank"]) == (None, 4, 0.82, None)
    assert (v["experience_min"], v["salary_min"], v["salary_max"]) == (3, 8000, 12000)
    assert v["skills_norm"], "skills fall back to the description when the skills column is absent"


def test_bad_job_values():
    checked = check_job({**JOB, "headcount": "0", "urgency_stars": "6", "urgency_index": "高", "city": ""})
    assert [i.column for i in checked.issues] == ["headcount", "urgency_stars", "urgency_index", "city"]
    assert normalize_job({**JOB, "city": "郑州", "county": ""})["city_code"] == "410100"


def test_employer_and_title_cell_is_split_and_the_title_gets_an_occupation():
    cell = "深圳比亚迪股份有限公司 电气工程师"
    checked = check_talent({"talent_id": "T1", "name": "张伟", "employer_and_title": cell})
    split = (checked.values["current_employer"], checked.values["current_title"])
    assert split == ("深圳比亚迪股份有限公司", "电气工程师")
    assert checked.values["occupation_code"] is not None and not checked.issues
    own = check_talent({"talent_id": "T1", "name": "张伟", "employer_and_title": "某公司 技术员",
                        "current_title": "电工"})
    assert (own.values["current_employer"], own.values["current_title"]) == ("某公司", "电工")


def test_every_phone_of_a_cell_is_kept_the_first_as_primary():
    checked = check_talent({"talent_id": "T1", "name": "张伟", "phone": "0394-8234567转123/13812345678"})
    assert checked.values["phone"] == "0394-8234567转123"
    assert checked.values["phones"] == ["0394-8234567转123", "13812345678"]
    bad = check_talent({"talent_id": "T1", "name": "张伟", "phone": "12345"})
    assert bad.values["phones"] is None and bad.issues[0].value == "*****"
