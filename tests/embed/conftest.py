"""Shared embed fixtures: one tiny static model per session, built with the network off."""
from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest

from matcher.embed.static_model import StaticModelConfig, build_static_model

FIXTURE_CATALOGS = Path(__file__).parent / "fixtures" / "catalogs"
"""Five occupations and five regions cut from catalogs/; 焊工 gained the aliases 电焊工人|电焊工."""

TINY_VOCAB_SIZE = 2000


def _no_network(*args, **kwargs):
    raise AssertionError("network access attempted; matcher must build and load models offline")


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A static model of 2,000 jieba words + all characters + fixture catalogue terms (~10 s to build)."""
    out = tmp_path_factory.mktemp("models") / "static-tiny"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket, "socket", _no_network)
        patch.setattr(socket, "create_connection", _no_network)
        build_static_model(out, StaticModelConfig(vocab_size=TINY_VOCAB_SIZE, catalog_dir=FIXTURE_CATALOGS))
    return out


@pytest.fixture
def tiny_model_copy(tiny_model_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the tiny model a test may modify."""
    return Path(shutil.copytree(tiny_model_dir, tmp_path / "model"))


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any socket opened during the test fails it."""
    monkeypatch.setattr(socket, "socket", _no_network)
    monkeypatch.setattr(socket, "create_connection", _no_network)
