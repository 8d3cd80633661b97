"""The one matching path end to end on a tiny world with known answers."""
from __future__ import annotations

import json
import threading

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from matcher.cli import main
from matcher.pipeline import Matcher
from matcher.rank.batch import RECOMMEND_TABLE_COLUMNS
from matcher.retrieve import pools
from matcher.retrieve.filters import RetrievalFilters
from matcher.retrieve.pools import build_pool, data_snapshot_id, encode_rows, pool_status, pools_lock
from matcher.store.db import make_engine
from matcher.store.frames import load_talents
from matcher.store.models import Job, Talent
from matcher.store.records import create_record, delete_record, update_record


@pytest.fixture(scope="module")
def matcher(pipeline_settings) -> Matcher:
    return Matcher.open(pipeline_settings)


def test_welder_is_recommended_the_hometown_welding_job_with_reasons(matcher):
    matches = matcher.recommend(["T-WELDER"], top=3)["T-WELDER"]
    top = matches[0]
    assert top.id == "J-WELD-SS" and top.rank == 1 and top.scorer == "rule"
    assert "持有焊工三级（高级工）证书，满足岗位要求的四级" in top.reasons
    assert "籍贯周口市商水县，与岗位所在地同县，愿意返乡" in top.reasons
    assert "期望月薪8000元，岗位提供7000–9000元，符合期望" in top.reasons
    assert top.reasons[:2] == ("职业对口", "持有焊工三级（高级工）证书，满足岗位要求的四级")  # why it fits, first
    assert top.contributions and all({"feature", "contribution"} <= set(c) for c in top.contributions)


def test_certificate_below_the_required_level_is_explained_and_ranked_lower(matcher):
    matches = {m.id: m for m in matcher.recommend(["T-WELDER"], top=6)["T-WELDER"]}
    technician_job = matches["J-WELD-ZZ"]  # requires 二级/技师; the welder holds 三级
    assert "持有焊工三级（高级工）证书，低于岗位要求的二级" in technician_job.reasons
    assert technician_job.rank > matches["J-WELD-SS"].rank


def test_candidates_for_a_job_rank_the_local_welders_first_credited_for_a_higher_level(matcher):
    """Both welders meet the 中级 requirement, so which comes first is the texts' closeness (the junior wrote
    the job's own 焊工证(中级)), which writes to the shared index may tip; the senior's 三级 earns its term."""
    matches = matcher.candidates(["J-WELD-SS"], top=3)["J-WELD-SS"]
    assert {m.id for m in matches[:2]} == {"T-WELDER", "T-WELDER-JR"}
    senior = next(m for m in matches if m.id == "T-WELDER")
    assert "持有焊工三级（高级工）证书，满足岗位要求的四级" in senior.reasons


def test_filters_hold_for_every_returned_job(matcher):
    luoyang = RetrievalFilters(region_codes=("410300",))
    matches = matcher.recommend(["T-ACCT"], top=10, filters=luoyang)["T-ACCT"]
    assert [m.id for m in matches] == ["J-ACCT-LY"]


def test_unknown_id_is_a_key_error(matcher):
    with pytest.raises(KeyError, match="NOPE"):
        matcher.recommend(["NOPE"])


def test_gender_never_changes_a_score_or_a_rank(matcher):
    profile = {"talent_id": "X", "name": "某某", "hometown": "周口商水", "education": "中专",
               "certificates": "焊工三级", "skills": "氩弧焊", "current_title": "焊工", "expected_salary": "8000",
               "birth_year": "1980"}
    as_man = matcher.match_profile({**profile, "gender": "男"}, top=6)
    as_woman = matcher.match_profile({**profile, "gender": "女"}, top=6)
    assert [(m.id, m.score, m.rank) for m in as_man] == [(m.id, m.score, m.rank) for m in as_woman]


def test_unsaved_job_finds_the_electrician(matcher):
    posting = {"job_id": "tmp", "title": "电工", "employer": "某厂", "city": "郑州", "certificates": "高级电工证",
               "skills": "PLC；电气维修", "description": "设备电气维修"}
    assert matcher.match_job(posting, top=1)[0].id == "T-ELEC"


