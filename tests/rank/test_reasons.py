"""reasons_for_pairs (a reason at a time over the shown pairs) equals the per-pair oracle row for row, for a
query's few rows (numbered by a dict) and for a bulk batch's many (numbered by pandas)."""
from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from matcher.rank import explain
from matcher.rank.explain import REASON_FEATURES
from matcher.rank.features import FEATURE_COLUMNS, build_features
from matcher.rank.fit_columns import HeldQualification
from matcher.rank.profiles import Profiles
from matcher.rank.reasons import _DICT_CODES_UP_TO, reasons_for_pairs
from tests.rank.conftest import cert, job, talent
from tests.rank.reasons_oracle import match_reasons
from tests.rank.test_fit_features import builder

CACHED_BUILDERS = [value for value in vars(explain).values() if hasattr(value, "cache_clear")]


def clear_caches() -> None:
    """Each side starts cold, so neither reads texts the other's calls cached."""
    for cached in CACHED_BUILDERS:
        cached.cache_clear()


def one_by_one(features: pd.DataFrame, talents: Profiles, jobs: Profiles, talent_ids, job_ids) -> list[tuple]:
    """The oracle: match_reasons per row, fed as the bulk path was before (float64 Python values)."""
    clear_caches()
    rows = features[list(REASON_FEATURES)].to_numpy(dtype=np.float64).tolist()
    return [tuple(match_reasons(dict(zip(REASON_FEATURES, row, strict=True)), talents.row(t), jobs.row(j)))
            for row, t, j in zip(rows, talent_ids, job_ids, strict=True)]


def in_bulk(features: pd.DataFrame, talents: Profiles, jobs: Profiles, talent_ids, job_ids) -> list[tuple]:
    clear_caches()
    return reasons_for_pairs(as_matrix(features), talents, talents.positions(talent_ids), jobs,
                             jobs.positions(job_ids))


def as_matrix(features: pd.DataFrame) -> np.ndarray:
    """The frame's columns in FEATURE_COLUMNS order, NaN for those it lacks (as a feature matrix holds them)."""
    matrix = np.full((len(features), len(FEATURE_COLUMNS)), np.nan, dtype=np.float32)
    for i, name in enumerate(FEATURE_COLUMNS):
        if name in features:
            matrix[:, i] = features[name].to_numpy(dtype=np.float32)
    return matrix


# -- the hand-made world of tests/rank ------------------------------------------------------------------------

def fixture_world() -> tuple[list[dict], list[dict]]:
    electrician = cert(2, code="6-31-01-03", name="电工")
    talents = [
        talent("T-BASE"),
        talent("T-NOLEVEL", certificates_norm=[cert(None)], willing_to_return="否"),
        talent("T-LOW", certificates_norm=[cert(5)], skills_norm=[], intent_city_codes=["411600"]),
        talent("T-TWO", certificates_norm=[cert(4), cert(1), electrician], skills_norm=["钳工", "氩弧焊", "二保焊",
                                                                                      "电工", "数控", "焊接", "装配"]),
        talent("T-NONE", certificates_norm=[], hometown_province_code=None, hometown_city_code=None,
               hometown_county_code=None, willing_to_return=None, education_rank=None, experience_years=None,
               expected_salary_min=None),
        talent("T-AWAY", hometown_province_code="320000", hometown_city_code="320100", hometown_county_code="320102",
               occupation_code="6-31-01-03", industry_key="现代服务业", experience_years=0,
               expected_salary_min=12000),
        talent("T-CITY", hometown_county_code=None, education_rank=6, experience_years=2.5),
        talent("T-BUILDER", major_code="081001", major_occupations=["2-02-18", "6-18"],
               certificates_norm=[builder("二级", "市政公用工程"), builder("一级")]),
    ]
    jobs = [
        job("J-BASE"),
        job("J-NOLEVEL", certificates_norm=[cert(None)], salary_min=None, salary_max=None, urgency_stars=4),
        job("J-ELEC", certificates_norm=[cert(3, code="6-31-01-03", name="电工")], occupation_code="6-31-01-03",
            city_code="410100", county_code="410102", industry_key="现代服务业", salary_max=None, urgency_stars=3),
        job("J-NOCERT", certificates_norm=[], skills_norm=[], education_rank=None, experience_min=None,
            salary_min=8000, salary_max=8000, urgency_stars=None),
        job("J-AWAY", province_code="320000", city_code="320100", county_code="320102", salary_min=None,
            education_rank=5, experience_min=0.5, urgency_stars=1),
        job("J-CITY", county_code="411602", certificates_norm=[cert(1)], urgency_stars=2, industry_key=None),
        job("J-BUILDER", certificates_norm=[builder("一级")], occupation_code="2-02-18-01"),
        job("J-CIVIL", certificates_norm=[builder("二级", "市政公用工程"), cert(3)]),
    ]
    return talents, jobs


