"""One app per test session for the pages: the API tests' data dir, with passwords for people.

The browser tests serve the same app over HTTP from a thread (uvicorn), so Chromium talks to a real server.
"""
from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from matcher.config import Settings
from matcher.store.passwords import set_password
from tests.api.conftest import USERS, seed_data_dir
from tests.doubles import char_ngram_loader

PASSWORD = "fair-2026-pass"
"""Every test user's password."""
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class WebEnv:
    app: object
    settings: Settings
    engine: object
    keys: dict[str, str]

    def client(self) -> TestClient:
        """A fresh browser-like client (its own cookies) on the shared app."""
        return TestClient(self.app, follow_redirects=False)  # type: ignore[arg-type]


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def signed_in(env: WebEnv, user: str) -> TestClient:
    client = env.client()
    token = csrf_of(client.get("/login").text)
    answer = client.post("/login", data={"username": user, "password": PASSWORD, "csrf": token})
    assert answer.status_code == 303, answer.text
    return client


@pytest.fixture(scope="session")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebEnv]:
    from api.app import create_app

    settings = Settings(data_dir=tmp_path_factory.mktemp("web-data"), max_upload_mb=0.05)
    engine, keys = seed_data_dir(settings)
    with Session(engine) as session:
        for name in USERS:
            set_password(session, name, PASSWORD)
        session.commit()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("matcher.pipeline.load_encoder",
                      char_ngram_loader(settings.data_dir, "tests-web-char-ngram-v1"))
        app = create_app(settings)
        with TestClient(app):  # runs the lifespan: database, Matcher, bulk runs
            app.state.bulk_runs.workers = 1  # batches ranked in this process: no worker processes in tests
            yield WebEnv(app, settings, engine, keys)
    engine.dispose()


def wait_for_run(client: TestClient, run_id: str, timeout: float = 60) -> str:
    """The progress partial's HTML once the run is done (or failed)."""
    deadline = time.monotonic() + timeout
    while 'data-status="done"' not in (html := client.get(f"/staff/bulk/{run_id}/progress").text):
        assert 'data-status="failed"' not in html, html
        assert time.monotonic() < deadline, f"run {run_id} not done after {timeout} s"
        time.sleep(0.2)
    return html


@pytest.fixture(scope="session")
def fair_event(web: WebEnv) -> str:
    """A finished bulk run of WS1 over J1 and J2 only: the job fair /fair/{id} (J3 and J4 are not at it)."""
    staff = signed_in(web, "staff1")
    token = csrf_of(staff.get("/staff/bulk").text)
    started = staff.post("/staff/bulk", data={"csrf": token, "job_ids": ["J1", "J2"]})
    assert started.status_code == 303, started.text
    run_id = started.headers["location"].split("run=", 1)[1]
    wait_for_run(staff, run_id)
    return run_id


@contextmanager
def served(app: object) -> Iterator[str]:
    """``app`` (its lifespan already run) served over HTTP on a free local port, from a thread."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off",  # type: ignore[arg-type]
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def live_url(web: WebEnv) -> Iterator[str]:
    """The session's app served over HTTP on a free local port (its lifespan already ran)."""
    with served(web.app) as url:
        yield url


DEMO_TALENTS, DEMO_JOBS, DEMO_SEED = 300, 30, 3
"""A demo world just big enough for held-out queries in both directions (matcher demo generate)."""


@pytest.fixture(scope="session")
def demo_web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebEnv]:
    """An app over a tiny generated demo world (with outcome events, so rankers can be trained) and an admin."""
    from api.app import create_app
    from matcher.bootstrap import demo_files, import_files
    from matcher.store.accounts import create_user
    from matcher.store.db import make_engine

    settings = Settings(data_dir=tmp_path_factory.mktemp("web-demo"))
    import_files(settings, demo_files(settings, DEMO_TALENTS, DEMO_JOBS, DEMO_SEED))
    engine = make_engine(settings)
    with Session(engine) as session:
        _, key = create_user(session, "admin", "admin")
        set_password(session, "admin", PASSWORD)
        session.commit()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("matcher.pipeline.load_encoder",
                      char_ngram_loader(settings.data_dir, "tests-web-demo-char-ngram-v1"))
        app = create_app(settings)
        with TestClient(app):
            yield WebEnv(app, settings, engine, {"admin": key})
    engine.dispose()


@pytest.fixture(scope="session")
def demo_live_url(demo_web: WebEnv) -> Iterator[str]:
    with served(demo_web.app) as url:
        yield url
