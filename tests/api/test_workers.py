"""Two apps over one data dir stand for two `matcher serve --workers 2` processes: writes answered by one are
seen by the other's next request, one of them executes every bulk run, and metrics name the worker."""
from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from matcher.config import Settings
from matcher.serving.bulk_runs import BulkRuns
from matcher.serving.run_state import BulkMatchParameters
from matcher.store.accounts import Account
from tests.api.conftest import FIXTURES, UserClient, seed_data_dir
from tests.doubles import char_ngram_loader

V1 = "/api/v1"
WELDER = {"name": "焊接新人", "current_title": "焊工", "skills": "氩弧焊、二保焊、压力容器焊接",
          "certificates": "焊工证", "hometown": "河南省郑州市", "education": "高中", "experience_years": 9}


@dataclass
class Workers:
    first: TestClient
    second: TestClient
    keys: dict[str, str]

    def as_(self, client: TestClient, user: str) -> UserClient:
        return UserClient(client, {"X-API-Key": self.keys[user]})


@pytest.fixture(scope="module")
def workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workers]:
    from api.app import create_app

    settings = Settings(data_dir=tmp_path_factory.mktemp("two-workers"))
    engine, keys = seed_data_dir(settings)
    engine.dispose()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("matcher.pipeline.load_encoder",
                      char_ngram_loader(settings.data_dir, "tests-api-char-ngram-v1"))
        with TestClient(create_app(settings)) as first, TestClient(create_app(settings)) as second:
            for client in (first, second):
                client.app.state.bulk_runs.workers = 1  # rank in-process: no worker pools in API tests
            yield Workers(first, second, keys)


def candidate_ids(user: UserClient, job_id: str) -> list[str]:
    response = user.get(f"{V1}/jobs/{job_id}/candidates", params={"top": 100})
    assert response.status_code == 200, response.text
    return [m["id"] for m in response.json()["matches"]]


def recommended_ids(user: UserClient, talent_id: str) -> list[str]:
    response = user.get(f"{V1}/talents/{talent_id}/recommendations", params={"top": 100})
    assert response.status_code == 200, response.text
    return [m["id"] for m in response.json()["matches"]]


def test_a_talent_written_through_one_worker_is_matched_by_the_other(workers):
    first, second = workers.as_(workers.first, "admin"), workers.as_(workers.second, "admin")
    talent_id = f"W{uuid.uuid4().hex[:8]}"
    assert talent_id not in candidate_ids(second, "J4")
    assert first.post(f"{V1}/talents", json={"talent_id": talent_id, **WELDER}).status_code == 201
    assert talent_id in candidate_ids(second, "J4")[:3]
    assert first.patch(f"{V1}/talents/{talent_id}", json={"current_title": "会计", "skills": "财务报表、纳税申报",
                                                          "certificates": "初级会计"}).status_code == 200
    # The other worker sees the accountant: no longer a candidate for the welding job (below the relevance floor),
    # and one for the accounting job instead.
    assert talent_id not in candidate_ids(second, "J4")
    assert talent_id in candidate_ids(second, "J3")
    assert first.delete(f"{V1}/talents/{talent_id}").status_code == 204
    assert talent_id not in candidate_ids(second, "J4")
    assert second.get(f"{V1}/talents/{talent_id}/recommendations").status_code == 404


def test_a_job_written_through_one_worker_is_recommended_by_the_other(workers):
    employer, admin = workers.as_(workers.first, "employer2"), workers.as_(workers.second, "admin")
    job_id = f"WJ{uuid.uuid4().hex[:8]}"
    response = employer.post(f"{V1}/jobs", json={"job_id": job_id, "title": "数控车工", "city": "郑州市",
                                                 "skills": "数控编程、车床操作", "education": "大专"})
    assert response.status_code == 201
    assert job_id in recommended_ids(admin, "T2")[:3]
    assert employer.delete(f"{V1}/jobs/{job_id}").status_code == 204
    assert job_id not in recommended_ids(admin, "T2")


