"""`matcher serve --workers N`: one worker per core by default; several workers get settings by the environment."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from matcher.cli import build_parser
from matcher.cli import serve as serve_module
from matcher.config import Settings, environment_for

SETTINGS = Settings(data_dir=Path("/srv/matcher"), index_factory="IVF64,SQ8", max_upload_mb=5, log_level="WARNING")


@pytest.fixture
def uvicorn_calls(monkeypatch) -> list[tuple[tuple, dict]]:
    import uvicorn

    calls: list[tuple[tuple, dict]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: calls.append((args, kwargs)))
    return calls


@pytest.fixture
def clean_environment(monkeypatch) -> None:
    """Whatever serve puts in os.environ is undone after the test."""
    for name in [*environment_for(SETTINGS), "OMP_NUM_THREADS", "TOKENIZERS_PARALLELISM"]:
        monkeypatch.setenv(name, "placeholder")
        monkeypatch.delenv(name)


@pytest.mark.parametrize(("cores", "expected"), [(4, 4), (1, 1), (None, 1)])
def test_the_default_is_one_worker_per_core(monkeypatch, cores, expected):
    monkeypatch.setattr(serve_module.os, "cpu_count", lambda: cores)
    assert build_parser().parse_args(["serve"]).workers == expected
    assert build_parser().parse_args(["run"]).workers == expected


def test_workers_are_parsed_and_must_be_positive(capsys):
    assert build_parser().parse_args(["serve", "--workers", "3"]).workers == 3
    with pytest.raises(SystemExit):
        build_parser().parse_args(["serve", "--workers", "0"])
    assert "at least 1 worker" in capsys.readouterr().err


def test_one_worker_serves_the_app_built_here(uvicorn_calls, clean_environment):
    from fastapi import FastAPI

    serve_module.serve(SETTINGS, "127.0.0.1", 8001, workers=1)
    [(args, kwargs)] = uvicorn_calls
    assert isinstance(args[0], FastAPI) and "workers" not in kwargs
    assert (kwargs["access_log"], kwargs["log_config"], kwargs["port"]) == (False, None, 8001)
    assert (kwargs["http"], kwargs["loop"]) == ("httptools", "uvloop")  # the C parser and loop, never h11


@pytest.fixture
def supervisor_calls(monkeypatch) -> dict[str, list]:
    """What serve hands the pre-fork supervisor, run here (preforked) or in a spawned process (spawned)."""
    calls: dict[str, list] = {"preforked": [], "spawned": []}
    monkeypatch.setattr(serve_module, "serve_preforked", lambda *args: calls["preforked"].append(args))
    monkeypatch.setattr(serve_module, "_spawn_supervisor", lambda *args: calls["spawned"].append(args))
    return calls


def test_several_workers_are_forked_by_a_spawned_supervisor_with_settings_in_the_environment(
        clean_environment, monkeypatch, supervisor_calls):
    monkeypatch.setenv("MATCHER_DATABASE_URL", "sqlite:////elsewhere.db")  # not this process's setting
    serve_module.serve(SETTINGS, "127.0.0.1", 0, workers=3)
    assert supervisor_calls["preforked"] == []  # this process loaded libgomp before OMP_NUM_THREADS was set
    [(settings, options, workers)] = supervisor_calls["spawned"]
    assert (settings, workers) == (SETTINGS, 3)
    assert (options["access_log"], options["log_config"], options["log_level"]) == (False, None, "warning")
    assert options["http"] == "httptools"
    assert Settings() == SETTINGS  # what anything the workers start (bulk-run pools) reads
    assert os.environ["OMP_NUM_THREADS"] == "1"  # FAISS searches on one thread in every thread of a worker
    assert os.environ["TOKENIZERS_PARALLELISM"] == "false"  # no Rust thread pool running at the fork


def test_the_shared_socket_listens_from_the_start_without_nagle():
    import socket

    shared = serve_module.bind_listening_socket("127.0.0.1", 0)
    try:
        assert shared.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN) == 1  # connections queue from the start
        assert shared.proto == socket.IPPROTO_TCP  # asyncio then turns Nagle off on accepted connections
        assert shared.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
        assert shared.get_inheritable()
    finally:
        shared.close()


def test_the_worker_loop_exists_where_serve_points():
    import asyncio
    import importlib

    module, name = serve_module.BALANCED_LOOP.split(":")
    loop = getattr(importlib.import_module(module), name)()
    try:
        assert isinstance(loop, asyncio.AbstractEventLoop)
    finally:
        loop.close()
