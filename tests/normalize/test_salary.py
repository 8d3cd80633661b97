from __future__ import annotations

import pytest

from matcher.normalize.salary import SalaryRange, normalize_salary


@pytest.mark.parametrize(("text", "low", "high"), [
    ("8-12万/年", 6667, 10000),  # 80000 / 12 = 6666.67 rounds half up
    ("6k-8k", 6000, 8000),
    ("6000-8000元/月", 6000, 8000),
    ("年薪20万", 16667, 16667),
    ("8千-1.2万", 8000, 12000),
    ("5000元以上", 5000, None),
    ("3000以下", None, 3000),
    ("150元/天", 3263, 3263),  # 150 × 21.75 = 3262.5
    ("25元/小时", 4350, 4350),  # 25 × 174
    ("20-30K·13薪", 21667, 32500),  # × 13 / 12
    ("4000-6000元/月（13薪）", 4333, 6500),
    ("6000", 6000, 6000),
    ("1-1.5万", 10000, 15000),
    ("15-20万", 12500, 16667),  # over 10万 a month with no period: yearly
    ("8000-1.2万", 8000, 12000),
    ("1.5万-2", 15000, 20000),
    ("8千-12000", 8000, 12000),
    ("８０００～１００００", 8000, 10000),
    ("底薪3000+提成", 3000, None),
    ("8000-6000", 6000, 8000),
])
def test_known_answers(text, low, high):
    assert normalize_salary(text) == SalaryRange(text, low, high)


@pytest.mark.parametrize("text", ["面议", "薪资面议", "", None, "待遇优厚", "8-12"])
def test_unreadable_or_negotiable_gives_nulls(text):
    assert normalize_salary(text) == SalaryRange(text, None, None)
