"""A write that waits out the database's lock answers 503 with Retry-After, never a 500."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from api.problems import install_problem_handlers


def _app_writing_to(database: Path) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    engine = create_engine(f"sqlite:///{database}", connect_args={"timeout": 0.1}, hide_parameters=True)

    @app.post("/write")
    def write() -> dict[str, str]:
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO t (phone) VALUES (:phone)"), {"phone": "13812345678"})
        return {"status": "written"}

    return app


def test_a_write_blocked_by_a_held_lock_is_a_503_with_retry_after(tmp_path, caplog):
    database = tmp_path / "busy.sqlite"
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("CREATE TABLE t (phone TEXT)")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with TestClient(_app_writing_to(database)) as client:
            response = client.post("/write")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"].isdigit()
    assert response.headers["content-type"] == "application/problem+json"
    assert "busy" in response.json()["detail"]
    assert "13812345678" not in caplog.text


def test_the_handler_is_for_operational_errors_only(tmp_path):
    """A lost database is retryable too; a programming error stays a 500."""
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/gone")
    def gone() -> None:
        raise OperationalError("SELECT 1", {}, sqlite3.OperationalError("unable to open database file"))

    @app.get("/bug")
    def bug() -> None:
        raise ValueError("a defect")

    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/gone").status_code == 503
        assert client.get("/bug").status_code == 500
