"""Hand-made normalised talents and jobs with known feature values."""
from __future__ import annotations

import pandas as pd
import pytest

from matcher.rank.profiles import job_profiles, talent_profiles

WELDER_CERT = {"kind": "skill_level", "name": "焊工", "occupation_code": "6-18-02-04", "level": None,
               "title_rank": None, "raw": ""}


def cert(level: int | None, code: str = "6-18-02-04", name: str = "焊工", kind: str = "skill_level") -> dict:
    return {**WELDER_CERT, "level": level, "occupation_code": code, "name": name, "kind": kind}


def talent(talent_id: str, **overrides) -> dict:
    base = {
        "talent_id": talent_id, "gender": "男", "birth_year": 1986, "category": "高技能人才",
        "hometown_province_code": "410000", "hometown_city_code": "411600", "hometown_county_code": "411623",
        "current_city_code": "110000", "intent_city_codes": ["410100"], "education_rank": 3,
        "experience_years": 8, "expected_salary_min": 8000, "expected_salary_max": 9000,
        "certificates_norm": [cert(3)], "skills_norm": ["氩弧焊", "二保焊"], "industry_key": "高端/智能制造",
        "industry_section": "C", "occupation_code": "6-18-02-04", "willing_to_return": "是", "current_title": "焊工",
        "major_code": None, "major_occupations": [],
    }
    return {**base, **overrides}


def job(job_id: str, **overrides) -> dict:
    base = {
        "job_id": job_id, "title": "电焊工", "province_code": "410000", "city_code": "411600", "county_code": "411623",
        "education_rank": 2, "experience_min": 3, "salary_min": 7000, "salary_max": 9000,
        "certificates_norm": [cert(4)], "skills_norm": ["氩弧焊", "钳工"], "industry_key": "高端/智能制造",
        "industry_section": "C", "occupation_code": "6-18-02-04", "urgency_stars": 5, "urgency_index": 88.0,
        "headcount": 10,
    }
    return {**base, **overrides}


@pytest.fixture(params=[True, False], ids=["native", "reference"])
def native(request) -> bool:
    """Rankers walked by the compiled loop, or by LightGBM's own predict (``Settings.native``)."""
    return request.param


@pytest.fixture
def make_profiles():
    def _make(talents: list[dict], jobs: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
        return talent_profiles(pd.DataFrame(talents), reference_year=2026), job_profiles(pd.DataFrame(jobs))
    return _make
