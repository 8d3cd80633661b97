from __future__ import annotations

import pytest

from matcher.normalize.experience import ExperienceRange, normalize_experience


@pytest.mark.parametrize(("text", "low", "high"), [
    ("3-5年", 3, 5),
    ("3至5年", 3, 5),
    ("三到五年", 3, 5),
    ("应届毕业生", 0, 0),
    ("10年以上", 10, None),
    ("1年以下", 0, 1),
    ("一年以内", 0, 1),
    ("不满1年", 0, 1),
    ("三年以上", 3, None),
    ("十二年以上", 12, None),
    ("两年", 2, 2),
    ("5年", 5, 5),
    ("5", 5, 5),
    ("3.5", 3.5, 3.5),
    ("半年以上", 0.5, None),
    ("一年半", 1.5, 1.5),
    ("6个月", 0.5, 0.5),
    ("至少3年", 3, None),
    ("3年+", 3, None),
    ("3年以上国内工作经验", 3, None),
])
def test_known_answers(text, low, high):
    assert normalize_experience(text) == ExperienceRange(text, low, high)


def test_whole_years_come_back_as_int():
    found = normalize_experience("3-5年")
    assert type(found.min) is int and type(found.max) is int


@pytest.mark.parametrize("text", ["不限", "经验不限", "", None, "若干", "2015年毕业"])
def test_no_requirement_or_unreadable_gives_nulls(text):
    assert normalize_experience(text) == ExperienceRange(text, None, None)