def test_writes_are_visible_to_the_next_search(pipeline_copy):
    matcher = Matcher.open(pipeline_copy)
    engine = make_engine(pipeline_copy)
    with Session(engine) as session, session.begin():
        session.execute(update(Talent).where(Talent.talent_id == "T-NURSE").values(
            current_title="焊工", skills="氩弧焊", skills_norm=["氩弧焊"], certificates_norm=[],
            occupation_code="6-18-02-04", summary="改行做了焊工"))
    matcher.refresh_talents(["T-NURSE"])
    found = [m.id for m in matcher.candidates(["J-WELD-SS"], top=6)["J-WELD-SS"]]
    assert "T-NURSE" in found
    with Session(engine) as session, session.begin():
        session.execute(delete(Talent).where(Talent.talent_id == "T-NURSE"))
    matcher.refresh_talents(["T-NURSE"])
    assert "T-NURSE" not in [m.id for m in matcher.candidates(["J-WELD-SS"], top=6)["J-WELD-SS"]]
    with pytest.raises(KeyError):
        matcher.recommend(["T-NURSE"])


def test_flush_saves_only_changed_pools_and_waits_for_the_pools_lock_only_then(pipeline_copy):
    """The lock is a FileLock, which excludes other holders in this process too: held here, it stands for
    another process saving pools."""
    matcher = Matcher.open(pipeline_copy)
    index_dir = pipeline_copy.index_dir
    with pools_lock(index_dir):
        matcher.flush()  # nothing changed: returns at once instead of waiting for the lock
        matcher.refresh_jobs(["J-WELD-SS"])
        saved = threading.Event()
        worker = threading.Thread(target=lambda: (matcher.flush(), saved.set()))
        worker.start()
        assert not saved.wait(0.5)  # a changed pool is saved under the lock
    worker.join(timeout=30)
    assert saved.is_set()


def test_a_pool_flushed_after_writes_is_current_for_the_database_and_reused(pipeline_copy, caplog):
    matcher = Matcher.open(pipeline_copy)
    engine = make_engine(pipeline_copy)
    with Session(engine) as session, session.begin():
        session.execute(update(Talent).where(Talent.talent_id == "T-WELDER").values(current_title="氩弧焊工"))
        session.execute(delete(Talent).where(Talent.talent_id == "T-NURSE"))
    matcher.refresh_talents(["T-WELDER", "T-NURSE"])
    assert matcher.talents.frame.index.is_monotonic_increasing  # rows stay in id order, as loaded
    matcher.flush()
    saved = pool_status(pipeline_copy.index_dir)["talent"]["data_snapshot_id"]
    assert saved == data_snapshot_id(load_talents(engine), "talent")
    with caplog.at_level("INFO", logger="matcher.retrieve.pools"):
        reopened = Matcher.open(pipeline_copy)
    assert "stale" not in caplog.text and "T-NURSE" not in reopened.talents.texts


def test_an_open_after_writes_remakes_only_the_written_rows_and_matches_a_rebuild(pipeline_copy, monkeypatch):
    serving = Matcher.open(pipeline_copy)  # frames, pools and shared tables saved
    with Session(make_engine(pipeline_copy)) as session:  # as the API, an import or the CLI write: logged
        update_record(session, "talents", "T-WELDER", {"current_title": "氩弧焊工"})
        delete_record(session, "talents", "T-NURSE")
        create_record(session, "talents", {"talent_id": "T-0NEW", "name": "王强", "current_title": "维修电工",
                                           "certificates": "电工（四级）", "hometown": "周口市商水县"})
        update_record(session, "jobs", "J-WELD-SS", {"title": "氩弧焊工"})
        session.commit()
    made = []
    monkeypatch.setattr(pools, "build_pool", lambda *a, **k: made.append(("pool", a[0])) or build_pool(*a, **k))
    monkeypatch.setattr(pools, "encode_rows", lambda rows, side, *a: made.append((side, len(rows)))
                        or encode_rows(rows, side, *a))
    caught = Matcher.open(pipeline_copy)
    assert made == [("talent", 2), ("job", 1)]  # the written rows only: no pool built again
    rebuilt = Matcher.open(pipeline_copy, rebuild=True)
    for side in ("talents", "jobs"):
        got, want = getattr(caught, side), getattr(rebuilt, side)
        pd.testing.assert_frame_equal(got.frame, want.frame)
        assert dict(got.texts) == dict(want.texts)
    for got, want in ((caught.talent_profile_table, rebuilt.talent_profile_table),
                      (caught.job_profile_table, rebuilt.job_profile_table)):
        assert all(np.array_equal(getattr(got.encoded, f), getattr(want.encoded, f), equal_nan=True)
                   for f in ("numbers", "codes", "offsets", "values", "levels"))
    talents, jobs = list(rebuilt.talents.frame.index), list(rebuilt.jobs.frame.index)
    assert "T-0NEW" in talents and "T-NURSE" not in talents
    # BM25's statistics count replaced and deleted rows' old texts until a compaction (as in Lucene), so the
    # matches are those of a serving process that applied the same writes, not quite a rebuild's.
    serving.refresh_talents(["T-0NEW", "T-NURSE", "T-WELDER"])
    serving.refresh_jobs(["J-WELD-SS"])
    assert caught.recommend(talents, top=8) == serving.recommend(talents, top=8)
    assert caught.candidates(jobs, top=8) == serving.candidates(jobs, top=8)


