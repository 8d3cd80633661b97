"""Frame snapshots: equal to the database read, reused while the change log stands still, re-read after a write."""
from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd
import pytest
from sqlalchemy.orm import Session

import matcher.store.frame_snapshot as snapshot
from matcher.store.changes import prune_changes
from matcher.store.frame_snapshot import FILE_NAMES, load_frame
from matcher.store.frames import load_jobs, load_talents
from matcher.store.imports import import_file
from matcher.store.records import create_record, delete_record, update_record
from tests.store.conftest import FIXTURES


@pytest.fixture
def imported(engine):
    import_file(engine, "talents", FIXTURES / "talents_gbk.csv")
    import_file(engine, "jobs", FIXTURES / "jobs_utf8_bom.csv")
    return engine


def updated(engine, kind: str, key: str, changes: dict) -> None:
    """One record written as the API or the CLI writes it: with its change-log entry."""
    with Session(engine) as session:
        update_record(session, kind, key, changes)
        session.commit()


def whole_read_forbidden(monkeypatch):
    """Let the frames be read only by id (a catch-up's re-read), never whole."""
    for side in ("talent", "job"):
        model, columns, load = snapshot.SIDES[side]

        def by_id(engine, ids=None, load=load):
            assert ids is not None, "read the whole frame although the snapshot could be caught up"
            return load(engine, ids)
        monkeypatch.setitem(snapshot.SIDES, side, (model, columns, by_id))


def read_forbidden(monkeypatch):
    """Make any database read of the frames fail, so a call that returns must have used the snapshot."""
    def refuse(*args, **kwargs):
        raise AssertionError("read the database although the snapshot was current")
    monkeypatch.setitem(snapshot.SIDES, "talent", (*snapshot.SIDES["talent"][:2], refuse))
    monkeypatch.setitem(snapshot.SIDES, "job", (*snapshot.SIDES["job"][:2], refuse))


