"""The demo job catalogue: Zhengzhou 2021 counts, urgency bands, real occupation codes, scaling."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from matcher.catalogs import CATALOG_DIR
from matcher.demo import JOB_COLUMNS, generate_catalogue, generate_jobs
from matcher.demo.catalogue import STAR_BANDS, scaled_counts, stars_and_index
from matcher.demo.job_templates import KEY_INDUSTRIES, TEMPLATES

ZHENGZHOU_2021 = {"新一代信息技术": 46, "电子信息": 27, "高端/智能制造": 23, "汽车及零配件": 32, "新材料": 19,
                  "现代食品": 5, "生物医药": 25, "节能环保": 9, "家居与服装": 5, "现代金融": 9, "现代物流": 4,
                  "现代农业": 10, "文化创意": 11, "其他服务": 18}


def test_243_positions_match_the_2021_industry_and_star_counts(jobs: pd.DataFrame) -> None:
    assert jobs.industry.value_counts().to_dict() == ZHENGZHOU_2021
    stars = jobs.urgency_stars.str.len().value_counts().to_dict()
    assert stars == {5: 27, 4: 32, 3: 42, 2: 63, 1: 79}
    assert set(jobs.urgency_stars.str.strip("★")) == {""}


def test_urgency_index_lies_in_its_star_band_and_orders_stars(jobs: pd.DataFrame) -> None:
    stars = jobs.urgency_stars.str.len()
    for star, (low, high) in STAR_BANDS.items():
        index = jobs.urgency_index[stars == star]
        assert index.between(low, high).all(), star
    # a higher index never carries fewer stars
    ordered = jobs.assign(stars=stars).sort_values("urgency_index")
    assert ordered.stars.is_monotonic_increasing


def test_stars_follow_the_composite_rank() -> None:
    composite = np.random.default_rng(0).random(486)
    stars, index = stars_and_index(composite)
    assert np.bincount(stars)[1:].tolist() == [158, 126, 84, 64, 54]
    assert np.array_equal(np.argsort(-composite, kind="stable"), np.argsort(-index, kind="stable"))


@pytest.mark.parametrize("total", [1, 243, 1000, 20_000])
def test_scaled_counts_sum_to_total_and_keep_proportions(total: int) -> None:
    base = np.array(list(ZHENGZHOU_2021.values()))
    counts = scaled_counts(base, total)
    assert counts.sum() == total
    assert np.all(np.abs(counts - base / base.sum() * total) < 1)


def test_larger_catalogue_scales_industries_proportionally() -> None:
    jobs = generate_jobs(2430, seed=1)
    assert jobs.industry.value_counts()["新一代信息技术"] == 460
    assert jobs.urgency_stars.str.len().value_counts()[5] == 270
    assert jobs.job_id.is_unique


def test_same_seed_same_catalogue_other_seed_differs() -> None:
    first, again, other = generate_jobs(243, 3), generate_jobs(243, 3), generate_jobs(243, 4)
    pd.testing.assert_frame_equal(first, again)
    assert not first[list(JOB_COLUMNS)].equals(other[list(JOB_COLUMNS)])


def test_templates_use_real_level4_occupation_codes() -> None:
    occupations = pd.read_csv(CATALOG_DIR / "occupations.csv", dtype=str)
    level4 = set(occupations.loc[occupations.level == "4", "code"])
    missing = {t.title: t.occupation_code for t in TEMPLATES if t.occupation_code not in level4}
    assert not missing
    assert {t.industry for t in TEMPLATES} == set(KEY_INDUSTRIES)


def test_jobs_sit_in_henan_with_fictional_employers(jobs: pd.DataFrame) -> None:
    assert jobs.truth_city_code.str.startswith("41").all()
    zhengzhou = (jobs.truth_city_code == "410100").mean()
    assert 0.3 < zhengzhou < 0.55
    assert jobs.employer.str.endswith("公司").all()
    catalogue = generate_catalogue(243, 7)
    assert set(jobs.employer) <= set(catalogue.employers.name)
    assert catalogue.employers.name.is_unique


def test_raw_fields_vary_like_real_spreadsheets(jobs: pd.DataFrame) -> None:
    assert jobs.salary.str.contains("万/年").any() and jobs.salary.str.contains("元/月").any()
    assert (jobs.salary == "面议").any() and jobs.salary.str.contains("k", case=False).any()
    assert jobs.experience.isin(["应届毕业生", "不限", "经验不限", "无经验可培养"]).any()
    assert jobs.experience.str.contains(r"\d-\d+年").any()
    assert jobs.certificates.str.contains("及以上").any()


def test_out_of_range_size_is_refused() -> None:
    with pytest.raises(ValueError, match="outside 1..20000"):
        generate_jobs(0)
