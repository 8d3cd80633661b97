"""The boundary's text policy: limits per column, refused characters, folded ids, in every record check."""
from __future__ import annotations

from matcher.normalize import text_policy
from matcher.normalize.records import check_job, check_talent


def test_limits_by_kind_of_column():
    assert text_policy.text_limit("summary") == text_policy.FREE_TEXT_LIMIT
    assert text_policy.text_limit("certificates") == text_policy.LIST_TEXT_LIMIT
    assert text_policy.text_limit("hometown") == text_policy.SHORT_TEXT_LIMIT
    assert text_policy.text_violation("summary", "会焊接" * 1000) is None
    assert "4000" in text_policy.text_violation("summary", "中" * 4001)


def test_controls_and_lone_surrogates_refused_tabs_and_line_breaks_kept():
    assert text_policy.text_violation("summary", "第一行\n第二行\t完") is None
    assert "U+0000" in text_policy.text_violation("summary", "焊工\x00")
    assert "U+D800" in text_policy.text_violation("major", "机电\ud800")
    assert "U+001B" in text_policy.text_violation("major", "\x1b[31m")


def test_a_refused_value_is_an_issue_naming_the_column_and_no_parser_sees_it():
    record = check_talent({"talent_id": "T1", "name": "张三", "hometown": "周口" * 200, "summary": "会开叉车"})
    assert [i.column for i in record.issues] == ["hometown"]
    assert record.values["hometown"] is None and record.values["hometown_city_code"] is None
    assert record.issues[0].value.endswith("…") and len(record.issues[0].value) <= 21


def test_personal_values_stay_masked_in_issues():
    record = check_talent({"talent_id": "T1", "name": "张三\x00", "phone": "13812345678\x07"})
    shown = " ".join(i.value for i in record.issues)
    assert "张三" not in shown and "13812345678" not in shown
    assert {i.column for i in record.issues} == {"name", "phone"}


def test_ids_fold_full_width_to_half_width_and_refuse_other_characters():
    assert check_talent({"talent_id": "ＴＡ１", "name": "张三"}).values["talent_id"] == "TA1"
    assert check_talent({"talent_id": "周口-人才-001", "name": "张三"}).issues == ()
    for bad in ("T 1", "T1😀", "T\u200b1", "a/b", "x?y"):
        issues = check_talent({"talent_id": bad, "name": "张三"}).issues
        assert [i.column for i in issues] == ["talent_id"], bad
    assert check_job({"job_id": "J" * 65, "title": "焊工", "employer": "甲", "city": "郑州"}).issues
