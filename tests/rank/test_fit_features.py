"""major_fit and qualification_fit as features: known answers, the normalize modules as oracles on the demo world,
and the compiled kernel against its numpy reference (demo world and random encoded profiles)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from matcher.demo import generate_jobs, talents_frame
from matcher.normalize.major_fit import major_fit
from matcher.normalize.qualification_fit import qualification_fit
from matcher.normalize.records import normalize_job, normalize_talent
from matcher.rank.encoded import EncodedProfiles
from matcher.rank.features import COLUMN, FEATURE_COLUMNS, JOB_LAYOUT, TALENT_LAYOUT, build_features, feature_matrix
from matcher.rank.fit_columns import required_qualification
from matcher.rank.profiles import job_profiles, talent_profiles
from tests.rank.conftest import cert, job, talent


def builder(grade: str | None, speciality: str | None = "机电工程") -> dict:
    return {"kind": "qualification", "name": "建造师", "occupation_code": None, "level": None, "title_rank": None,
            "grade": grade, "speciality": speciality, "raw": ""}


def one_pair(make_profiles, t: dict, j: dict, native: bool = True) -> pd.Series:
    talents, jobs = make_profiles([t], [j])
    pairs = pd.DataFrame({"talent_id": [t["talent_id"]], "job_id": [j["job_id"]]})
    return build_features(pairs, talents, jobs, native).iloc[0]


@pytest.mark.parametrize("prefixes, expected", [
    (["6-18-02"], 1.0),        # the job's 小类 is one the major leads to
    (["6-18-02-04"], 1.0),     # the very occupation
    (["6-18-01"], 0.5),        # another 小类 of the same 中类
    (["2-02-07", "6-18"], 1.0),  # any prefix counts; a 中类 link covers its occupations
    (["2-02-07"], 0.0),        # unrelated
    ([], None),                # no catalogue major: unknown, not a mismatch
])
def test_major_fit_known_answers(make_profiles, native, prefixes, expected):
    f = one_pair(make_profiles, talent("T", major_code="080601", major_occupations=prefixes), job("J"), native)
    assert (np.isnan(f.major_fit) if expected is None else f.major_fit == expected)


def test_major_fit_is_unknown_without_the_jobs_code(make_profiles, native):
    f = one_pair(make_profiles, talent("T", major_occupations=["6-18-02"]), job("J", occupation_code=None), native)
    assert np.isnan(f.major_fit)


@pytest.mark.parametrize("held, expected", [
    ([builder("一级")], 1.0),                            # same grade and speciality: meets
    ([builder("二级")], 0.5),                            # one grade below
    ([builder("一级", "市政公用工程")], 0.5),             # right grade, another speciality
    ([builder("二级", "市政公用工程"), builder("一级")], 1.0),  # the best held one counts
    ([builder("二级"), builder("一级", "市政公用工程")], 0.5),  # grade and speciality must come from one certificate
    ([builder(None)], 0.75),                             # grade not stated: likely usable, not shown to meet
    ([], 0.0),                                           # required and not held
])
def test_qualification_fit_known_answers(make_profiles, native, held, expected):
    f = one_pair(make_profiles, talent("T", certificates_norm=held), job("J", certificates_norm=[builder("一级")]),
                 native)
    assert f.qualification_fit == pytest.approx(expected)
    assert qualification_fit(held, builder("一级")).score == pytest.approx(expected)


def test_qualification_fit_is_unknown_when_none_is_required(make_profiles, native):
    assert np.isnan(one_pair(make_profiles, talent("T", certificates_norm=[builder("一级")]), job("J"), native)
                    .qualification_fit)


def test_teacher_stage_meets_a_lower_stage(make_profiles):
    senior = {**builder("高级中学", "数学"), "name": "教师资格"}
    junior = {**builder("初级中学", "数学"), "name": "教师资格"}
    assert one_pair(make_profiles, talent("T", certificates_norm=[senior]),
                    job("J", certificates_norm=[junior])).qualification_fit == 1.0
    assert one_pair(make_profiles, talent("T", certificates_norm=[junior]),
                    job("J", certificates_norm=[senior])).qualification_fit == 0.5


# -- the demo world -----------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo_world():
    jobs = generate_jobs(243, seed=0)
    talents = talents_frame(200, 7, jobs)
    normal_talents = pd.DataFrame([normalize_talent(r) for r in talents.to_dict("records")])
    normal_jobs = pd.DataFrame([normalize_job(r) for r in jobs.to_dict("records")])
    t, j = talent_profiles(normal_talents, reference_year=2026), job_profiles(normal_jobs)
    rows = np.indices((len(t), len(j))).reshape(2, -1)
    return normal_talents, normal_jobs, t, j, rows[0], rows[1]


def test_features_agree_with_the_normalize_modules_on_the_demo(demo_world):
    normal_talents, normal_jobs, t, j, t_rows, j_rows = demo_world
    matrix = feature_matrix(t.encoded, t_rows, j.encoded, j_rows, {})
    majors = normal_talents["major_occupations"].to_numpy(dtype=object)
    expected = major_fit(list(majors[t_rows]), list(normal_jobs["occupation_code"].to_numpy(dtype=object)[j_rows]))
    assert np.isfinite(expected).sum() > 1000 and (expected == 1).sum() > 10
    np.testing.assert_array_equal(matrix[:, COLUMN["major_fit"]], expected.astype(np.float32))
    held, required = normal_talents["certificates_norm"].tolist(), normal_jobs["certificates_norm"].tolist()
    requiring = [i for i, certs in enumerate(required) if required_qualification(certs)[0]]
    assert requiring
    for p in np.flatnonzero(np.isin(j_rows, requiring)):
        wanted = next(c for c in required[j_rows[p]] if c["kind"] == "qualification")
        assert matrix[p, COLUMN["qualification_fit"]] == pytest.approx(
            qualification_fit(held[t_rows[p]], wanted).score)
    assert np.isnan(matrix[~np.isin(j_rows, requiring), COLUMN["qualification_fit"]]).all()


def assert_same_matrices(talents: EncodedProfiles, t_rows, jobs: EncodedProfiles, j_rows) -> None:
    compiled = feature_matrix(talents, t_rows, jobs, j_rows, {}, native=True)
    reference = feature_matrix(talents, t_rows, jobs, j_rows, {}, native=False)
    for i, name in enumerate(FEATURE_COLUMNS):
        np.testing.assert_allclose(reference[:, i], compiled[:, i], rtol=0, atol=1e-6, equal_nan=True, err_msg=name)


def test_kernel_and_reference_agree_on_the_demo(demo_world):
    _, _, t, j, t_rows, j_rows = demo_world
    assert_same_matrices(t.encoded, t_rows, j.encoded, j_rows)


# -- random encoded profiles ----------------------------------------------------------------------------------------
CHAIN_SETS = {"occupation_code"}
LIST_SETS = {"qualification_keys"}


def random_profiles(layout, n: int, rng: np.random.Generator) -> EncodedProfiles:
    """Rows of small random ids (collisions likely), NaN and 0 included; sets as the encoder makes them: sorted
    distinct ids, a code's prefix chain, qualification lists with repeats and specialities tagged by index."""
    numbers = rng.choice([np.nan, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 7000.0, 9000.0], size=(n, len(layout.numbers)))
    codes = rng.integers(0, 4, size=(n, len(layout.codes)))
    offsets, values, levels = np.zeros((n, len(layout.sets) + 1), dtype=np.int64), [], []
    for row in range(n):
        entries = 0
        for s, name in enumerate(layout.sets):
            size = int(rng.integers(0, 5))
            if name in CHAIN_SETS:
                ids, lv = list(rng.integers(1, 3, size=size)), [np.nan] * size
            elif name in LIST_SETS:
                ids, lv = list(rng.integers(1, 4, size=size)), list(rng.choice([np.nan, 1.0, 2.0, 3.0], size=size))
                entries = size
            elif name == "qualification_specialities":
                pairs = {(int(rng.integers(1, 5)), float(rng.integers(0, max(entries, 1)))) for _ in range(size)}
                ids, lv = [i for i, _ in sorted(pairs)], [e for _, e in sorted(pairs)]
            else:
                ids = sorted(set(rng.integers(1, 8, size=size).tolist()))
                lv = list(rng.choice([np.nan, 0.0, 1.0, 3.0, 5.0], size=len(ids)))
            values += ids
            levels += lv
            offsets[row, s + 1] = len(values)
        if row + 1 < n:
            offsets[row + 1, 0] = len(values)
    return EncodedProfiles(numbers, codes, offsets, np.asarray(values, dtype=np.int64),
                           np.asarray(levels, dtype=np.float64))