def test_an_upload_through_one_worker_reaches_the_other(workers):
    first, second = workers.as_(workers.first, "admin"), workers.as_(workers.second, "admin")
    header = (FIXTURES / "talents.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    row = {column: "" for column in header} | {"人才编号": "WU1", "姓名": "上传焊工", "当前职位": "焊工",
                                               "技能": "氩弧焊、二保焊、压力容器焊接", "证书": "焊工证"}
    csv = ",".join(header) + "\n" + ",".join(row[c] for c in header) + "\n"
    response = first.post(f"{V1}/imports/talents", files={"file": ("talents.csv", csv.encode(), "text/csv")})
    assert response.status_code == 201, response.text
    assert "WU1" in candidate_ids(second, "J4")[:3]


def test_metrics_name_the_worker_and_sum_every_worker(workers):
    first, second = workers.as_(workers.first, "admin"), workers.as_(workers.second, "admin")
    route = ("GET", "/api/v1/jobs/{job_id}/candidates")
    candidate_ids(first, "J4")
    candidate_ids(second, "J4")
    workers.first.app.state.worker_metrics.publish()  # as its thread does every few seconds
    ours, theirs = second.get(f"{V1}/metrics").json(), first.get(f"{V1}/metrics").json()
    assert ours["worker"]["id"] != theirs["worker"]["id"] and ours["workers"]["count"] == 2
    per_worker = {(r["method"], r["route"]): r["count"] for r in ours["routes"]}
    summed = {(r["method"], r["route"]): r for r in ours["workers"]["routes"]}
    assert summed[route]["count"] > per_worker[route] >= 1
    assert "p99_ms" not in summed[route] and summed[route]["mean_ms"] > 0


def test_a_bulk_run_queued_with_one_worker_is_executed_by_the_other(workers):
    executing = [c for c in (workers.first, workers.second) if c.app.state.bulk_runs.executes]
    assert executing == [workers.first]  # the first to start holds the queue
    queuing, executor = workers.as_(workers.second, "staff1"), workers.as_(workers.first, "staff1")
    response = queuing.post(f"{V1}/bulk-matches", json={"top": 1, "shortlist": 1})
    assert response.status_code == 202, response.text
    run = response.json()["links"]["self"]
    deadline = time.monotonic() + 60
    while (state := queuing.get(run).json())["status"] in ("queued", "running"):
        assert time.monotonic() < deadline, state
        time.sleep(0.1)
    assert state["status"] == "done", state["error"]
    assert executor.get(run).json() == state
    assert run.rsplit("/", 1)[1] in {r["id"] for r in queuing.get(f"{V1}/bulk-matches").json()["items"]}
    assert queuing.get(state["links"]["files"]["talent_top.csv"]).status_code == 200


def test_another_process_takes_over_the_queue_when_the_executor_stops(workers, tmp_path):
    app = workers.first.app
    parts = (app.state.matcher, app.state.engine, app.state.sessions)
    first, second = (BulkRuns(tmp_path, *parts, workers=1, poll_seconds=0.05) for _ in range(2))
    first.open()
    second.open()
    try:
        assert first.executes and not second.executes
        first.close()
        deadline = time.monotonic() + 10
        while not second.executes:
            assert time.monotonic() < deadline, "the queue was not taken over"
            time.sleep(0.05)
        parameters = BulkMatchParameters(pool="talent-ids", talents=2, top=1, shortlist=1, formats=["csv"],
                                         contacts=False)
        admin = Account(0, "admin", "admin")
        run_id = second.submit(admin, parameters, ["T1", "T2"]).id
        while (state := second.get(run_id, admin)).status in ("queued", "running"):
            assert time.monotonic() < deadline + 50
            time.sleep(0.05)
        assert state.status == "done" and state.summary["talents"] == 2
    finally:
        first.close()
        second.close()


def test_only_a_serving_app_freezes_what_it_loaded_out_of_the_garbage_collector(workers, monkeypatch):
    from api.app import create_app

    frozen: list[bool] = []
    monkeypatch.setattr("api.app.gc.freeze", lambda: frozen.append(True))
    settings = workers.first.app.state.settings
    with TestClient(create_app(settings)):
        assert frozen == []  # tests start many apps in one process
    with TestClient(create_app(settings, freeze_loaded=True)):
        assert frozen == [True]
