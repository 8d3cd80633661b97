"""/admin/rankers/train: training rankers from the page on the demo world, in the background, then the new
ranker's evaluation table beside the previous one's and activating it."""
from __future__ import annotations

import json
import re
import time

from fastapi.testclient import TestClient

from tests.web.conftest import WebEnv, csrf_of, signed_in


def wait_for_training(client: TestClient, location: str, timeout: float = 240) -> str:
    deadline = time.monotonic() + timeout
    while 'data-status="running"' in (html := client.get(f"{location}/progress").text):
        assert time.monotonic() < deadline, f"{location} still running after {timeout} s"
        time.sleep(0.5)
    return html


def start(client: TestClient, direction: str, seed: str = "0"):  # noqa: ANN201 - httpx Response
    token = csrf_of(client.get("/admin/rankers").text)
    return client.post("/admin/rankers/train", data={"csrf": token, "direction": direction, "seed": seed})


def test_training_from_the_page_saves_evaluates_and_activates(demo_web: WebEnv) -> None:
    admin = signed_in(demo_web, "admin")
    page = admin.get("/admin/rankers").text
    assert 'action="/admin/rankers/train"' in page and 'for="train-direction"' in page
    started = start(admin, "candidates", "7")
    assert started.status_code == 303
    location = started.headers["location"]
    assert 'data-poll="' in admin.get(location).text
    html = wait_for_training(admin, location)
    assert 'data-status="done"' in html and 'value="100"' in html, html
    training_id = location.rsplit("/", 1)[1]
    state = json.loads((demo_web.settings.data_dir / "training" / f"{training_id}.json").read_text())
    version = state["versions"]["candidates"]
    manifest = json.loads((demo_web.settings.ranker_dir / "candidates" / version / "manifest.json").read_text())
    assert manifest["params"]["random_state"] == 7  # the seed from the form reached the trainer
    ranker_ndcg = manifest["metrics"]["ranker"]["ndcg@10"]
    assert f"新模型 {version}" in html and f"{ranker_ndcg:.3f}" in html and "规则打分" in html
    # Nothing was active before: the new ranker beat "none" and serves now, in this process.
    assert demo_web.app.state.matcher.status()["rankers"]["candidates"] == version
    assert 'data-testid="in-use"' in html and "训练前没有启用模型" in html


def test_a_second_training_shows_the_previous_ranker_and_can_be_activated(demo_web: WebEnv) -> None:
    admin = signed_in(demo_web, "admin")
    before = demo_web.app.state.matcher.status()["rankers"].get("candidates")
    assert before is not None  # from the test above
    started = start(admin, "candidates", "8")
    html = wait_for_training(admin, started.headers["location"])
    version = re.search(r"新模型 (\S+)</h2>", html).group(1)
    assert f"训练前使用的模型 {before}" in html and version != before
    location = started.headers["location"]
    activate = {"csrf": csrf_of(admin.get(location).text), "direction": "candidates"}
    assert admin.post("/admin/rankers/activate", data={**activate, "version": before}).status_code == 303
    html = admin.get(location).text  # the previous ranker serves again: the page offers the new one
    assert 'data-testid="activate-candidates"' in html and 'data-testid="in-use"' not in html
    assert admin.post("/admin/rankers/activate", data={**activate, "version": version}).status_code == 303
    assert demo_web.app.state.matcher.status()["rankers"]["candidates"] == version
    assert 'data-testid="in-use"' in admin.get(location).text


def test_bad_options_and_other_roles_are_refused(demo_web: WebEnv, web: WebEnv) -> None:
    admin = signed_in(demo_web, "admin")
    assert start(admin, "sideways").status_code == 422
    assert "随机种子" in start(admin, "both", "-1").text
    assert admin.get("/admin/rankers/train/" + "0" * 32).status_code == 404
    assert signed_in(web, "staff1").get("/admin/rankers/train/" + "0" * 32).status_code == 403


class IdleMatcher:
    """Only what starting a training asks of the Matcher: which rankers are active."""

    def status(self) -> dict:
        return {"rankers": {}}


def trainer(tmp_path):  # noqa: ANN001, ANN201 - an empty database, nothing trained
    from matcher.config import Settings
    from matcher.serving.ranker_training import RankerTraining
    from matcher.store.db import make_engine, upgrade_database

    settings = Settings(data_dir=tmp_path)
    engine = make_engine(settings)
    upgrade_database(settings, engine)
    return RankerTraining(tmp_path / "training", settings.ranker_dir, IdleMatcher(), engine, follower=None)


def test_no_outcome_events_fails_with_what_to_do(tmp_path) -> None:  # noqa: ANN001
    from matcher.serving.ranker_training import NO_EVENTS
    from matcher.store.accounts import Account

    training = trainer(tmp_path)
    state = training.start(Account(id=1, name="admin", role="admin"), ["recommend"], 0)
    deadline = time.monotonic() + 30
    while (found := training.get(state.id)).status == "running":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert found.status == "failed" and found.error == NO_EVENTS and "matcher import events" in NO_EVENTS


def test_one_training_at_a_time_and_an_interrupted_one_says_so(tmp_path) -> None:  # noqa: ANN001
    from datetime import UTC, datetime

    import pytest

    from matcher.locks import FileLock
    from matcher.serving.ranker_training import INTERRUPTED, LOCK_FILE, TrainingBusy, TrainingState
    from matcher.store.accounts import Account

    training = trainer(tmp_path)
    running = TrainingState(id="a" * 32, status="running", directions=["recommend"], seed=0, created_by="admin",
                            created_at=datetime.now(UTC))
    (tmp_path / "training").mkdir()
    (tmp_path / "training" / f"{running.id}.json").write_text(running.model_dump_json())
    held = FileLock(tmp_path / "training" / LOCK_FILE)
    assert held.acquire(blocking=False)  # another process training now
    with pytest.raises(TrainingBusy):
        training.start(Account(id=1, name="admin", role="admin"), ["recommend"], 0)
    assert training.get(running.id).status == "running"
    held.release()  # ... and that process died
    assert (training.get(running.id).status, training.get(running.id).error) == ("failed", INTERRUPTED)
    assert training.get("../../etc/passwd") is None