def test_job_fields_are_the_loaded_rows_and_follow_a_refresh(pipeline_copy):
    matcher = Matcher.open(pipeline_copy)
    columns = ("title", "city", "county")
    assert matcher.job_fields(["J-WELD-SS", "NOPE"], columns) == {
        "J-WELD-SS": {"title": "焊工", "city": "周口市", "county": "商水县"}}
    with Session(make_engine(pipeline_copy)) as session, session.begin():
        session.execute(update(Job).where(Job.job_id == "J-WELD-SS").values(title="氩弧焊工", county=None))
    matcher.refresh_jobs(["J-WELD-SS"])
    assert matcher.job_fields(["J-WELD-SS"], columns)["J-WELD-SS"] == {"title": "氩弧焊工", "city": "周口市",
                                                                       "county": None}


def test_cli_prints_a_list_for_one_id_and_an_object_for_several(pipeline_settings, capsys):
    assert main(["recommend", "--talent", "T-WELDER", "--top", "2", "--json"], settings=pipeline_settings) == 0
    single = json.loads(capsys.readouterr().out)
    assert single[0]["id"] == "J-WELD-SS" and single[0]["reasons"]
    assert main(["candidates", "--job", "J-WELD-SS", "--job", "J-ACCT-LY", "--json"], settings=pipeline_settings) == 0
    keyed = json.loads(capsys.readouterr().out)
    assert set(keyed) == {"J-WELD-SS", "J-ACCT-LY"} and keyed["J-ACCT-LY"][0]["id"] == "T-ACCT"


def test_recommend_table_equals_recommend_for_every_talent(matcher):
    ids = list(matcher.talents.frame.index)
    table = matcher.recommend_table(ids, top=4)
    single = matcher.recommend(ids, top=4)
    expected = [(t, m.id, m.rank, m.score, m.reasons) for t in ids for m in single[t]]
    assert list(table.itertuples(index=False, name=None)) == expected
    assert list(table.columns) == list(RECOMMEND_TABLE_COLUMNS)


def test_recommend_table_depth_and_job_subset(matcher):
    ids = list(matcher.talents.frame.index)
    shallow = matcher.recommend_table(ids, top=6, depth=2)
    assert shallow.groupby("talent_id").size().max() <= 2
    subset = matcher.recommend_table(ids, top=6, jobs={"J-WELD-SS"})
    assert set(subset["job_id"]) <= {"J-WELD-SS"}


def test_a_matcher_keeping_some_talent_columns_matches_the_same_and_refuses_talent_writes(pipeline_settings):
    """A bulk run's process holds only the talent columns its outputs read; matching reads none of the others."""
    full, kept = Matcher.open(pipeline_settings), Matcher.open(pipeline_settings)
    kept.keep_talent_columns(["current_title", "summary"])
    assert list(kept.talents.frame.columns) == ["current_title", "summary"]
    assert kept.talents.frame.equals(full.talents.frame[["current_title", "summary"]])
    talent_ids = list(full.talents.frame.index)
    assert kept.recommend(talent_ids, top=5) == full.recommend(talent_ids, top=5)
    assert kept.candidates(["J-WELD-SS"], top=6) == full.candidates(["J-WELD-SS"], top=6)
    assert kept.recommend_table(talent_ids, 5).equals(full.recommend_table(talent_ids, 5))
    with pytest.raises(RuntimeError, match="only some talent columns"):
        kept.refresh_talents(["T-NURSE"])
    kept.refresh_jobs(["J-WELD-SS"])  # the jobs' rows are whole


def test_a_whole_pool_run_reads_the_kept_frame_itself_and_any_other_run_a_copy(pipeline_settings):
    """matcher bulk's whole pool, its frame kept to the run's columns, is not copied again (~0.4 GB at 1M)."""
    from matcher.bulk.run import RUN_TALENT_COLUMNS, _run_talents

    matcher = Matcher.open(pipeline_settings)
    ids = list(matcher.talents.frame.index)
    copied = _run_talents(matcher, ids)  # every column held: the run's columns copied
    assert copied is not matcher.talents.frame and list(copied.columns) == list(RUN_TALENT_COLUMNS)
    matcher.keep_talent_columns(RUN_TALENT_COLUMNS)
    assert _run_talents(matcher, ids) is matcher.talents.frame
    assert _run_talents(matcher, ids).equals(copied)
    some = ids[:2][::-1]
    assert list(_run_talents(matcher, some).index) == some
