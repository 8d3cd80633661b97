"""Embed fixtures: copies of the session's tiny static model (tests/conftest.py) and a network ban."""
from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest

from tests.conftest import _no_network


@pytest.fixture
def tiny_model_copy(tiny_model_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the tiny model a test may modify."""
    return Path(shutil.copytree(tiny_model_dir, tmp_path / "model"))


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any socket opened during the test fails it."""
    monkeypatch.setattr(socket, "socket", _no_network)
    monkeypatch.setattr(socket, "create_connection", _no_network)
