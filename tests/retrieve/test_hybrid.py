"""Hybrid retrieval over candidate pools: both directions, filters in both channels, updates, snapshots."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from matcher.embed.render import render_job, render_talent
from matcher.index.snapshot import IndexMismatchError
from matcher.retrieve import CandidatePool, RetrievalConfig, retrieve
from matcher.retrieve.filters import RetrievalFilters
from matcher.retrieve.fusion import CANDIDATE_COLUMNS
from tests.retrieve.conftest import JOBS, TALENTS


def jobs_for_talent(talent: dict, encoder, jobs: CandidatePool, filters=None) -> pd.DataFrame:
    """Talent → jobs as the Matcher asks: the rendered record, its vector, then :func:`retrieve`."""
    text = render_talent(talent)
    return retrieve(jobs, text, encoder.encode([text])[0], filters)


def talents_for_job(job: dict, encoder, talents: CandidatePool, filters=None) -> pd.DataFrame:
    text = render_job(job)
    return retrieve(talents, text, encoder.encode([text])[0], filters)


def test_talent_to_jobs_finds_the_matching_trade(job_pool, encoder):
    table = jobs_for_talent(TALENTS.iloc[0].to_dict(), encoder, job_pool)
    assert list(table.columns) == list(CANDIDATE_COLUMNS)
    assert table["candidate_id"].iloc[0] in {"J1", "J2"}  # the two welding jobs
    assert table["fused_rank"].tolist() == list(range(1, len(table) + 1))
    assert table["dense_rank"].notna().sum() == len(JOBS)


def test_job_to_talents_finds_the_matching_trade(talent_pool, encoder):
    table = talents_for_job(JOBS.iloc[2].to_dict(), encoder, talent_pool)
    assert table["candidate_id"].iloc[0] == "T3"


def test_filters_hold_in_both_channels(talent_pool, encoder):
    filters = RetrievalFilters(region_codes=("410000",), willing_to_return=True)
    table = talents_for_job(JOBS.iloc[0].to_dict(), encoder, talent_pool, filters)
    assert set(table["candidate_id"]) == {"T1", "T5"}
    assert table["dense_rank"].notna().all()  # dense returned only the allowed ones, not top-k of all


def test_filtered_dense_channel_equals_brute_force(encoder):
    rng = np.random.default_rng(11)
    frame = pd.DataFrame({"job_id": [f"J{i:03d}" for i in range(300)], "title": "岗位",
                          "city_code": rng.choice(["410100", "411600", "410300"], 300)})
    vectors = rng.standard_normal((300, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    pool = CandidatePool.build("job", frame, vectors, encoder_hash="h")
    query = vectors[0] + vectors[1]
    table = retrieve(pool, "", query / np.linalg.norm(query), RetrievalFilters(region_codes=("411600",)),
                     RetrievalConfig(per_channel=20))
    allowed = (frame["city_code"] == "411600").to_numpy()
    scores = np.where(allowed, vectors @ (query / np.linalg.norm(query)), -np.inf)
    assert table["candidate_id"].tolist() == frame["job_id"].to_numpy()[np.argsort(-scores)[:20]].tolist()


def test_upsert_and_delete_are_visible(job_pool, encoder):
    talent = TALENTS.iloc[0].to_dict()
    in_zhoukou = RetrievalFilters(region_codes=("411600",))
    moved = JOBS[JOBS["job_id"] == "J5"].assign(province_code="410000", city_code="411600", county_code=None)
    job_pool.upsert(moved, encoder.encode(["职位：焊工。技能：氩弧焊 二保焊。"]))
    table = jobs_for_talent(talent, encoder, job_pool, in_zhoukou)
    assert set(table["candidate_id"]) == {"J1", "J5", "J6"}
    job_pool.delete(["J1"])
    table = jobs_for_talent(talent, encoder, job_pool, in_zhoukou)
    assert set(table["candidate_id"]) == {"J5", "J6"}
    assert len(job_pool) == len(JOBS) - 1


def test_zero_query_vector_skips_dense_channel(job_pool):
    table = retrieve(job_pool, "护士", np.zeros(64, dtype=np.float32))
    assert table["candidate_id"].tolist() == ["J3"] and table["dense_rank"].isna().all()


def test_pool_save_load_round_trip(tmp_path, job_pool, encoder):
    talent = TALENTS.iloc[0].to_dict()
    filters = RetrievalFilters(industries=("C",))
    before = jobs_for_talent(talent, encoder, job_pool, filters)
    job_pool.save(tmp_path / "jobs")
    loaded = CandidatePool.load(tmp_path / "jobs", "job", encoder.manifest_hash, encoder.dim)
    pd.testing.assert_frame_equal(jobs_for_talent(talent, encoder, loaded, filters), before)
    with pytest.raises(IndexMismatchError, match="encoder_manifest_hash"):
        CandidatePool.load(tmp_path / "jobs", "job", "another-encoder", encoder.dim)
    with pytest.raises(IndexMismatchError, match="'side'"):
        CandidatePool.load(tmp_path / "jobs", "talent", encoder.manifest_hash, encoder.dim)
