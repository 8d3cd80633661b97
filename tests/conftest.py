"""Session-wide fixtures shared across layers: the tiny offline static model and a small matched world."""
from __future__ import annotations

import socket
from pathlib import Path

import pytest

from matcher.config import Settings

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_CATALOGS = Path(__file__).parent / "embed" / "fixtures" / "catalogs"
"""Five occupations and five regions cut from catalogs/; 焊工 gained the aliases 电焊工人|电焊工."""
TINY_VOCAB_SIZE = 2000


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
    return settings


@pytest.fixture
def pipeline_copy(pipeline_settings: Settings, tmp_path: Path) -> Settings:
    """A private copy of the pipeline data dir, for tests that write: the session one stays as imported."""
    import shutil

    copy = tmp_path / "pipeline"
    shutil.copytree(pipeline_settings.data_dir, copy)
    return pipeline_settings.model_copy(update={"data_dir": copy})
