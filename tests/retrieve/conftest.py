"""Retrieval fixtures: a deterministic n-gram encoder and small talent/job frames with known answers."""
from __future__ import annotations

import pandas as pd
import pytest

from matcher.embed.render import render_jobs, render_talents
from matcher.retrieve import CandidatePool
from tests.doubles import CharNgramEncoder


def NgramEncoder() -> CharNgramEncoder:  # noqa: N802 - kept as the name these tests construct
    return CharNgramEncoder(dim=64, manifest_hash="test-ngram-encoder-v1")


JOBS = pd.DataFrame([
    # job_id, title, skills, industry_key, industry_section, province, city, county, education_rank
    ("J1", "焊工", "氩弧焊 二保焊", "高端/智能制造", "C", "410000", "411600", "411623", 3.0),
    ("J2", "电焊工", "氩弧焊 压力管道焊接", "高端/智能制造", "C", "410000", "410100", "410105", None),
    ("J3", "护士", "静脉输液 急诊护理", "生物医药", "Q", "410000", "410100", "410105", 4.0),
    ("J4", "会计", "记账 报税 审计", "现代金融", "J", "410000", "410300", None, 5.0),
    ("J5", "数控车床操作工", "数控编程 车床", "高端/智能制造", "C", "320000", "320500", None, 2.0),
    ("J6", "电工", "低压电工 电气维修", "节能环保", "D", "410000", "411600", "411602", 3.0),
], columns=["job_id", "title", "skills", "industry_key", "industry_section", "province_code", "city_code",
            "county_code", "education_rank"])

TALENTS = pd.DataFrame([
    # talent_id, current_title, skills, hometown prov/city/county, current city, willing, workstation, edu
    ("T1", "焊工", "氩弧焊 二保焊", "410000", "411600", "411623", "320500", True, "苏州工作站", 3.0),
    ("T2", "电工", "低压电工", "410000", "411600", "411602", "440300", False, "深圳工作站", 3.0),
    ("T3", "护士", "急诊护理", "410000", "410100", "410105", "410100", None, None, 4.0),
    ("T4", "会计", "审计 报税", "340000", "340100", None, "320500", True, "苏州工作站", 5.0),
    ("T5", "焊工", "氩弧焊", "410000", "410300", None, "310000", True, "上海工作站", None),
], columns=["talent_id", "current_title", "skills", "hometown_province_code", "hometown_city_code",
            "hometown_county_code", "current_city_code", "willing_to_return", "workstation",
            "education_rank"])


@pytest.fixture(scope="session")
def encoder() -> NgramEncoder:
    return NgramEncoder()


@pytest.fixture
def job_pool(encoder: NgramEncoder) -> CandidatePool:
    vectors = encoder.encode(render_jobs(JOBS))
    return CandidatePool.build("job", JOBS, vectors, encoder_hash=encoder.manifest_hash)


@pytest.fixture
def talent_pool(encoder: NgramEncoder) -> CandidatePool:
    vectors = encoder.encode(render_talents(TALENTS))
    return CandidatePool.build("talent", TALENTS, vectors, encoder_hash=encoder.manifest_hash)
