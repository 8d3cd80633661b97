"""RetrievalFilters → allowed rows over candidate metadata."""
from __future__ import annotations

import numpy as np
import pytest

from matcher.retrieve.filters import HOMETOWN_REGION_COLUMNS, RetrievalFilters, allowed_rows, filter_metadata
from tests.retrieve.conftest import JOBS, TALENTS


def allowed_ids(frame, side, **kwargs) -> list[str]:
    metadata = filter_metadata(frame, side)
    mask = allowed_rows(metadata, side, RetrievalFilters(**kwargs))
    return metadata.index[mask].tolist()


def test_metadata_is_compact_and_indexed_by_id():
    metadata = filter_metadata(TALENTS, "talent")
    assert metadata.index.tolist() == ["T1", "T2", "T3", "T4", "T5"]
    assert metadata["hometown_county_code"].tolist() == [411623, 411602, 410105, -1, -1]
    assert metadata["willing_to_return"].tolist() == [1, 0, -1, 1, 1]
    assert np.isnan(metadata.loc["T5", "education_rank"])


def test_region_code_level_sets_the_prefix():
    assert allowed_ids(JOBS, "job", region_codes=("410000",)) == ["J1", "J2", "J3", "J4", "J6"]
    assert allowed_ids(JOBS, "job", region_codes=("411600",)) == ["J1", "J6"]
    assert allowed_ids(JOBS, "job", region_codes=("411623",)) == ["J1"]
    assert allowed_ids(JOBS, "job", region_codes=("411623", "320500")) == ["J1", "J5"]


def test_talent_regions_cover_hometown_and_current_city_unless_narrowed():
    assert allowed_ids(TALENTS, "talent", region_codes=("320500",)) == ["T1", "T4"]
    hometown = HOMETOWN_REGION_COLUMNS
    assert allowed_ids(TALENTS, "talent", region_codes=("320500",), region_columns=hometown) == []
    assert allowed_ids(TALENTS, "talent", region_codes=("410000",), region_columns=hometown) == [
        "T1", "T2", "T3", "T5"]


def test_industry_education_and_combinations():
    assert allowed_ids(JOBS, "job", industries=("高端/智能制造",)) == ["J1", "J2", "J5"]
    assert allowed_ids(JOBS, "job", industries=("Q", "J")) == ["J3", "J4"]
    assert allowed_ids(JOBS, "job", max_education_rank=3) == ["J1", "J2", "J5", "J6"]  # J2 states none
    assert allowed_ids(TALENTS, "talent", min_education_rank=4) == ["T3", "T4"]  # T5 unknown fails
    combined = {"industries": ("C",), "region_codes": ("410000",), "max_education_rank": 2}
    assert allowed_ids(JOBS, "job", **combined) == ["J2"]


def test_talent_only_filters():
    assert allowed_ids(TALENTS, "talent", willing_to_return=True) == ["T1", "T4", "T5"]
    assert allowed_ids(TALENTS, "talent", willing_to_return=False) == ["T2"]
    assert allowed_ids(TALENTS, "talent", workstations=("苏州工作站",)) == ["T1", "T4"]
    with pytest.raises(ValueError, match="willing_to_return.*job"):
        allowed_ids(JOBS, "job", willing_to_return=True)
    with pytest.raises(ValueError, match="region_columns"):
        allowed_ids(JOBS, "job", region_codes=("410000",), region_columns=HOMETOWN_REGION_COLUMNS)


def test_empty_filters_and_bad_input():
    metadata = filter_metadata(JOBS, "job")
    assert allowed_rows(metadata, "job", RetrievalFilters()) is None
    with pytest.raises(ValueError, match="6-digit.*'4116'"):
        RetrievalFilters(region_codes=("4116",))
    with pytest.raises(ValueError, match="repeats job_id.*J1"):
        filter_metadata(JOBS.iloc[[0, 0]], "job")
