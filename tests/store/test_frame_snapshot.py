"""Frame snapshots: equal to the database read, reused while the change log stands still, re-read after a write."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sqlalchemy.orm import Session

import matcher.store.frame_snapshot as snapshot
from matcher.store.frame_snapshot import FILE_NAMES, load_frame
from matcher.store.frames import load_jobs, load_talents
from matcher.store.imports import import_file
from matcher.store.records import delete_record, update_record
from tests.store.conftest import FIXTURES


@pytest.fixture
def imported(engine):
    import_file(engine, "talents", FIXTURES / "talents_gbk.csv")
    import_file(engine, "jobs", FIXTURES / "jobs_utf8_bom.csv")
    return engine


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
    with Session(imported) as session:
        update_record(session, "talents", "T002", {"current_title": "数控车工"})
        session.commit()
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
