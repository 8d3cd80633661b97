"""Two Matchers over one data dir stand for two server processes: one's writes reach the other by the change log."""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from matcher import follower as follower_module
from matcher.follower import ChangeFollower
from matcher.pipeline import Matcher
from matcher.store.changes import latest_seq, oldest_seq, prune_changes, record_ranker_activation
from matcher.store.db import make_engine
from matcher.store.frames import stored_ids
from matcher.store.models import utcnow
from matcher.store.records import create_record, delete_record

NEW_WELDER = {"talent_id": "T-NEW-WELDER", "name": "孙强", "hometown": "周口市商水县", "education": "中专",
              "current_title": "焊工", "skills": "氩弧焊、二保焊", "certificates": "焊工三级",
              "willing_to_return": "是"}


class Process:
    """What one server process holds: a follower positioned before its Matcher loaded."""

    def __init__(self, settings) -> None:
        self.engine = make_engine(settings)
        self.follower = ChangeFollower.from_now(self.engine)
        self.matcher = Matcher.open(settings)

    def write(self, change) -> None:
        """A write as a route makes it: in a transaction, then this process catches up."""
        with Session(self.engine) as session:
            change(session)
            session.commit()
        self.follower.catch_up(self.matcher)

    def candidates(self, job_id: str) -> list[str]:
        return [m.id for m in self.matcher.candidates([job_id], top=10)[job_id]]


@pytest.fixture
def processes(pipeline_copy) -> tuple[Process, Process]:
    return Process(pipeline_copy), Process(pipeline_copy)


def test_a_talent_created_through_one_process_is_matched_by_the_other_after_catch_up(processes):
    a, b = processes
    a.write(lambda session: create_record(session, "talents", NEW_WELDER))
    assert "T-NEW-WELDER" in a.candidates("J-WELD-SS")
    assert "T-NEW-WELDER" not in b.candidates("J-WELD-SS")  # b has not caught up yet
    assert b.follower.catch_up(b.matcher) == 1
    assert "T-NEW-WELDER" in b.candidates("J-WELD-SS")[:3]
    assert b.follower.catch_up(b.matcher) == 0 and b.follower.seq == latest_seq(b.engine)


def test_a_deleted_talent_leaves_the_other_process_after_catch_up(processes):
    a, b = processes
    a.write(lambda session: delete_record(session, "talents", "T-WELDER-JR"))
    assert "T-WELDER-JR" in b.candidates("J-WELD-SS")
    b.follower.catch_up(b.matcher)
    assert "T-WELDER-JR" not in b.candidates("J-WELD-SS")
    with pytest.raises(KeyError):
        b.matcher.recommend(["T-WELDER-JR"])


def test_a_ranker_activation_reloads_the_rankers(processes, monkeypatch):
    _, b = processes
    reloads = []
    monkeypatch.setattr(b.matcher, "reload_rankers", lambda: reloads.append(1))
    b.follower.catch_up(b.matcher)
    assert reloads == []
    record_ranker_activation(b.engine)
    b.follower.catch_up(b.matcher)
    assert reloads == [1]


def test_a_write_during_the_load_is_applied_again_without_harm(pipeline_copy):
    engine = make_engine(pipeline_copy)
    follower = ChangeFollower.from_now(engine)  # as the lifespan does: the seq first, then the frames
    with Session(engine) as session:
        create_record(session, "talents", NEW_WELDER)
        session.commit()
    matcher = Matcher.open(pipeline_copy)  # already holds the new talent
    assert follower.catch_up(matcher) == 1
    found = [m.id for m in matcher.candidates(["J-WELD-SS"], top=10)["J-WELD-SS"]]
    assert found.count("T-NEW-WELDER") == 1


def test_threads_catching_up_together_apply_each_change_once(processes, monkeypatch):
    a, b = processes
    refreshed, refresh = [], b.matcher.refresh_talents

    def slow_refresh(ids):
        time.sleep(0.05)  # wide enough for every other thread to arrive meanwhile
        refreshed.append(list(ids))
        refresh(ids)

    monkeypatch.setattr(b.matcher, "refresh_talents", slow_refresh)
    a.write(lambda session: create_record(session, "talents", NEW_WELDER))
    start = threading.Barrier(6)

    def catch_up(_: int) -> int:
        start.wait()
        return b.follower.catch_up(b.matcher)

    with ThreadPoolExecutor(6) as pool:
        applied = list(pool.map(catch_up, range(6)))
    assert sorted(applied) == [0, 0, 0, 0, 0, 1] and refreshed == [["T-NEW-WELDER"]]
    assert "T-NEW-WELDER" in b.candidates("J-WELD-SS")


def test_a_long_log_is_applied_in_batches_up_to_the_newest_entry(processes, monkeypatch):
    a, b = processes
    monkeypatch.setattr(follower_module, "BATCH", 2)
    monkeypatch.setattr(follower_module, "REFRESH_CHUNK", 1)
    for talent_id in ("T-X1", "T-X2", "T-X3"):
        a.write(lambda session, t=talent_id: create_record(session, "talents", {**NEW_WELDER, "talent_id": t}))
    assert b.follower.catch_up(b.matcher) == 3 and b.follower.seq == latest_seq(b.engine)
    assert {"T-X1", "T-X2", "T-X3"} <= set(b.candidates("J-WELD-SS"))


def test_a_process_whose_entries_were_pruned_rereads_every_record(processes, caplog):
    a, b = processes
    a.write(lambda session: create_record(session, "talents", NEW_WELDER))
    a.write(lambda session: delete_record(session, "talents", "T-WELDER-JR"))
    record_ranker_activation(a.engine)
    assert prune_changes(a.engine, utcnow() + timedelta(days=1)) >= 2  # all but the newest, before b saw them
    assert oldest_seq(a.engine) == latest_seq(a.engine)
    reloads = []
    b.matcher.reload_rankers = lambda: reloads.append(1)
    stored = len(stored_ids(b.engine, "talent")) + len(stored_ids(b.engine, "job"))
    with caplog.at_level("WARNING", logger="matcher.follower"):
        assert b.follower.catch_up(b.matcher) == stored + 1  # everything held (T-WELDER-JR too) and the newest
    assert "pruned" in caplog.text and reloads == [1]  # the rankers too: an activation may be among the lost
    assert "T-NEW-WELDER" in b.candidates("J-WELD-SS") and "T-WELDER-JR" not in b.candidates("J-WELD-SS")
    assert b.follower.seq == latest_seq(b.engine) and b.follower.catch_up(b.matcher) == 0
