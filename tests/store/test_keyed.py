"""Rows by key through SQLite's own cursor equal SQLAlchemy Core's rows, decoded values included."""
from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy.orm import Session

import matcher.store.keyed as keyed
from matcher.store.accounts import authenticate, create_user
from matcher.store.imports import import_file
from matcher.store.keyed import rows_by_keys
from matcher.store.models import Job, Talent, User
from tests.store.conftest import FIXTURES


def _both_ways(monkeypatch, connection, table, key, columns, keys) -> tuple[list[dict], list[dict]]:
    driver = rows_by_keys(connection, table, key, columns, keys)
    monkeypatch.setattr(keyed, "DRIVER_DIALECTS", frozenset())  # SQLAlchemy Core for every dialect
    core = rows_by_keys(connection, table, key, columns, keys)
    monkeypatch.undo()
    return sorted(driver, key=lambda r: r[key]), sorted(core, key=lambda r: r[key])


@pytest.mark.parametrize(("model", "fixture", "keys"), [
    (Talent, "talents_gbk.csv", ["T001", "T002", "NOPE"]),
    (Job, "jobs_utf8_bom.csv", None),
])
def test_driver_rows_equal_core_rows_for_every_column(engine, monkeypatch, model, fixture, keys):
    table = model.__table__
    key = table.primary_key.columns.values()[0].name
    import_file(engine, table.name, FIXTURES / fixture)
    with Session(engine) as session:
        connection = session.connection()
        if keys is None:
            keys = [row[0] for row in connection.execute(table.select().with_only_columns(table.c[key]))]
        driver, core = _both_ways(monkeypatch, connection, table, key, [c.name for c in table.c], keys)
    assert driver == core and len(driver) == len([k for k in keys if k != "NOPE"]) > 0
    kinds = {type(value) for row in driver for value in row.values()}
    assert list in kinds and str in kinds  # JSON lists decoded, not their text


def test_booleans_dates_and_unknown_keys(engine, monkeypatch):
    import_file(engine, "talents", FIXTURES / "talents_gbk.csv")
    table = Talent.__table__
    with Session(engine) as session:
        connection = session.connection()
        driver, core = _both_ways(monkeypatch, connection, table, "talent_id",
                                  ["talent_id", "willing_to_return", "updated_at", "consented_employer_ids"],
                                  ["T001", "T001", "T002"])
        assert driver == core
        assert {type(r["willing_to_return"]) for r in driver} == {bool}  # SQLite's 0/1 converted
        assert {type(r["updated_at"]) for r in driver} == {datetime}  # SQLite's text parsed
        assert rows_by_keys(connection, table, "talent_id", ["talent_id"], []) == []
        assert rows_by_keys(connection, table, "talent_id", ["talent_id"], ["NOPE"]) == []


def test_an_account_reads_the_same_through_either_path(engine, monkeypatch):
    with Session(engine) as session, session.begin():
        account, key = create_user(session, "王 admin", "admin")
    with Session(engine) as session:
        assert authenticate(session, key) == account
        monkeypatch.setattr(keyed, "DRIVER_DIALECTS", frozenset())
        assert authenticate(session, key) == account
        assert authenticate(session, key[:-2] + "xx") is None
        assert rows_by_keys(session.connection(), User.__table__, "id", ["id"], [account.id + 99]) == []


def test_a_plan_for_postgresql_asks_no_driver_processors():
    """PostgreSQL's Float cannot name its result processor without the driver's column type: planning a
    read of a float column failed, and every candidates request with it (a 500 for every role)."""
    from sqlalchemy.dialects import postgresql

    plan = keyed._plan(Talent.__table__, "talent_id", ("talent_id", "experience_years", "updated_at"),
                       postgresql.psycopg.dialect())
    assert plan.processed is None and plan.names == ("talent_id", "experience_years", "updated_at")