@pytest.mark.parametrize("seed", range(3))
def test_kernel_and_reference_agree_on_random_profiles(seed):
    rng = np.random.default_rng(seed)
    talents, jobs = random_profiles(TALENT_LAYOUT, 300, rng), random_profiles(JOB_LAYOUT, 200, rng)
    t_rows, j_rows = rng.integers(0, 300, size=20_000), rng.integers(0, 200, size=20_000)
    assert_same_matrices(talents, t_rows, jobs, j_rows)
    matrix = feature_matrix(talents, t_rows, jobs, j_rows, {}, native=False)
    for name in ("major_fit", "qualification_fit", "skill_jaccard", "occupation_match", "cert_meets_level"):
        column = matrix[:, COLUMN[name]]
        assert np.isnan(column).any() and len(np.unique(column[~np.isnan(column)])) > 1, name  # exercised


def test_rows_with_equal_majors_and_certificates_share_their_objects():
    """A million profiles hold a few hundred majors and certificate sets: equal ones are one object each, so the
    table's size follows the distinct values, not the rows (and the values are still each row's own)."""
    welder = {"certificates_norm": [cert(3)], "major_occupations": ["6-18", "6-31"]}
    rows = [talent("T1", **welder), talent("T2", **welder),
            talent("T3", major_occupations=["2-02"], certificates_norm=[cert(2)])]
    profiles = talent_profiles(pd.DataFrame(rows), 2026)
    prefixes, middles, held = (profiles.columns[c] for c in ("major_prefixes", "major_middles", "held_certs"))
    assert prefixes[0] is prefixes[1] and middles[0] is middles[1] and held[0] is held[1]
    assert prefixes[0] == frozenset({"6-18", "6-31"}) and prefixes[2] == frozenset({"2-02"})
    assert middles[0] == frozenset({"6-18", "6-31"}) and held[0] == {"6-18-02-04": 3}
    assert held[2] == {"6-18-02-04": 2} and middles[2] == frozenset({"2-02"})
