"""Pools on disk: reused while current, rebuilt when stale, and never loaded or saved while another holds them."""
from __future__ import annotations

import threading

import numpy as np
import pandas as pd

from matcher.retrieve import pools, row_stamps
from matcher.retrieve.pools import build_pool, data_snapshot_id, encode_rows, open_pool, pools_lock
from tests.retrieve.conftest import JOBS


def test_a_current_pool_is_reused_and_a_stale_one_rebuilt(tmp_path, encoder, monkeypatch):
    builds = []
    monkeypatch.setattr(pools, "build_pool", lambda *args: builds.append(args[0]) or build_pool(*args))
    monkeypatch.setattr(row_stamps, "REUSE_ROWS", 0)  # any change is too many to reuse: rebuilt
    monkeypatch.setattr(row_stamps, "REUSE_SHARE", 0.0)
    built = open_pool(tmp_path, "job", JOBS, encoder)
    assert len(built) == len(JOBS) and "J6" in built.sparse and builds == ["job"]
    assert len(open_pool(tmp_path, "job", JOBS, encoder)) == len(JOBS) and builds == ["job"]  # loaded
    rebuilt = open_pool(tmp_path, "job", JOBS[JOBS["job_id"] != "J6"], encoder)  # a job was deleted
    assert "J6" not in rebuilt.sparse and len(rebuilt) == len(JOBS) - 1 and builds == ["job", "job"]


def edited_jobs() -> pd.DataFrame:
    """JOBS with J6 deleted, J1 rewritten (a new stamp) and J7 added."""
    jobs = JOBS.assign(updated_at=pd.Timestamp("2026-03-01"))
    jobs = jobs[jobs["job_id"] != "J6"].copy()
    at = jobs["job_id"] == "J1"
    jobs.loc[at, ["title", "skills", "updated_at"]] = ["护工", "老年护理 康复", pd.Timestamp("2026-05-01")]
    added = pd.DataFrame([("J7", "汽车维修工", "发动机维修 钣金", "高端/智能制造", "C", "410000", "410100", None, 2.0,
                           pd.Timestamp("2026-05-02"))], columns=jobs.columns)
    return pd.concat([jobs, added], ignore_index=True)


def test_a_pool_with_a_few_changed_rows_is_caught_up_to_what_a_build_gives(tmp_path, encoder, monkeypatch):
    open_pool(tmp_path, "job", JOBS.assign(updated_at=pd.Timestamp("2026-03-01")), encoder)
    edited = edited_jobs()
    fresh = build_pool("job", edited, encoder)
    builds, encoded = [], []
    monkeypatch.setattr(pools, "build_pool", lambda *args: builds.append(args[0]) or build_pool(*args))
    monkeypatch.setattr(pools, "encode_rows", lambda rows, *a: encoded.extend(rows["job_id"]) or encode_rows(rows, *a))
    caught = open_pool(tmp_path, "job", edited, encoder)
    assert builds == [] and encoded == ["J1", "J7"]  # only the written rows were encoded
    assert sorted(caught.metadata.index) == sorted(fresh.metadata.index) == ["J1", "J2", "J3", "J4", "J5", "J7"]
    queries = ["护理 康复", "汽车 发动机 维修", "氩弧焊", "电工"]
    vectors = encoder.encode(queries)
    for got, want in ((caught.dense.search(vectors, 6), fresh.dense.search(vectors, 6)),
                      (caught.sparse.search(queries, 6), fresh.sparse.search(queries, 6))):
        for got_ids, got_scores, want_ids, want_scores in zip(*got, *want, strict=True):  # ties in any order
            assert got_ids.tolist() == want_ids.tolist() or sorted(got_ids) == sorted(want_ids)
            want_of = dict(zip(want_ids, want_scores, strict=True))
            np.testing.assert_allclose(got_scores, [want_of[i] for i in got_ids], rtol=1e-6)
            np.testing.assert_allclose(got_scores, want_scores, rtol=1e-6)  # so a different order is a tie
    assert caught.dense.data_snapshot_id == data_snapshot_id(edited, "job")
    again = open_pool(tmp_path, "job", edited, encoder)  # saved caught up: current now
    assert builds == [] and encoded == ["J1", "J7"] and len(again) == len(edited)


def test_opening_a_pool_waits_while_another_process_saves_pools(tmp_path, encoder):
    """A FileLock excludes other holders in this process too, so holding it here stands for another process."""
    opened = threading.Event()
    with pools_lock(tmp_path):
        worker = threading.Thread(target=lambda: (open_pool(tmp_path, "job", JOBS, encoder), opened.set()))
        worker.start()
        assert not opened.wait(0.5)  # waiting for the lock: nothing read or written yet
        assert not (tmp_path / "jobs").exists()
    worker.join(timeout=30)
    assert opened.is_set() and (tmp_path / "jobs").exists()


def test_opening_a_pool_removes_temp_folders_a_killed_save_left(tmp_path, encoder):
    open_pool(tmp_path, "job", JOBS, encoder)
    orphan = tmp_path / ".jobs.tmp-0123456789ab"  # what a save killed between mkdir and rename leaves
    (orphan / "dense").mkdir(parents=True)
    (orphan / "dense" / "index.faiss").write_bytes(b"partial")
    other = tmp_path / ".talents-notes.tmp-keep"  # not a staging folder of the jobs pool
    other.mkdir()
    assert len(open_pool(tmp_path, "job", JOBS, encoder)) == len(JOBS)
    assert not orphan.exists() and other.exists() and (tmp_path / "jobs").exists()