def assert_same_frame(got: pd.DataFrame, want: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    for column in snapshot.JSON_COLUMNS & set(want.columns):  # lists stay lists, None stays None
        assert [type(v) for v in got[column]] == [type(v) for v in want[column]]


def test_a_current_snapshot_is_the_database_frame_without_reading_it(imported, tmp_path, monkeypatch):
    first = load_frame(imported, "talent", tmp_path)
    load_frame(imported, "job", tmp_path)
    assert (tmp_path / FILE_NAMES["talent"]).is_file() and (tmp_path / FILE_NAMES["job"]).is_file()
    read_forbidden(monkeypatch)
    assert_same_frame(load_frame(imported, "talent", tmp_path), load_talents(imported))
    assert_same_frame(load_frame(imported, "job", tmp_path), load_jobs(imported))
    assert_same_frame(first, load_talents(imported))


def test_a_write_makes_the_snapshot_stale(imported, tmp_path):
    load_frame(imported, "talent", tmp_path)
    updated(imported, "talents", "T002", {"current_title": "数控车工"})
    fresh = load_frame(imported, "talent", tmp_path)
    assert fresh.set_index("talent_id").loc["T002", "current_title"] == "数控车工"
    assert_same_frame(fresh, load_talents(imported))
    with Session(imported) as session:
        delete_record(session, "talents", "T003")
        session.commit()
    assert load_frame(imported, "talent", tmp_path)["talent_id"].tolist() == ["T001", "T002"]


def test_an_unreadable_snapshot_is_read_again_from_the_database(imported, tmp_path):
    load_frame(imported, "talent", tmp_path)
    (tmp_path / FILE_NAMES["talent"]).write_bytes(b"not parquet")
    assert_same_frame(load_frame(imported, "talent", tmp_path), load_talents(imported))
    state = snapshot.database_state(imported, snapshot.Talent, snapshot.TALENT_COLUMNS)
    assert snapshot.read_snapshot(tmp_path / FILE_NAMES["talent"], state) is not None  # rewritten


def test_json_texts_decode_to_each_rows_own_objects():
    texts = np.array(['["a", "b"]', "[]", '["a", "b"]', "null", '[{"name": "焊工", "level": 3}]',
                      '[{"name": "焊工", "level": 3}]'], dtype=object)
    got = snapshot.decoded(texts)
    assert got == [["a", "b"], [], ["a", "b"], None, [{"name": "焊工", "level": 3}], [{"name": "焊工", "level": 3}]]
    assert got[0] is not got[2] and got[4] is not got[5] and got[4][0] is not got[5][0]  # nothing shared
    nested = np.array(['[{"a": [1]}]', '[{"a": [1]}]'], dtype=object)  # deeper than a copy goes: row by row
    deep = snapshot.decoded(nested)
    assert deep == [[{"a": [1]}]] * 2 and deep[0][0]["a"] is not deep[1][0]["a"]


def test_reread_reads_the_database_and_saves_what_it_read(imported, tmp_path):
    load_frame(imported, "talent", tmp_path)
    with imported.begin() as connection:  # plain SQL: no change-log entry, no new stamp
        connection.exec_driver_sql("UPDATE talents SET current_title = '电工' WHERE talent_id = 'T001'")
    assert load_frame(imported, "talent", tmp_path).loc[0, "current_title"] != "电工"  # not seen: documented
    assert load_frame(imported, "talent", tmp_path, reread=True).loc[0, "current_title"] == "电工"
    assert load_frame(imported, "talent", tmp_path).loc[0, "current_title"] == "电工"  # the saved snapshot too


def test_a_stale_snapshot_is_caught_up_from_the_change_log(imported, tmp_path, monkeypatch):
    load_frame(imported, "talent", tmp_path)
    load_frame(imported, "job", tmp_path)
    with Session(imported) as session:
        update_record(session, "talents", "T002", {"current_title": "数控车工"})
        delete_record(session, "talents", "T003")
        create_record(session, "talents", {"talent_id": "T0015", "name": "王强", "current_title": "焊工",
                                           "certificates": "焊工（四级）", "hometown": "周口市"})
        create_record(session, "talents", {"talent_id": "T000", "name": "赵敏", "major": "护理"})
        update_record(session, "jobs", load_jobs(imported)["job_id"].iloc[0], {"headcount": "7"})
        session.commit()
    with monkeypatch.context() as patch:
        whole_read_forbidden(patch)
        talents = load_frame(imported, "talent", tmp_path)
        jobs = load_frame(imported, "job", tmp_path)
    assert talents["talent_id"].tolist() == ["T000", "T001", "T0015", "T002"]  # the database's order
    assert talents.set_index("talent_id").loc["T002", "current_title"] == "数控车工"
    assert_same_frame(talents, load_talents(imported))
    assert_same_frame(jobs, load_jobs(imported))
    read_forbidden(monkeypatch)  # and what was caught up was saved: current now
    assert_same_frame(load_frame(imported, "talent", tmp_path), load_talents(imported))
    assert_same_frame(load_frame(imported, "job", tmp_path), load_jobs(imported))


def test_entries_of_the_other_side_only_leave_the_rows_as_saved(imported, tmp_path, monkeypatch):
    load_frame(imported, "talent", tmp_path)
    updated(imported, "jobs", load_jobs(imported)["job_id"].iloc[0], {"headcount": "9"})
    read_forbidden(monkeypatch)
    assert_same_frame(load_frame(imported, "talent", tmp_path), load_talents(imported))


def test_a_log_pruned_past_the_snapshot_means_a_whole_read(imported, tmp_path, monkeypatch):
    load_frame(imported, "talent", tmp_path)
    updated(imported, "talents", "T001", {"current_title": "钳工"})
    updated(imported, "talents", "T002", {"current_title": "电焊工"})
    prune_changes(imported, datetime(2100, 1, 1))  # keeps only the newest entry: T001's is lost
    whole = []
    model, columns, load = snapshot.SIDES["talent"]
    monkeypatch.setitem(snapshot.SIDES, "talent",
                        (model, columns, lambda engine, ids=None: whole.append(ids) or load(engine, ids)))
    fresh = load_frame(imported, "talent", tmp_path)
    assert whole == [None]
    assert fresh.set_index("talent_id").loc["T001", "current_title"] == "钳工"
    assert_same_frame(fresh, load_talents(imported))


def test_rows_written_outside_the_log_fail_the_check_and_the_frame_is_read_whole(imported, tmp_path):
    load_frame(imported, "talent", tmp_path)
    updated(imported, "talents", "T001", {"current_title": "钳工"})
    with imported.begin() as connection:  # plain SQL: a row no entry names
        connection.exec_driver_sql("DELETE FROM talents WHERE talent_id = 'T003'")
    state = snapshot.database_state(imported, snapshot.Talent, snapshot.TALENT_COLUMNS)
    assert snapshot.caught_up(imported, "talent", tmp_path / FILE_NAMES["talent"], state) is None
    assert_same_frame(load_frame(imported, "talent", tmp_path), load_talents(imported))


def test_too_many_changed_rows_mean_a_whole_read(imported, tmp_path, monkeypatch):
    load_frame(imported, "talent", tmp_path)
    updated(imported, "talents", "T001", {"current_title": "钳工"})
    state = snapshot.database_state(imported, snapshot.Talent, snapshot.TALENT_COLUMNS)
    path = tmp_path / FILE_NAMES["talent"]
    assert snapshot.caught_up(imported, "talent", path, state) is not None  # 1 of 3 rows
    monkeypatch.setattr(snapshot, "CATCH_UP_SHARE", 0.2)
    assert snapshot.caught_up(imported, "talent", path, state) is not None  # fewer than CATCH_UP_ROWS
    monkeypatch.setattr(snapshot, "CATCH_UP_ROWS", 0)
    assert snapshot.caught_up(imported, "talent", path, state) is None
