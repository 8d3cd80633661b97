from __future__ import annotations

import math
from datetime import date, datetime

import pytest

from matcher.normalize import cells
from matcher.normalize.cells import CellError


def valid_id(first17: str) -> str:
    return first17 + cells.id_check_char(first17)


def test_id_check_char_known_answer():
    # The GB 11643 worked example.
    assert cells.id_check_char("11010519491231002") == "X"


def test_id_number_accepts_valid_and_uppercases_x():
    assert cells.parse_id_number("11010519491231002x") == "11010519491231002X"
    number = valid_id("41162319880315123")
    assert cells.parse_id_number(f" {number} ") == number
    assert cells.id_birth_year(number) == 1988


@pytest.mark.parametrize("text", [
    "11010519491231002Y", "110105194912310021", "4116231988031512", "41162319881315123X", "4.11623E+17",
])
def test_id_number_rejects(text):
    with pytest.raises(CellError):
        cells.parse_id_number(text)


def test_id_number_in_scientific_notation_gets_an_excel_hint():
    with pytest.raises(CellError, match="Excel"):
        cells.parse_id_number("4.11623198803151E+17")


@pytest.mark.parametrize(("text", "expected"), [
    ("13812345678", "13812345678"), ("138-1234-5678", "13812345678"), ("+86 138 1234 5678", "13812345678"),
    ("8613812345678", "13812345678"), ("13812345678.0", "13812345678"),
    ("0371-12345678", "0371-12345678"), ("0394 8234567", "0394-8234567"), ("(0394)8234567", "0394-8234567"),
    ("03948234567", "0394-8234567"), ("01012345678", "010-12345678"), ("0394-8234567转123", "0394-8234567转123"),
    ("0394-8234567-8012", "0394-8234567转8012"), ("13812345678/0394-8234567", "13812345678"),
])
def test_phone(text, expected):
    assert cells.parse_phone(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("13812345678/0394-8234567", ("13812345678", "0394-8234567")),
    ("13812345678、13987654321", ("13812345678", "13987654321")),
    ("13812345678 13987654321", ("13812345678", "13987654321")),
    ("0394-8234567转123或13812345678", ("0394-8234567转123", "13812345678")),
    ("13812345678/13812345678", ("13812345678",)),
])
def test_two_numbers_in_a_cell_are_all_kept_first_first(text, expected):
    assert cells.parse_phones(text) == expected


@pytest.mark.parametrize("text", ["1381234567", "23812345678", "138123456789", "8234567", "0394-823",
                                  "13812345678/123", "0394-8234567转", "电话"])
def test_phone_rejects(text):
    with pytest.raises(CellError, match="mobile"):
        cells.parse_phone(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("郑州宇通客车股份有限公司 电气工程师", ("郑州宇通客车股份有限公司", "电气工程师")),
    ("周口恒力电气有限公司技术部经理", ("周口恒力电气有限公司", "技术部经理")),
    ("河南省人民医院主治医师", ("河南省人民医院", "主治医师")),
    ("洛阳一拖集团/车间主任", ("洛阳一拖集团", "车间主任")),
    ("深圳某科技公司（高级工程师）", ("深圳某科技公司", "高级工程师")),
    ("周口市人社局科员", ("周口市人社局", "科员")),
    ("自由职业", (None, "自由职业")),
])
def test_employer_and_title_split(text, expected):
    assert cells.split_employer_title(text) == expected


@pytest.mark.parametrize(("text", "expected"), [("1988", 1988), ("1988年", 1988), ("1988.0", 1988),
                                                ("1988-06", 1988), ("1988年6月", 1988), ("1988/6/1", 1988),
                                                ("1988.03", 1988), ("1988年3月", 1988), ("198803", 1988),
                                                ("1988-03-01", 1988)])
def test_birth_year(text, expected):
    assert cells.parse_birth_year(text) == expected


@pytest.mark.parametrize("text", ["88", "1899", str(date.today().year), "一九八八", "abc"])
def test_birth_year_rejects(text):
    with pytest.raises(CellError, match="birth year"):
        cells.parse_birth_year(text)


def test_flags_gender_headcount_stars():
    assert cells.parse_flag("是") is True and cells.parse_flag("FALSE") is False
    assert cells.parse_gender("女性") == "女"
    assert cells.parse_headcount("5人") == 5 and cells.parse_headcount("若干") is None
    assert [cells.parse_stars(t) for t in ("★★★", "4", "五星", "2.0")] == [3, 4, 5, 2]
    for parser, text in [(cells.parse_flag, "也许"), (cells.parse_gender, "未知"), (cells.parse_headcount, "0"),
                         (cells.parse_headcount, "-2"), (cells.parse_stars, "6"), (cells.parse_stars, "☆☆")]:
        with pytest.raises(CellError):
            parser(text)


@pytest.mark.parametrize(("value", "expected"), [
    ("有", True), ("√", True), ("✓", True), ("是", True), (" YES ", True), ("愿意", True), ("True", True), (1, True),
    (True, True), ("无", False), ("×", False), ("否", False), ("不愿意", False), ("n", False), ("FALSE", False),
    (0, False), (False, False), ("也许", None), ("", None), (None, None),
])
def test_yes_no_reads_every_spelling_of_the_one_vocabulary(value, expected):
    assert cells.yes_no(value) is expected


def test_parse_flag_reads_有_and_tick_and_rejects_what_is_not_yes_or_no():
    assert cells.parse_flag("有") is True and cells.parse_flag("√") is True and cells.parse_flag("×") is False
    with pytest.raises(CellError, match="是 or 否"):
        cells.parse_flag("有时")


def test_datetime_formats():
    assert cells.parse_datetime("2024年3月1日") == datetime(2024, 3, 1)
    assert cells.parse_datetime("2024/3/1 14:30") == datetime(2024, 3, 1, 14, 30)
    assert cells.parse_datetime("2024-03") == datetime(2024, 3, 1)
    with pytest.raises(CellError, match="date"):
        cells.parse_datetime("2024-13-01")


def test_clean_text_treats_placeholders_and_floats():
    assert [cells.clean_text(v) for v in (None, math.nan, " 无 ", "-", 3.0, 2.5, " 本科 ")] == [
        None, None, None, None, "3", "2.5", "本科"]
    assert cells.clean_text(datetime(2024, 3, 1)) == "2024-03-01"


def test_masks_hide_the_middle():
    assert cells.mask_digits("13812345678") == "138****5678"
    assert cells.mask_digits("123") == "***"
    assert cells.mask_name("张伟") == "张*"