def test_fixture_world_every_pair(make_profiles):
    raw_talents, raw_jobs = fixture_world()
    talents, jobs = make_profiles(raw_talents, raw_jobs)
    pairs = pd.DataFrame([(t["talent_id"], j["job_id"]) for t, j in itertools.product(raw_talents, raw_jobs)],
                         columns=["talent_id", "job_id"])
    pairs = pairs.sample(frac=1.0, random_state=7).reset_index(drop=True)  # rows need not come talent by talent
    features = build_features(pairs, talents, jobs)
    args = (features, talents, jobs, pairs["talent_id"], pairs["job_id"])
    expected = one_by_one(*args)
    assert in_bulk(*args) == expected
    assert all(type(reasons) is tuple for reasons in in_bulk(*args))


def test_wording_of_the_welder_pair(make_profiles):
    talents, jobs = make_profiles([talent("T")], [job("J")])
    features = build_features(pd.DataFrame({"talent_id": ["T"], "job_id": ["J"]}), talents, jobs)
    assert in_bulk(features, talents, jobs, ["T"], ["J"]) == [(
        "职业对口", "持有焊工三级（高级工）证书，满足岗位要求的四级", "技能匹配：氩弧焊", "同属高端/智能制造产业",
        "籍贯周口市商水县，与岗位所在地同县，愿意返乡", "学历大专，满足岗位高中/中专要求",
        "8年工作经验，满足岗位要求的3年", "期望月薪8000元，岗位提供7000–9000元，符合期望", "该岗位为★★★★★急需紧缺岗位")]


def test_wording_of_major_and_qualification(make_profiles):
    t = talent("T", major_code="081001", major_occupations=["2-02-18"],
               certificates_norm=[builder("二级", "市政公用工程"), builder("一级")])
    talents, jobs = make_profiles([t], [job("J", certificates_norm=[builder("一级")], occupation_code="2-02-18-01")])
    features = build_features(pd.DataFrame({"talent_id": ["T"], "job_id": ["J"]}), talents, jobs)
    reasons = in_bulk(features, talents, jobs, ["T"], ["J"])[0]
    assert reasons[:2] == ("持有一级建造师（机电工程），满足岗位要求", "专业对口：土木工程")
    assert reasons == one_by_one(features, talents, jobs, ["T"], ["J"])[0]


# -- randomised rows ----------------------------------------------------------------------------------------

CERT_KEYS = ["6-18-02-04", "6-31-01-03", "电工"]
HELD = [HeldQualification("qualification:建造师", 2.0, frozenset({"机电工程"}), "一级建造师（机电工程）"),
        HeldQualification("qualification:建造师", 1.0, frozenset({"市政公用工程"}), "二级建造师（市政公用工程）"),
        HeldQualification("qualification:建造师", np.nan, frozenset(), "建造师"),
        HeldQualification("qualification:教师资格", 4.0, frozenset({"数学"}), "高级中学教师资格（数学）")]
SKILLS = ["氩弧焊", "二保焊", "钳工", "电工", "数控", "焊接", "装配", "叉车"]
CODES = ["410000", "411600", "411623", "410100", "410102", "320000", "320100", "999999", None, np.nan]


def pick(rng: np.random.Generator, options: list, size: int) -> list:
    return [options[i] for i in rng.integers(0, len(options), size)]


