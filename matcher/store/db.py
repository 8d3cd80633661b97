"""Engines, sessions and schema upgrades for the one database named by Settings."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.orm import Session, sessionmaker

from matcher.config import Settings

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 10_000
LOCK_TIMEOUT_MS = SQLITE_BUSY_TIMEOUT_MS
"""How long a PostgreSQL statement waits for a row or table lock before failing (the API answers 503)."""


def make_engine(settings: Settings) -> Engine:
    """An engine for ``settings.resolved_database_url``; SQLite gets WAL, foreign keys and a busy timeout."""
    url = make_url(settings.resolved_database_url)
    # hide_parameters: a failed statement's message (logged, shown in tracebacks) never carries a row's values.
    if url.get_backend_name() != "sqlite":
        options = {"options": f"-c lock_timeout={LOCK_TIMEOUT_MS}"} if url.get_backend_name() == "postgresql" else {}
        return create_engine(url, pool_pre_ping=True, hide_parameters=True, connect_args=options)
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, hide_parameters=True)
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the API read while an import writes; NORMAL sync is durable enough under WAL.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


def session_factory(settings: Settings, engine: Engine | None = None) -> sessionmaker[Session]:
    """Sessions bound to ``engine`` (or a new engine for ``settings``); objects stay usable after commit."""
    return sessionmaker(bind=engine or make_engine(settings), expire_on_commit=False)


def alembic_config(settings: Settings) -> Config:
    """An Alembic config built in code: script_location is this package's migrations folder."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # ConfigParser interpolation would treat '%' in a password as a placeholder.
    config.set_main_option("sqlalchemy.url", settings.resolved_database_url.replace("%", "%%"))
    return config


def upgrade_database(settings: Settings, engine: Engine | None = None) -> None:
    """Bring the schema to the newest revision; one small query when it is already current."""
    engine = engine or make_engine(settings)
    config = alembic_config(settings)
    head = ScriptDirectory.from_config(config).get_current_head()
    with engine.begin() as connection:
        if current_revision(connection) == head:
            return
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def current_revision(connection: Connection) -> str | None:
    """The applied revision, read directly so a current database costs no Alembic context set-up."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
