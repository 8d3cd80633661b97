"""`matcher serve --workers 2` for real: workers forked from one loaded Matcher answer matching requests, a write
through one reaches the other, a worker killed with SIGKILL is replaced by a fork that answers (having caught up
through the change log on writes made after the fork), and SIGTERM stops everything with the indexes saved."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from matcher.config import Settings
from tests.api.conftest import seed_data_dir

V1 = "/api/v1"
ROOT = Path(__file__).resolve().parents[2]
WELDER = {"name": "焊接新人", "current_title": "焊工", "skills": "氩弧焊、二保焊、压力容器焊接",
          "certificates": "焊工证", "hometown": "河南省郑州市", "education": "高中", "experience_years": 9}
# The server process, with the test encoder the in-process API tests use (a real model is not checked in).
LAUNCHER = """
import sys
from pathlib import Path
import matcher.pipeline
from matcher.cli import configure_logging
from matcher.cli.serve import serve_preforked
from matcher.config import Settings
from tests.doubles import char_ngram_loader
data_dir, port = Path(sys.argv[1]), int(sys.argv[2])
matcher.pipeline.load_encoder = char_ngram_loader(data_dir, "tests-api-char-ngram-v1")
settings = Settings(data_dir=data_dir, log_level="INFO")
configure_logging(settings)
options = {"host": "127.0.0.1", "port": port, "access_log": False, "log_level": "info", "log_config": None,
           "http": "httptools"}
serve_preforked(settings, options, 2)
"""


@dataclass
class Server:
    process: subprocess.Popen
    url: str
    headers: dict[str, str]
    log: Path

    def workers(self) -> set[int]:
        tasks = Path(f"/proc/{self.process.pid}/task")
        return {int(pid) for task in tasks.iterdir() for pid in (task / "children").read_text().split()}

    def served_by(self, path: str, params: dict | None = None) -> tuple[httpx.Response, int]:
        """A request on a new connection, and the pid of the worker that took it (asked on that connection)."""
        with httpx.Client(base_url=self.url, headers=self.headers, timeout=30) as client:
            response = client.get(path, params=params)
            return response, client.get(f"{V1}/metrics").json()["worker"]["pid"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while not (result := condition()):
        assert time.monotonic() < deadline, what
        time.sleep(0.1)
    return result


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data_dir = tmp_path_factory.mktemp("preforked")
    settings = Settings(data_dir=data_dir)
    engine, keys = seed_data_dir(settings)
    engine.dispose()
    port, log = free_port(), data_dir / "server.log"
    # The server's process does not share this session's test settings: it is told the database (this data
    # dir's SQLite file, or the PostgreSQL database the suite made for it).
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1", "TOKENIZERS_PARALLELISM": "false",
                   "MATCHER_DATABASE_URL": settings.resolved_database_url}
    with log.open("wb") as output:
        process = subprocess.Popen([sys.executable, "-c", LAUNCHER, str(data_dir), str(port)], cwd=ROOT,
                                   env=environment, stdout=output, stderr=subprocess.STDOUT)
    running = Server(process, f"http://127.0.0.1:{port}", {"X-API-Key": keys["admin"]}, log)
    try:
        wait_for(lambda: _healthy(running), 180, "the server did not start")
        wait_for(lambda: len(running.workers()) == 2, 30, "two workers were not forked")
        yield running
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=120)


def _healthy(server: Server) -> bool:
    assert server.process.poll() is None, server.log.read_text(encoding="utf-8")
    try:
        return httpx.get(f"{server.url}{V1}/health", timeout=5).status_code == 200
    except httpx.TransportError:
        return False


def candidates_of(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [match["id"] for match in response.json()["matches"]]


def answers_from(server: Server, pid: int, path: str, seconds: float = 60) -> httpx.Response:
    """A response to ``path`` from worker ``pid`` (new connections until that worker takes one)."""
    def attempt() -> httpx.Response | None:
        response, worker = server.served_by(path, {"top": 100})
        return response if worker == pid else None
    return wait_for(attempt, seconds, f"worker {pid} never answered")


def test_both_forked_workers_answer_and_see_each_others_writes(server):
    first, second = sorted(server.workers())
    talent_id = f"P{uuid.uuid4().hex[:8]}"
    with httpx.Client(base_url=server.url, headers=server.headers, timeout=30) as client:
        assert client.post(f"{V1}/talents", json={"talent_id": talent_id, **WELDER}).status_code == 201
    for worker in (first, second):
        assert talent_id in candidates_of(answers_from(server, worker, f"{V1}/jobs/J4/candidates"))[:3]
    # The supervisor forked with no Python thread but its own (one would leave its locks held in the workers).
    log = server.log.read_text(encoding="utf-8")
    assert "started API worker" in log and "forking API workers from a process with" not in log


def test_a_killed_worker_is_replaced_by_a_fork_that_catches_up_and_answers(server):
    before = server.workers()
    victim = min(before)
    talent_id = f"K{uuid.uuid4().hex[:8]}"  # written after the fork: the replacement must catch up to match it
    with httpx.Client(base_url=server.url, headers=server.headers, timeout=30) as client:
        assert client.post(f"{V1}/talents", json={"talent_id": talent_id, **WELDER}).status_code == 201
    os.kill(victim, signal.SIGKILL)
    replacement = wait_for(lambda: (server.workers() - before) or None, 30, "no replacement was forked")
    [new_pid] = replacement
    assert server.workers() == (before - {victim}) | {new_pid}
    response = answers_from(server, new_pid, f"{V1}/jobs/J4/candidates")
    assert talent_id in candidates_of(response)[:3]
    log = server.log.read_text(encoding="utf-8")
    assert f"API worker {victim} killed by signal 9; forking a replacement" in log
    assert WELDER["name"] not in log


def test_sigterm_stops_every_worker_and_the_supervisor(server):
    workers = server.workers()
    server.process.send_signal(signal.SIGTERM)
    assert server.process.wait(timeout=120) == 0
    for pid in workers:
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]
    assert "stopping 2 API workers" in server.log.read_text(encoding="utf-8")
