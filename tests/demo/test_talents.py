"""Demo talents: Henan hometowns, valid identity numbers, certificates that fit the trade, streaming."""
from __future__ import annotations

import numpy as np
import pandas as pd

from matcher.catalogs import CATALOG_DIR
from matcher.demo import TALENT_COLUMNS, generate_talents, talents_frame
from matcher.demo.certificates import FAMILY_INDEX
from matcher.demo.job_templates import TEMPLATES

_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def _check_digit(first17: str) -> str:
    """GB 11643-1999 written out independently of the generator."""
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def test_hometown_counties_are_real_henan_counties(talents: pd.DataFrame) -> None:
    regions = pd.read_csv(CATALOG_DIR / "regions.csv", dtype=str, keep_default_na=False)
    henan = regions[(regions.level == "county") & (regions.province_code == "410000")]
    assert set(talents.truth_county_code) <= set(henan.code)
    assert not talents.truth_county_code.str[4].eq("7").any()  # development zones are nobody's hometown
    big_exporters = talents.truth_city_code.isin(["411600", "411300", "411400", "411700"]).mean()
    assert big_exporters > 0.3


def test_id_numbers_are_checksum_valid_and_match_hometown_birth_and_gender(talents: pd.DataFrame) -> None:
    ids = talents.id_number
    assert ids.str.fullmatch(r"\d{17}[\dX]").all()
    assert (ids.str[17] == ids.str[:17].map(_check_digit)).all()
    assert (ids.str[:6] == talents.truth_county_code).all()
    assert (ids.str[6:10].astype(int) == talents.birth_year.astype(int)).all()
    odd = ids.str[16].astype(int) % 2 == 1
    assert (odd == (talents.gender == "男")).all()


def test_welders_certificates_mention_welding(talents: pd.DataFrame) -> None:
    welder = np.array([t.title == "焊工" for t in TEMPLATES])[talents.truth_template]
    certified = welder & (talents.truth_cert1_family == FAMILY_INDEX["焊工"]).to_numpy()
    assert certified.sum() > 20
    assert talents.certificates[certified].str.contains("焊").all()
    welding_families = [FAMILY_INDEX["焊工"], FAMILY_INDEX["焊接与热切割作业"]]
    holds_welding = talents.truth_cert1_family.isin(welding_families) | talents.truth_cert2_family.isin(
        welding_families)
    assert not talents.certificates[~holds_welding].str.contains("焊").any()


def test_education_and_experience_fit_category_and_age(talents: pd.DataFrame) -> None:
    rank = talents.truth_education_rank
    by_category = rank.groupby(talents.category).mean()
    assert by_category["高层次人才"] > 5 > by_category["名校学子"] > 4 > by_category["高技能人才"]
    assert (talents.truth_experience_years <= talents.truth_age - 16).all()
    assert talents.truth_age[talents.category == "名校学子"].max() <= 29


def test_raw_text_has_the_variety_importers_must_handle(talents: pd.DataFrame) -> None:
    assert talents.hometown.str.startswith("河南省").any() and talents.hometown.str.endswith("人").any()
    assert (~talents.hometown.str.contains("河南|市")).any()  # bare county names such as 商水县
    assert talents.expected_salary.isin(["面议"]).any()
    assert talents.expected_salary.str.contains("万左右").any()
    assert talents.certificates.str.contains("、|；").any()
    assert talents.workstation.str.endswith("人才工作站").all()
    assert talents.willing_to_return.isin(["是", "否"]).all()


def test_talents_stream_in_chunks_with_continuous_ids() -> None:
    chunks = list(generate_talents(20_000, seed=5, chunk_size=6_000))
    assert [len(c) for c in chunks] == [6000, 6000, 6000, 2000]
    ids = pd.concat([c.talent_id for c in chunks], ignore_index=True)
    assert ids.iloc[0] == "T0000001" and ids.iloc[-1] == "T0020000" and ids.is_unique
    assert all(list(c.columns[: len(TALENT_COLUMNS)]) == list(TALENT_COLUMNS) for c in chunks)


def test_same_seed_same_talents(jobs: pd.DataFrame) -> None:
    first, again = talents_frame(500, 11, jobs), talents_frame(500, 11, jobs)
    pd.testing.assert_frame_equal(first, again)
    assert not first.name.equals(talents_frame(500, 12, jobs).name)
