from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from matcher.store.db import alembic_config, make_engine, upgrade_database
from matcher.store.models import Base
from tests.conftest import sqlite_only

EXPECTED_TABLES = {"employers", "workstations", "talents", "jobs", "events", "import_log", "audit_log", "users",
                   "changes", "talent_workstations", "login_failures"}


def test_upgrade_on_an_empty_database_creates_every_table(settings):
    engine = make_engine(settings)
    assert inspect(engine).get_table_names() == []
    upgrade_database(settings, engine)
    assert set(inspect(engine).get_table_names()) == EXPECTED_TABLES | {"alembic_version"}
    head = ScriptDirectory.from_config(alembic_config(settings)).get_current_head()
    with engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == head


def test_orm_metadata_matches_the_migrations(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_upgrade_is_repeatable_and_keeps_data(settings, engine):
    with engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO workstations (workstation_id, name, created_at) "
                                   "VALUES ('W1', '深圳工作站', '2024-01-01 00:00:00')")
    upgrade_database(settings, engine)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT name FROM workstations").scalar_one() == "深圳工作站"


@sqlite_only
def test_sqlite_pragmas(engine):
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar_one() >= 1000


def test_event_kind_is_constrained(engine):
    with engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO talents (talent_id, name, consented_employer_ids, created_at) "
                                   "VALUES ('T1', 'x', '[]', '2024-01-01')")
        connection.exec_driver_sql("INSERT INTO employers (employer_id, name, created_at) "
                                   "VALUES ('E1', 'e', '2024-01-01')")
        connection.exec_driver_sql("INSERT INTO jobs (job_id, title, employer, city, created_at) "
                                   "VALUES ('J1', 't', 'e', '郑州', '2024-01-01')")
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO events (talent_id, job_id, kind, occurred_at) "
                                   "VALUES ('T1', 'J1', 'liked', '2024-01-01')")
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO events (talent_id, job_id, kind, occurred_at) "
                                   "VALUES ('T9', 'J1', 'viewed', '2024-01-01')")
