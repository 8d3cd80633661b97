"""The change log: entries written in the data's own transaction, for exactly the talents and jobs written."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from matcher.cli import main as cli_main
from matcher.store.changes import (
    changes_since,
    latest_seq,
    oldest_seq,
    prune_changes,
    record_changes,
    record_ranker_activation,
)
from matcher.store.imports import import_file
from matcher.store.models import Change, utcnow
from matcher.store.records import create_record, delete_record, update_record
from tests.store.helpers import JOB_HEADER, TALENT_HEADER, job_row, talent_row, write_csv

NAME = TALENT_HEADER.index("姓名")
WORKSTATION_HEADER = ["工作站编号", "工作站名称", "所在城市"]


def logged(engine, after: int = 0) -> list[tuple[str, str | None]]:
    return [(c.kind, c.entity_id) for c in changes_since(engine, after)]


def test_an_empty_log_starts_at_zero(engine):
    assert latest_seq(engine) == 0 and changes_since(engine, 0) == []


def test_entries_come_back_in_seq_order_after_the_given_seq(engine):
    with engine.begin() as connection:
        record_changes(connection, "talent", ["T2", "T1", "T2"])  # one entry per distinct id
    with engine.begin() as connection:
        record_changes(connection, "job", ["J1"])
    record_ranker_activation(engine)
    entries = changes_since(engine, 0)
    assert [(e.kind, e.entity_id) for e in entries] == [("talent", "T1"), ("talent", "T2"), ("job", "J1"),
                                                        ("rankers", None)]
    assert [e.seq for e in entries] == sorted(e.seq for e in entries) and latest_seq(engine) == entries[-1].seq
    assert logged(engine, entries[1].seq) == [("job", "J1"), ("rankers", None)]
    assert [e.entity_id for e in changes_since(engine, 0, limit=2)] == ["T1", "T2"]
    assert changes_since(engine, latest_seq(engine)) == []


def test_unknown_kinds_are_refused(engine):
    with pytest.raises(ValueError, match="employer"), engine.begin() as connection:
        record_changes(connection, "employer", ["E1"])


def test_an_import_logs_what_it_inserted_or_changed_and_nothing_else(engine, tmp_path):
    path = write_csv(tmp_path / "talents.csv", [TALENT_HEADER, *(talent_row(i) for i in range(3))])
    assert import_file(engine, "talents", path).ok
    assert logged(engine) == [("talent", "T00000"), ("talent", "T00001"), ("talent", "T00002")]
    seq = latest_seq(engine)
    rows = [talent_row(i) for i in range(3)]
    rows[1][NAME] = "改名"
    assert import_file(engine, "talents", write_csv(tmp_path / "again.csv", [TALENT_HEADER, *rows])).ok
    assert logged(engine, seq) == [("talent", "T00001")]  # unchanged rows need no refresh


def test_a_rejected_import_leaves_no_entry(engine, tmp_path):
    rows = [job_row(i) for i in range(3)]
    rows[2][JOB_HEADER.index("岗位名称")] = ""  # a required cell: the whole file is refused
    result = import_file(engine, "jobs", write_csv(tmp_path / "jobs.csv", [JOB_HEADER, *rows]))
    assert not result.ok
    assert logged(engine) == []


def test_a_workstation_import_logs_the_talents_it_links(engine, tmp_path):
    rows = [talent_row(i) for i in range(2)]
    path = write_csv(tmp_path / "talents.csv", [[*TALENT_HEADER, "所属工作站"], [*rows[0], "深圳站"],
                                                [*rows[1], ""]])
    assert import_file(engine, "talents", path).ok
    seq = latest_seq(engine)
    stations = write_csv(tmp_path / "workstations.csv", [WORKSTATION_HEADER, ["WS9", "深圳站", "深圳"]])
    assert import_file(engine, "workstations", stations).ok
    assert logged(engine, seq) == [("talent", "T00000")]  # its workstation_id changed; T00001 has none


def test_record_writes_log_in_their_own_transaction(engine):
    raw = {"talent_id": "R1", "name": "张三", "current_title": "焊工"}
    with Session(engine) as session:
        create_record(session, "talents", raw)
        session.rollback()
    assert logged(engine) == []
    with Session(engine) as session:
        create_record(session, "talents", raw)
        session.commit()
    assert logged(engine) == [("talent", "R1")]
    seq = latest_seq(engine)
    with Session(engine) as session:
        update_record(session, "talents", "R1", {}, {"consented_employer_ids": []})  # a direct column only
        session.commit()
    assert set(logged(engine, seq)) == {("talent", "R1")}
    seq = latest_seq(engine)
    with Session(engine) as session:
        delete_record(session, "talents", "R1")
        session.rollback()
    assert logged(engine, seq) == []
    with Session(engine) as session:
        delete_record(session, "talents", "R1")
        session.commit()
    assert logged(engine, seq) == [("talent", "R1")]


def test_employer_and_workstation_records_are_not_logged(engine):
    with Session(engine) as session:
        create_record(session, "workstations", {"workstation_id": "WS1", "name": "深圳站"})
        session.commit()
    assert logged(engine) == []


def test_pruning_deletes_old_entries_but_never_the_newest(engine):
    with engine.begin() as connection:
        record_changes(connection, "talent", ["T1", "T2", "T3"])
    with engine.begin() as connection:  # T1 and T2 were written 40 days ago
        connection.execute(update(Change).where(Change.entity_id.in_(["T1", "T2"]))
                           .values(changed_at=utcnow() - timedelta(days=40)))
    newest = latest_seq(engine)
    assert prune_changes(engine, utcnow() - timedelta(days=30)) == 2
    assert logged(engine) == [("talent", "T3")] and oldest_seq(engine) == newest
    assert prune_changes(engine, utcnow() + timedelta(days=1)) == 0  # every entry is old: the newest stays
    assert latest_seq(engine) == newest
    with engine.begin() as connection:
        record_changes(connection, "job", ["J1"])
    assert latest_seq(engine) > newest  # seqs go on from there, never reused


def test_the_prune_command_takes_days_to_keep(engine, settings, capsys):
    with engine.begin() as connection:
        record_changes(connection, "talent", ["T1", "T2"])
        connection.execute(update(Change).values(changed_at=utcnow() - timedelta(days=9)))
    assert cli_main(["db", "prune-changes", "--keep-days", "10"], settings) == 0
    assert "deleted 0 change-log entries" in capsys.readouterr().out
    assert cli_main(["db", "prune-changes", "--keep-days", "7"], settings) == 0
    assert "deleted 1 change-log entries" in capsys.readouterr().out and logged(engine) == [("talent", "T2")]
    with pytest.raises(SystemExit):
        cli_main(["db", "prune-changes", "--keep-days", "0"], settings)
