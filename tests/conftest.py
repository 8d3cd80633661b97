"""Session-wide fixtures shared across layers: the tiny offline static model and a small matched world."""
from __future__ import annotations

import hashlib
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from matcher.config import Settings

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_CATALOGS = Path(__file__).parent / "embed" / "fixtures" / "catalogs"
"""Five occupations and five regions cut from catalogs/; 焊工 gained the aliases 电焊工人|电焊工."""
TINY_VOCAB_SIZE = 2000


os.environ.setdefault("MATCHER_RANKER_FIELD_GATE", "0")
"""Tests train many rankers on tiny worlds; the field gate (matcher.fieldeval.gate) imports and scores the whole
field set per training, so it runs where it is the subject: tests/test_field_gate.py turns it on."""

TEST_DATABASE_SERVER = os.environ.get("MATCHER_TEST_DATABASE_URL")
"""A PostgreSQL server URL (scripts/test.sh starts a throwaway cluster): each data dir gets a database there."""


sqlite_only = pytest.mark.skipif(bool(TEST_DATABASE_SERVER), reason="checks SQLite itself; this run is on PostgreSQL")


_CREATED_DATABASES: set[str] = set()


def _database_name(data_dir: Path) -> str:
    return "t_" + hashlib.sha1(str(Path(data_dir).resolve()).encode()).hexdigest()[:20]


def _server_run(statement: str) -> None:
    from sqlalchemy import create_engine, text

    server = create_engine(TEST_DATABASE_SERVER, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(statement))
    server.dispose()


@pytest.fixture(scope="session", autouse=True)
def database_per_data_dir() -> Iterator[None]:
    """With MATCHER_TEST_DATABASE_URL set, every Settings without a database_url uses a fresh PostgreSQL
    database of its own (named from its data dir) instead of SQLite under the data dir."""
    if not TEST_DATABASE_SERVER:
        yield
        return
    from sqlalchemy.engine import make_url

    def resolved(settings: Settings) -> str:
        if settings.database_url:
            return settings.database_url
        name = _database_name(settings.data_dir)
        if name not in _CREATED_DATABASES:
            _server_run(f'DROP DATABASE IF EXISTS "{name}"')
            _server_run(f'CREATE DATABASE "{name}"')
            _CREATED_DATABASES.add(name)
        return make_url(TEST_DATABASE_SERVER).set(database=name).render_as_string(hide_password=False)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Settings, "resolved_database_url", property(resolved))
        yield


def copy_data_dir(settings: Settings, to: Path) -> Settings:
    """A private copy of ``settings``' data dir (and, on PostgreSQL, of its database) at ``to``."""
    import shutil

    shutil.copytree(settings.data_dir, to)
    copy = settings.model_copy(update={"data_dir": to})
    if TEST_DATABASE_SERVER and not settings.database_url:
        source, target = _database_name(settings.data_dir), _database_name(to)
        _server_run(f'DROP DATABASE IF EXISTS "{target}"')
        # A template must have no other connections; pooled ones reconnect (pool_pre_ping) when next used.
        _server_run(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{source}'")
        _server_run(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
        _CREATED_DATABASES.add(target)
    return copy


def _no_network(*args, **kwargs):
    raise AssertionError("network access attempted; matcher must build and load models offline")


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A static model of 2,000 jieba words + all characters + fixture catalogue terms, built with the network off
    (~10 s; one per session for every layer's tests)."""
    from matcher.embed.static_model import StaticModelConfig, build_static_model

    out = tmp_path_factory.mktemp("models") / "static-tiny"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket, "socket", _no_network)
        patch.setattr(socket, "create_connection", _no_network)
        build_static_model(out, StaticModelConfig(vocab_size=TINY_VOCAB_SIZE, catalog_dir=FIXTURE_CATALOGS))
    return out


@pytest.fixture(scope="session")
def pipeline_settings(tmp_path_factory: pytest.TempPathFactory, tiny_model_dir: Path) -> Settings:
    """A data dir holding tests/fixtures/pipeline (6 jobs, 6 talents) imported through the real importer."""
    from matcher.store.db import make_engine, upgrade_database
    from matcher.store.imports import import_file

    settings = Settings(data_dir=tmp_path_factory.mktemp("pipeline"), model_path=tiny_model_dir)
    engine = make_engine(settings)
    upgrade_database(settings, engine)
    for kind in ("jobs", "talents"):
        result = import_file(engine, kind, FIXTURES / "pipeline" / f"{kind}.csv")
        assert result.ok, result.messages()
    engine.dispose()
    return settings


@pytest.fixture
def pipeline_copy(pipeline_settings: Settings, tmp_path: Path) -> Settings:
    """A private copy of the pipeline data dir, for tests that write: the session one stays as imported."""
    return copy_data_dir(pipeline_settings, tmp_path / "pipeline")
