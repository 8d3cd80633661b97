"""The relevance floor and what a person is told when nothing fits: known answers on hand-made feature rows."""
from __future__ import annotations

import numpy as np
import pytest

from matcher.rank.explain import _salary_text
from matcher.rank.features import FEATURE_COLUMNS
from matcher.rank.relevance import FIT_EVIDENCE, fits, shortfall


def rows(*changes: dict) -> np.ndarray:
    """Feature rows with no evidence of fit (NaN or below every floor), then ``changes`` applied."""
    matrix = np.full((len(changes), len(FEATURE_COLUMNS)), np.nan, dtype=np.float32)
    for i, change in enumerate(changes):
        matrix[i, FEATURE_COLUMNS.index("dense_score")] = 0.4
        matrix[i, FEATURE_COLUMNS.index("sparse_score")] = 3.0
        for name, value in change.items():
            matrix[i, FEATURE_COLUMNS.index(name)] = value
    return matrix


def test_each_piece_of_evidence_alone_passes_the_floor_and_just_below_it_does_not():
    at = rows(*({name: floor} for name, floor in FIT_EVIDENCE.items()))
    below = rows(*({name: np.nextafter(np.float32(floor), np.float32(-np.inf))}
                   for name, floor in FIT_EVIDENCE.items()))
    assert fits(at).all() and not fits(below).any()


def test_two_channels_agreeing_on_a_pair_with_words_in_common_is_evidence():
    agree = {"dense_rank": 2, "sparse_rank": 1, "sparse_score": 8.0}
    assert fits(rows(agree, {**agree, "dense_rank": 3}, {**agree, "sparse_score": 7.9},
                     {**agree, "sparse_rank": np.nan})).tolist() == [True, False, False, False]


def test_place_pay_urgency_and_education_are_never_evidence():
    preferences = rows({"hometown_level": 3, "willing_to_return": 1, "job_city_in_intent": 1, "salary_within": 1,
                        "urgency_stars": 5, "education_gap": 2, "experience_gap": 10, "industry_same_key": 1})
    assert not fits(preferences).any()


def test_missing_values_are_no_evidence():
    assert not fits(rows({"dense_score": np.nan, "sparse_score": np.nan})).any()


def feature_dict(change: dict) -> dict:
    return dict(zip(FEATURE_COLUMNS, rows(change)[0].tolist(), strict=True))


def test_shortfall_names_the_missing_certificate_education_and_years_per_position():
    job = {"title": "电焊工", "req_cert_name": "焊工", "req_cert_level": 4.0, "education_rank": 2.0,
           "experience_min": 3.0, "req_cert_graded": False, "req_qual_text": None}
    nurse = feature_dict({"cert_required": 1, "cert_held": 0, "education_gap": -1, "experience_gap": -2})
    plain = {**job, "title": "仓库管理员", "req_cert_name": None, "req_cert_level": np.nan}
    assert shortfall([nurse, feature_dict({"cert_required": 0})], [job, plain]) == (
        "「电焊工」缺少焊工证书四级、学历低于高中/中专要求、工作年限少于3年",
        "「仓库管理员」工作内容与经历、技能不对口")
    below = feature_dict({"cert_required": 1, "cert_held": 1, "cert_meets_level": 0})
    assert shortfall([below], [job], direction="candidates") == ("焊工证书等级低于要求的四级",)


def test_shortfall_names_a_required_graded_qualification_once():
    """Not held (qualification_fit 0), held below the grade or in another speciality (between 0 and 1), met (1);
    when the checked certificate is that qualification (req_cert_graded) it is not said twice."""
    site = {"title": "施工员", "req_cert_name": "建造师", "req_cert_level": np.nan, "req_cert_graded": True,
            "req_qual_text": "二级建造师（建筑工程）", "education_rank": np.nan, "experience_min": np.nan}
    lacking = feature_dict({"cert_required": 1, "cert_held": 0, "qualification_fit": 0})
    lower = feature_dict({"cert_required": 1, "cert_held": 1, "cert_meets_level": 0, "qualification_fit": 0.5})
    met = feature_dict({"cert_required": 1, "cert_held": 1, "cert_meets_level": 1, "qualification_fit": 1})
    assert shortfall([lacking, lower, met], [site, site, site]) == (
        "「施工员」缺少二级建造师（建筑工程）", "「施工员」所持资格未达到岗位要求的二级建造师（建筑工程）",
        "「施工员」工作内容与经历、技能不对口")
    teacher = {**site, "title": "高中数学教师", "req_cert_name": "普通话", "req_cert_level": np.nan,
               "req_cert_graded": False, "req_qual_text": "高级中学教师资格"}
    both = feature_dict({"cert_required": 1, "cert_held": 0, "qualification_fit": 0})
    assert shortfall([both], [teacher]) == ("「高中数学教师」缺少高级中学教师资格、缺少普通话证书",)


@pytest.mark.parametrize(("expected", "low", "high", "text"), [
    (8000, 7000, 9000, "期望月薪8000元，岗位提供7000–9000元，符合期望"),
    (10000, 6000, 8000, "期望月薪10000元，岗位提供6000–8000元，低于期望约20%"),
    (5000, None, 5000, "期望月薪5000元，岗位提供5000元，符合期望"),
    (6000, None, None, "期望月薪6000元，岗位薪资面议"),
])
def test_salary_is_a_verdict(expected, low, high, text):
    assert _salary_text(expected, low, high) == text
