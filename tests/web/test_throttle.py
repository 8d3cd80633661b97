"""The fair's abuse limit: the sliding-window count (known answers on a fake clock, bounded memory) and the
429 page "我要应聘" answers past it, per client address and per event."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.web.throttle import SlidingWindowLimit
from tests.web.conftest import WebEnv, csrf_of
from tests.web.test_pages import FAIR_PROFILE


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_window_slides_hit_by_hit() -> None:
    clock = Clock()
    limit = SlidingWindowLimit(3, 600, max_keys=10, clock=clock)
    for at in (0, 100, 200):
        clock.now = 1000 + at
        assert limit.wait_seconds("a") == 0
        limit.record("a")
    clock.now = 1300
    assert limit.wait_seconds("a") == 300  # the hit at 1000 leaves the window at 1600
    assert limit.wait_seconds("b") == 0  # another key has its own count
    clock.now = 1600
    assert limit.wait_seconds("a") == 0
    limit.record("a")
    clock.now = 1650
    assert limit.wait_seconds("a") == 50  # the hit at 1100 is now the oldest of three


def test_memory_is_bounded_and_the_least_recently_used_key_goes_first() -> None:
    clock = Clock()
    limit = SlidingWindowLimit(2, 600, max_keys=3, clock=clock)
    for key in ("a", "b", "c"):
        limit.record(key)
        limit.record(key)
    limit.record("a")  # a is used again: b is now the least recent
    limit.record("d")
    assert len(limit) == 3
    assert limit.wait_seconds("b") == 0  # forgotten
    assert limit.wait_seconds("a") > 0 and limit.wait_seconds("c") > 0
    for n in range(10_000):
        limit.record(f"flood-{n}")
    assert len(limit) == 3 and all(len(hits) <= 2 for hits in limit._hits.values())


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        SlidingWindowLimit(0, 600, 10)


def _apply(client: TestClient, path: str, phone: str):  # noqa: ANN202 - httpx Response
    token = csrf_of(client.get("/fair").text)
    return client.post(path, data={"csrf": token, **FAIR_PROFILE, "job_id": "J1", "name": "钱七", "phone": phone,
                                   "consent": "yes"})


def test_fair_applications_past_the_limit_get_a_429_page_per_address_and_event(
        web: WebEnv, fair_event: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(web.app.state, "fair_limit", SlidingWindowLimit(2, 600, max_keys=100), raising=False)
    visitor = TestClient(web.app, follow_redirects=False, client=("10.2.0.1", 40000))
    assert [_apply(visitor, "/fair/apply", f"1365555000{n}").status_code for n in range(2)] == [200, 200]
    refused = _apply(visitor, "/fair/apply", "13655550009")
    assert refused.status_code == 429 and "提交太频繁" in refused.text and "每 10 分钟最多 2 次" in refused.text
    assert 0 < int(refused.headers["Retry-After"]) <= 600
    assert _apply(visitor, f"/fair/{fair_event}/apply", "13655550008").status_code == 200  # another event
    other = TestClient(web.app, follow_redirects=False, client=("10.2.0.2", 40000))
    assert _apply(other, "/fair/apply", "13655550007").status_code == 200  # another address


def test_the_limit_is_made_from_the_settings(web: WebEnv, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(web.app.state, "fair_limit", None, raising=False)
    visitor = TestClient(web.app, follow_redirects=False, client=("10.2.0.3", 40000))
    assert _apply(visitor, "/fair/apply", "13655550006").status_code == 200
    made = web.app.state.fair_limit
    assert (made.limit, made.window, made.max_keys) == (web.settings.fair_applications_per_window,
                                                       web.settings.fair_application_window_minutes * 60,
                                                       web.settings.fair_limit_clients)