def objects(values: list) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def floats(rng: np.random.Generator, options: list, size: int) -> np.ndarray:
    return np.array(pick(rng, options, size), dtype=np.float64)


def random_profiles(rng: np.random.Generator, n_talents: int, n_jobs: int) -> tuple[Profiles, Profiles]:
    def held() -> dict[str, int]:
        keys = rng.choice(CERT_KEYS, size=rng.integers(0, 3), replace=False)
        return {str(k): int(rng.integers(0, 6)) for k in keys}  # 0: held without a level

    def skills() -> frozenset[str]:
        return frozenset(rng.choice(SKILLS, size=rng.integers(0, 6), replace=False).tolist())

    talents = Profiles(np.array([f"T{i}" for i in range(n_talents)], dtype=object), {
        "held_certs": objects([held() for _ in range(n_talents)]),
        "skills": objects([skills() for _ in range(n_talents)]),
        "hometown_province_code": objects(pick(rng, CODES, n_talents)),
        "hometown_city_code": objects(pick(rng, CODES, n_talents)),
        "hometown_county_code": objects(pick(rng, CODES, n_talents)),
        "education_rank": floats(rng, [np.nan, 1, 2, 3, 4, 5, 6], n_talents),
        "experience_years": floats(rng, [np.nan, 0.0, -0.0, 2.5, 8, 10, 31], n_talents),
        "expected_salary_min": floats(rng, [np.nan, 4000, 8000, 8000.5, 15000], n_talents),
        "major_name": objects(pick(rng, ["土木工程", "护理学", None], n_talents)),
        "qualifications": objects([tuple(pick(rng, HELD, int(rng.integers(0, 3)))) for _ in range(n_talents)]),
    })
    jobs = Profiles(np.array([f"J{i}" for i in range(n_jobs)], dtype=object), {
        "req_cert_key": objects(pick(rng, [*CERT_KEYS, "6-99-99-99", None], n_jobs)),
        "req_cert_name": objects(pick(rng, ["焊工", "电工", None], n_jobs)),
        "req_cert_level": floats(rng, [np.nan, 1, 2, 3, 4, 5], n_jobs),
        "skills": objects([skills() for _ in range(n_jobs)]),
        "industry_key": objects(pick(rng, ["高端/智能制造", "现代服务业", None, np.nan], n_jobs)),
        "city_code": objects(pick(rng, CODES, n_jobs)),
        "education_rank": floats(rng, [np.nan, 1, 2, 3, 4, 5, 6], n_jobs),
        "experience_min": floats(rng, [np.nan, 0, 1, 3, 3.5], n_jobs),
        "salary_min": floats(rng, [np.nan, 3000, 6000, 9000], n_jobs),
        "salary_max": floats(rng, [np.nan, 6000, 9000, 12000], n_jobs),
        "req_qual_key": objects(pick(rng, ["qualification:建造师", "qualification:教师资格", None], n_jobs)),
        "req_qual_rank": floats(rng, [np.nan, 1, 2], n_jobs),
        "req_qual_specialities": objects(pick(rng, [frozenset(), frozenset({"机电工程"}), frozenset({"数学"})],
                                              n_jobs)),
        "req_cert_graded": np.array(pick(rng, [True, False], n_jobs)),
    })
    return talents, jobs


