from __future__ import annotations

import math
from dataclasses import asdict

import numpy as np
import pytest

from matcher.catalogs.certificates import load_qualification_grades
from matcher.normalize.certificate import normalize_certificates
from matcher.normalize.qualification_fit import (
    BELOW_FIRST_STEP,
    OTHER_SPECIALITY,
    UNSTATED_GRADE,
    fit_arrays,
    qualification_fit,
    requirement_fits,
)


def fit(held: str, required: str) -> tuple:
    [wanted] = normalize_certificates(required)
    result = qualification_fit(normalize_certificates(held), wanted)
    gap = None if math.isnan(result.gap) else result.gap
    return result.held, result.meets, gap, result.score


@pytest.mark.parametrize(("held", "required", "expected"), [
    # teacher qualifications: the stage or above
    ("高级中学教师资格证", "初中教师资格证", (True, True, 0.0, 1.0)),
    ("初中教师资格证", "高中教师资格证", (True, False, 1.0, BELOW_FIRST_STEP)),
    ("幼儿园教师资格证", "高中教师资格证", (True, False, 3.0, 0.125)),
    ("中职教师资格证", "高中教师资格证", (True, True, 0.0, 1.0)),
    ("高中语文教师资格证", "高中数学教师资格证", (True, False, 0.0, OTHER_SPECIALITY)),
    ("教师资格证", "高中数学教师资格证", (True, False, None, UNSTATED_GRADE * OTHER_SPECIALITY)),
    # skill levels: level 1 is the highest
    ("电工初级", "高级电工", (True, False, 2.0, 0.25)),
    ("电工技师", "高级电工", (True, True, 0.0, 1.0)),
    ("", "高级电工", (False, False, None, 0.0)),
    ("焊工证", "高级电工", (False, False, None, 0.0)),
    ("电工证", "高级电工", (True, False, None, UNSTATED_GRADE)),
    # an operation permit is held only as itself
    ("高压电工证", "低压电工证", (True, False, 0.0, OTHER_SPECIALITY)),
    ("电工证（低压）", "低压电工作业证", (True, True, 0.0, 1.0)),
    # graded qualifications with specialities that match by meaning
    ("一级建造师（机电）", "二级建造师(机电工程)", (True, True, 0.0, 1.0)),
    ("二建市政", "一级建造师 市政公用工程", (True, False, 1.0, BELOW_FIRST_STEP)),
    ("一级建造师(建筑)", "二级建造师(机电)", (True, False, 0.0, OTHER_SPECIALITY)),
    ("注册电气工程师（供配电）", "注册电气工程师", (True, True, 0.0, 1.0)),
    ("注册电气工程师（供配电）", "注册电气工程师(发输变电)", (True, False, 0.0, OTHER_SPECIALITY)),
    ("执业助理医师(临床)", "执业医师（临床）", (True, False, 1.0, BELOW_FIRST_STEP)),
    ("系统架构设计师", "软考中级", (True, True, 0.0, 1.0)),
    ("CATTI二级笔译（英语）", "CATTI三级英语笔译", (True, True, 0.0, 1.0)),
    ("普通话二乙", "普通话二甲", (True, False, 1.0, BELOW_FIRST_STEP)),
    # titles: same series, or any title / corresponding qualification for a bare rank
    ("工程师", "高级工程师", (True, False, 1.0, BELOW_FIRST_STEP)),
    ("高级工程师", "中级职称", (True, True, 0.0, 1.0)),
    ("一级建造师", "中级职称", (True, True, 0.0, 1.0)),
    ("助理工程师", "中级职称", (True, False, 1.0, BELOW_FIRST_STEP)),
    ("高级会计师", "工程师", (False, False, None, 0.0)),
])
def test_known_answers(held, required, expected):
    assert fit(held, required) == expected


def test_the_best_of_several_held_certificates_counts_and_stored_dicts_are_read_alike():
    held = [asdict(c) for c in normalize_certificates("初中数学教师资格证、高中数学教师资格证")]
    [wanted] = normalize_certificates("高中数学教师资格证")
    assert qualification_fit(held, wanted).meets
    legacy = [{k: v for k, v in c.items() if k not in ("grade", "speciality")} for c in held]
    assert qualification_fit(legacy, asdict(wanted)).held  # rows stored before grades existed


def test_each_requirement_of_a_cell_is_answered_in_order():
    fits = requirement_fits(normalize_certificates("二级建造师(机电)"),
                            normalize_certificates("二级建造师(机电)/安全员C证"))
    assert [(f.held, f.meets) for f in fits] == [(True, True), (False, False)]


def test_a_lower_grade_never_scores_below_none_for_every_catalogue_grade():
    """Every pair of grades of every graded qualification: held below scores in (0, 1), meets scores 1."""
    for g_held in load_qualification_grades():
        for g_required in load_qualification_grades():
            if g_held.qualification != g_required.qualification:
                continue
            result = fit_arrays(np.array([True]), np.array([g_held.rank]), np.array([g_required.rank]),
                                np.array([True]))
            assert result.score[0] > 0.0
            assert (result.score[0] == 1.0) == bool(result.meets[0]) == (g_held.rank >= g_required.rank)


def test_fit_arrays_properties_on_random_data():
    rng = np.random.default_rng(20)
    n = 10_000
    holds = rng.random(n) < 0.7
    held_rank = np.where(rng.random(n) < 0.2, np.nan, rng.integers(1, 7, n).astype(float))
    required_rank = np.where(rng.random(n) < 0.2, np.nan, rng.integers(1, 7, n).astype(float))
    speciality_ok = rng.random(n) < 0.8
    result = fit_arrays(holds, held_rank, required_rank, speciality_ok)
    none = fit_arrays(np.zeros(n, dtype=bool), held_rank, required_rank, speciality_ok)
    assert (none.score == 0).all() and not none.meets.any() and np.isnan(none.gap).all()
    assert (result.score >= none.score).all() and (result.score[holds] > 0).all()
    assert ((result.score == 1.0) == result.meets).all()
    # a higher held grade never scores lower (monotone in the held rank)
    higher = fit_arrays(holds, held_rank + 1, required_rank, speciality_ok)
    assert (higher.score >= result.score).all()
    # the scalar path is the vector path
    for i in range(50):
        one = fit_arrays(holds[i:i + 1], held_rank[i:i + 1], required_rank[i:i + 1], speciality_ok[i:i + 1])
        assert one.score[0] == result.score[i] and one.meets[0] == result.meets[i]
