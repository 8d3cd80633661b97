"""Major fit: known answers from the catalogues, unknown sides, and the vectorised path against a loop."""
from __future__ import annotations

import math

import numpy as np
import pytest

from matcher.catalogs.occupations import level4_occupations
from matcher.normalize.major import normalize_major
from matcher.normalize.major_fit import major_fit


def _code(name: str) -> str:
    return next(o.code for o in level4_occupations() if o.plain_name == name)


def _fit(major: str, occupation: str) -> float:
    return float(major_fit([normalize_major(major).occupation_prefixes], [_code(occupation)])[0])


@pytest.mark.parametrize(("major", "occupation", "expected"), [
    ("护理", "内科护士", 1.0),
    ("护理学", "社区护士", 1.0),
    ("电气工程及其自动化", "电工", 1.0),
    ("电气工程及其自动化", "电工电器工程技术人员", 1.0),
    ("会计学", "会计专业人员", 1.0),
    ("学前教育", "幼儿园教师", 1.0),
    ("计算机科学与技术", "计算机软件工程技术人员", 1.0),
    ("计算机科学与技术", "计算机程序设计员", 1.0),
    ("计算机科学与技术", "内科护士", 0.0),
    ("护理", "临床检验技师", 0.5),  # same 中类 卫生专业技术人员, another 小类
    ("电气工程及其自动化", "机修钳工", 0.5),  # 电工's neighbour in 6-31 生产辅助人员
    ("会计学", "焊工", 0.0),
    ("畜牧兽医", "兽医", 1.0),
    ("机电一体化", "机电设备维修工", 1.0),
])
def test_known_answers(major, occupation, expected):
    assert _fit(major, occupation) == expected


def test_unknown_major_or_job_occupation_is_nan():
    nursing = normalize_major("护理").occupation_prefixes
    fit = major_fit([None, [], float("nan"), nursing, nursing], ["2-05-08-01", "2-05-08-01", "2-05-08-01", None, ""])
    assert all(math.isnan(value) for value in fit)


def test_lengths_must_agree():
    with pytest.raises(ValueError, match="2 prefix lists for 1 job codes"):
        major_fit([["2-05-08"], ["2-05-08"]], ["2-05-08-01"])


def _oracle(prefixes, code):
    if not prefixes or not code:
        return math.nan
    if any(code.startswith(p) for p in prefixes):
        return 1.0
    return 0.5 if any(code[:4] == p[:4] for p in prefixes) else 0.0


def test_vectorised_path_matches_a_per_pair_loop_on_random_pairs():
    rng = np.random.default_rng(7)
    codes = [o.code for o in level4_occupations()]
    prefix_pool = [c[:len(c) - 3 * int(cut)] for c, cut in zip(codes, rng.integers(0, 3, len(codes)), strict=True)]
    prefixes = [list(rng.choice(prefix_pool, int(rng.integers(0, 5)))) for _ in range(2000)]
    jobs = [codes[i] if i % 9 else None for i in rng.integers(0, len(codes), 2000)]
    expected = np.array([_oracle(p, c) for p, c in zip(prefixes, jobs, strict=True)])
    np.testing.assert_array_equal(major_fit(prefixes, jobs), expected)
    assert set(np.unique(expected[~np.isnan(expected)])) == {0.0, 0.5, 1.0}
