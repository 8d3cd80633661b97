from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from matcher.config import Settings
from matcher.store.db import make_engine, upgrade_database

FIXTURES = Path(__file__).parent.parent / "fixtures" / "store"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


@pytest.fixture
def engine(settings: Settings) -> Engine:
    engine = make_engine(settings)
    upgrade_database(settings, engine)
    yield engine
    engine.dispose()
