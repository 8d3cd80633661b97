"""Feature values on hand-made pairs with known answers."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from matcher.rank.features import FEATURE_COLUMNS, build_features
from tests.rank.conftest import cert, job, talent


def features_for(make_profiles, t: dict, j: dict) -> pd.Series:
    talents, jobs = make_profiles([t], [j])
    pairs = pd.DataFrame({"talent_id": [t["talent_id"]], "job_id": [j["job_id"]]})
    return build_features(pairs, talents, jobs).iloc[0]


def test_columns_are_the_single_ordered_list(make_profiles):
    talents, jobs = make_profiles([talent("T1")], [job("J1")])
    frame = build_features(pd.DataFrame({"talent_id": ["T1"], "job_id": ["J1"]}), talents, jobs)
    assert tuple(frame.columns) == FEATURE_COLUMNS
    assert all(str(d) == "float32" for d in frame.dtypes)


def test_higher_certificate_level_meets_lower_requirement(make_profiles):
    # 二级/技师 (2) meets a 三级 (3) requirement: gap +1.
    f = features_for(make_profiles, talent("T", certificates_norm=[cert(2)]), job("J", certificates_norm=[cert(3)]))
    assert (f.cert_required, f.cert_held, f.cert_level_gap, f.cert_meets_level) == (1, 1, 1, 1)


def test_lower_certificate_level_does_not_meet(make_profiles):
    # 四级/中级工 (4) does not meet a 三级 requirement: gap -1.
    f = features_for(make_profiles, talent("T", certificates_norm=[cert(4)]), job("J", certificates_norm=[cert(3)]))
    assert (f.cert_held, f.cert_level_gap, f.cert_meets_level) == (1, -1, 0)


def test_certificate_not_held_and_not_required(make_profiles):
    other = cert(3, code="6-31-01-03", name="电工")
    f = features_for(make_profiles, talent("T", certificates_norm=[other]), job("J"))
    assert (f.cert_held, f.cert_meets_level) == (0, 0) and math.isnan(f.cert_level_gap)
    f = features_for(make_profiles, talent("T"), job("J", certificates_norm=[]))
    assert f.cert_required == 0 and math.isnan(f.cert_held) and math.isnan(f.cert_meets_level)


def test_certificate_held_without_level_is_unknown_not_a_match(make_profiles):
    f = features_for(make_profiles, talent("T", certificates_norm=[cert(None)]), job("J"))
    assert f.cert_held == 1 and math.isnan(f.cert_level_gap) and math.isnan(f.cert_meets_level)


def test_hometown_levels(make_profiles):
    same_county = features_for(make_profiles, talent("T"), job("J"))
    same_city = features_for(make_profiles, talent("T"), job("J", county_code="411602"))
    same_province = features_for(make_profiles, talent("T"), job("J", city_code="410100", county_code="410102"))
    elsewhere = features_for(make_profiles, talent("T"), job("J", province_code="320000", city_code="320100",
                                                              county_code="320102"))
    assert [same_county.hometown_level, same_city.hometown_level, same_province.hometown_level,
            elsewhere.hometown_level] == [3, 2, 1, 0]


def test_missing_hometown_is_nan_not_a_match(make_profiles):
    f = features_for(make_profiles, talent("T", hometown_province_code=None, hometown_city_code=None,
                                           hometown_county_code=None), job("J"))
    assert math.isnan(f.hometown_level)


def test_gaps_and_salary(make_profiles):
    f = features_for(make_profiles, talent("T", expected_salary_min=10000), job("J"))
    assert f.education_gap == 1 and f.experience_gap == 5
    assert f.salary_within == 0 and abs(f.salary_gap_ratio - 1000 / 9000) < 1e-6
    f = features_for(make_profiles, talent("T", expected_salary_min=None), job("J"))
    assert math.isnan(f.salary_within)


def test_intent_city_industry_occupation(make_profiles):
    f = features_for(make_profiles, talent("T", intent_city_codes=["411600"]), job("J"))
    assert f.job_city_in_intent == 1 and f.industry_same_key == 1 and f.occupation_match == 4
    f = features_for(make_profiles, talent("T", intent_city_codes=[], occupation_code="6-18-01-01"), job("J"))
    assert math.isnan(f.job_city_in_intent) and f.occupation_match == 2


def test_skill_overlap_and_title_similarity(make_profiles):
    f = features_for(make_profiles, talent("T"), job("J"))
    assert f.skill_overlap == 1 and abs(f.skill_jaccard - 1 / 3) < 1e-6
    # 焊工 {焊工} vs 电焊工 {电焊, 焊工}: one shared bigram of two.
    assert f.title_similarity == 0.5
    f = features_for(make_profiles, talent("T", current_title=None), job("J"))
    assert math.isnan(f.title_similarity)


def test_gender_never_changes_features(make_profiles):
    pairs = pd.DataFrame({"talent_id": ["T"] * 2, "job_id": ["J1", "J2"]})
    jobs = [job("J1"), job("J2", city_code="410100")]
    male = build_features(pairs, *make_profiles([talent("T", gender="男")], jobs))
    female = build_features(pairs, *make_profiles([talent("T", gender="女")], jobs))
    pd.testing.assert_frame_equal(male, female)


def test_set_and_code_features_equal_a_per_pair_oracle(make_profiles):
    """The compiled pass against plain Python on every pair of random skill sets and occupation codes."""
    rng = np.random.default_rng(0)
    skill_sets = [[], ["焊接"], ["焊接", "气割"], ["护理", "焊接", "电工"], ["电工"]]
    codes = ["6-04-01-01", "6-04-01-02", "6-04-02-01", "2-02-01", None, np.nan, "", "6", "6-04-01-01-07"]
    talents = [talent(f"T{i}", skills_norm=skill_sets[rng.integers(0, 5)], occupation_code=codes[i % len(codes)])
               for i in range(30)]
    jobs = [job(f"J{i}", skills_norm=skill_sets[rng.integers(0, 5)], occupation_code=codes[(i * 5) % len(codes)])
            for i in range(20)]
    pairs = pd.DataFrame([(t["talent_id"], j["job_id"]) for t in talents for j in jobs],
                         columns=["talent_id", "job_id"])
    features = build_features(pairs, *make_profiles(talents, jobs))

    def shared(x, y):
        if not (isinstance(x, str) and isinstance(y, str) and x and y):
            return np.nan
        n = 0
        for sx, sy in zip(x.split("-"), y.split("-"), strict=False):
            if sx != sy:
                break
            n += 1
        return n

    expected = []
    for t in talents:
        for j in jobs:
            a, b = set(t["skills_norm"]), set(j["skills_norm"])
            overlap = (len(a & b), len(a & b) / len(a | b)) if a and b else (np.nan, np.nan)
            expected.append((*overlap, shared(t["occupation_code"], j["occupation_code"])))
    expected = np.array(expected, dtype=np.float32)
    got = features[["skill_overlap", "skill_jaccard", "occupation_match"]].to_numpy()
    assert np.array_equal(got, expected, equal_nan=True)
    assert (~np.isnan(expected[:, 0])).any() and (expected[:, 2] == 5).any()  # both kinds of pair occur


def test_unresolved_job_place_is_nan_not_a_different_place(make_profiles):
    """A job whose place did not resolve (航空港 before zones were known) has no province code: the hometown
    level must be unknown, not 0 (which reads as 'a different place')."""
    f = features_for(make_profiles, talent("T"), job("J", province_code=None, city_code=None, county_code=None))
    assert math.isnan(f.hometown_level)
    f = features_for(make_profiles, talent("T"), job("J", city_code=None, county_code=None))
    assert f.hometown_level == 1  # the province is known and the same


def test_no_reason_says_the_hometown_differs_when_either_place_is_unknown(make_profiles):
    from tests.rank.reasons_oracle import match_reasons

    cases = [(talent("T"), job("J", province_code=None, city_code=None, county_code=None)),
             (talent("T", hometown_province_code=None, hometown_city_code=None, hometown_county_code=None), job("J"))]
    texts = []
    for t, j in cases:
        talents, jobs = make_profiles([t], [j])
        pairs = pd.DataFrame({"talent_id": ["T"], "job_id": ["J"]})
        features = build_features(pairs, talents, jobs).iloc[0]
        reasons = match_reasons(features, talents.row("T"), jobs.row("J"))
        texts.append(next(r for r in reasons if r.startswith("籍贯")))
    assert texts == ["籍贯河南省周口市商水县，岗位所在地未能识别，未计入家乡因素",
                     "籍贯未填写或未能识别，未计入家乡因素"]
    assert not any("不同" in text for text in texts)


def test_every_feature_and_rule_term_has_a_chinese_label():
    from matcher.rank.explain import FEATURE_LABELS, top_contributions
    from matcher.rank.rules import RULE_WEIGHTS

    assert set(FEATURE_COLUMNS) | set(RULE_WEIGHTS) <= set(FEATURE_LABELS)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in label) for label in FEATURE_LABELS.values())
    shown = top_contributions(np.array([0.0, -0.4, 1.2]), ["hometown_level", "cert_missing", "retrieval_fit"])
    assert [(c["label"], c["contribution"]) for c in shown] == [("工作内容相符", 1.2), ("缺少所需证书", -0.4)]
