"""Pools on disk: reused while current, rebuilt when stale, and never loaded or saved while another holds them."""
from __future__ import annotations

import threading

from matcher.retrieve import pools
from matcher.retrieve.pools import build_pool, open_pool, pools_lock
from tests.retrieve.conftest import JOBS


def test_a_current_pool_is_reused_and_a_stale_one_rebuilt(tmp_path, encoder, monkeypatch):
    builds = []
    monkeypatch.setattr(pools, "build_pool", lambda *args: builds.append(args[0]) or build_pool(*args))
    built = open_pool(tmp_path, "job", JOBS, encoder)
    assert len(built) == len(JOBS) and "J6" in built.sparse and builds == ["job"]
    assert len(open_pool(tmp_path, "job", JOBS, encoder)) == len(JOBS) and builds == ["job"]  # loaded
    rebuilt = open_pool(tmp_path, "job", JOBS[JOBS["job_id"] != "J6"], encoder)  # a job was deleted
    assert "J6" not in rebuilt.sparse and len(rebuilt) == len(JOBS) - 1 and builds == ["job", "job"]


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
