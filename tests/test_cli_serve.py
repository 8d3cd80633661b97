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
    for name in [*environment_for(SETTINGS), "OMP_NUM_THREADS"]:
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


def test_several_workers_import_the_factory_with_settings_in_the_environment(clean_environment, monkeypatch):
    import pickle
    import socket
    from multiprocessing.reduction import ForkingPickler

    import uvicorn.supervisors

    started: list[tuple[object, list]] = []
    monkeypatch.setattr(uvicorn.supervisors.Multiprocess, "__init__",
                        lambda self, config, sockets: started.append((config, sockets)))
    monkeypatch.setattr(uvicorn.supervisors.Multiprocess, "run", lambda self: None)
    monkeypatch.setenv("MATCHER_DATABASE_URL", "sqlite:////elsewhere.db")  # not this process's setting
    serve_module.serve(SETTINGS, "127.0.0.1", 0, workers=3)
    [(config, sockets)] = started
    assert (config.app, config.factory, config.workers) == ("api.app:create_worker_app", True, 3)
    assert (config.access_log, config.log_config, config.log_level) == (False, None, "warning")
    assert (config.http, config.loop) == ("httptools", serve_module.BALANCED_LOOP)  # uvloop, accepting by load
    # One listening socket, shared by the spawned workers (pickled to each).
    [shared] = sockets
    try:
        assert shared.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN) == 1  # connections queue from the start
        assert shared.proto == socket.IPPROTO_TCP  # asyncio then turns Nagle off on accepted connections
        assert shared.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
        [copy] = pickle.loads(ForkingPickler.dumps(sockets))  # what a spawned worker unpickles
        assert copy.getsockname() == shared.getsockname()
        copy.close()
    finally:
        shared.close()
    assert Settings() == SETTINGS  # what each worker process reads
    assert os.environ["OMP_NUM_THREADS"] == "1"  # FAISS searches on one thread in every thread of a worker


def test_the_worker_factory_and_loop_exist_where_serve_points():
    import asyncio
    import importlib

    module, name = serve_module.WORKER_FACTORY.split(":")
    assert callable(getattr(importlib.import_module(module), name))
    module, name = serve_module.BALANCED_LOOP.split(":")
    loop = getattr(importlib.import_module(module), name)()
    try:
        assert isinstance(loop, asyncio.AbstractEventLoop)
    finally:
        loop.close()