def random_features(rng: np.random.Generator, talents: Profiles, jobs: Profiles, talent_rows: np.ndarray,
                    job_rows: np.ndarray) -> pd.DataFrame:
    n = len(talent_rows)
    nan = np.nan
    columns = {
        "cert_required": floats(rng, [0, 1, 1, nan], n),
        "cert_held": floats(rng, [0, 1, nan], n),
        "cert_meets_level": floats(rng, [0, 1, nan], n),
        "occupation_match": floats(rng, [0, 1, 2, 3, 4, 4, nan], n),
        "major_fit": floats(rng, [0, 0.5, 1, 1, nan], n),
        "qualification_fit": floats(rng, [0, 0.5, 1, 1, nan], n),
        "skill_overlap": floats(rng, [0, 0, 1, 3, nan], n),
        "industry_same_key": floats(rng, [0, 1, nan], n),
        "hometown_level": floats(rng, [0, 1, 2, 3, nan], n),
        "willing_to_return": floats(rng, [0, 1, nan], n),
        "job_city_in_intent": floats(rng, [0, 1, nan], n),
        "urgency_stars": floats(rng, [1, 2, 3, 4, 5, nan], n),
    }
    # A gap is known only where both sides are (otherwise match_reasons itself fails).
    for gap, own, need, values in (("education_gap", "education_rank", "education_rank", [-2, -1, 0, 1, 2, nan]),
                                   ("experience_gap", "experience_years", "experience_min", [-3, -0.5, 0, 1.5, nan])):
        known = ~np.isnan(talents.columns[own][talent_rows]) & ~np.isnan(jobs.columns[need][job_rows])
        columns[gap] = np.where(known, floats(rng, values, n), nan)
    other = {"skill_jaccard": floats(rng, [0, 0.5, nan], n)}  # a column reasons do not read
    return pd.DataFrame({**columns, **other}, index=rng.permutation(n) + 100).astype(np.float32)


@pytest.mark.parametrize(("seed", "n"), [(seed, 600) for seed in range(6)] + [(seed, 10) for seed in range(6)]
                         + [(6, _DICT_CODES_UP_TO), (7, _DICT_CODES_UP_TO + 1)])
def test_random_rows_equal_match_reasons(seed, n):
    """A query's ten shown rows, a batch's hundreds, and either side of where the numbering changes."""
    rng = np.random.default_rng(seed)
    talents, jobs = random_profiles(rng, n_talents=40, n_jobs=15)
    talent_rows, job_rows = rng.integers(0, len(talents), n), rng.integers(0, len(jobs), n)
    features = random_features(rng, talents, jobs, talent_rows, job_rows)
    talent_ids, job_ids = list(talents.ids[talent_rows]), list(jobs.ids[job_rows])
    args = (features, talents, jobs, talent_ids, job_ids)
    assert in_bulk(*args) == one_by_one(*args)


def test_many_rows_with_ids_as_series():
    """Over Profiles.FACTORIZE_FROM rows, ids as object Series."""
    rng = np.random.default_rng(99)
    talents, jobs = random_profiles(rng, n_talents=300, n_jobs=40)
    n = 3000
    talent_rows, job_rows = rng.integers(0, len(talents), n), rng.integers(0, len(jobs), n)
    features = random_features(rng, talents, jobs, talent_rows, job_rows)
    talent_ids = pd.Series(talents.ids[talent_rows], dtype=object)
    job_ids = pd.Series(jobs.ids[job_rows], dtype=object)
    assert in_bulk(features, talents, jobs, talent_ids, job_ids) == one_by_one(features, talents, jobs,
                                                                               list(talent_ids), list(job_ids))


def test_warm_caches_give_the_same_texts():
    rng = np.random.default_rng(5)
    talents, jobs = random_profiles(rng, n_talents=30, n_jobs=10)
    talent_rows, job_rows = rng.integers(0, 30, 400), rng.integers(0, 10, 400)
    features = random_features(rng, talents, jobs, talent_rows, job_rows)
    args = (as_matrix(features), talents, talent_rows, jobs, job_rows)
    expected = one_by_one(features, talents, jobs, list(talents.ids[talent_rows]), list(jobs.ids[job_rows]))
    assert reasons_for_pairs(*args) == expected  # caches warmed by the oracle
    assert reasons_for_pairs(*args) == expected


def test_empty_and_misaligned_inputs(make_profiles):
    talents, jobs = make_profiles([talent("T")], [job("J")])
    matrix = as_matrix(build_features(pd.DataFrame({"talent_id": ["T"], "job_id": ["J"]}), talents, jobs))
    none = np.zeros(0, dtype=np.int64)
    assert reasons_for_pairs(matrix[:0], talents, none, jobs, none) == []
    with pytest.raises(ValueError, match="1 feature rows for 2 talent rows"):
        reasons_for_pairs(matrix, talents, np.zeros(2, dtype=np.int64), jobs, np.zeros(2, dtype=np.int64))
