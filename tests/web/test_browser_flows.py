"""The enterprise booth schedule, training rankers, the fair's 429 page and the sign-in lockout in real Chromium,
at phone and desk widths, with the checks of test_browser (title, no sideways scroll, axe, own host only)."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from api.web.throttle import SlidingWindowLimit
from tests.web.conftest import PASSWORD, WebEnv
from tests.web.test_browser import CHROMIUM, WIDTHS, Screen, browser, screen  # noqa: F401 - fixtures
from tests.web.test_pages import FAIR_PROFILE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="Debian's chromium is not installed at /usr/bin/chromium (scripts/setup.sh installs it)"),
]


@pytest.fixture(params=list(WIDTHS))
def demo_screen(request: pytest.FixtureRequest, browser, demo_live_url: str) -> Iterator[Screen]:  # noqa: F811
    """A screen on the demo world's app (the one with outcome events to train on)."""
    context = browser.new_context(viewport=WIDTHS[request.param], locale="zh-CN")
    shown = Screen(context.new_page(), demo_live_url, request.param)
    context.route("**/*", shown.route)
    yield shown
    context.close()
    assert shown.foreign == [], f"requests to other hosts: {shown.foreign}"


def test_employer_prints_its_own_booth_timetable(screen: Screen, fair_event: str) -> None:  # noqa: F811
    screen.sign_in("employer1")
    screen.page.click("[data-testid=my-events]")
    assert screen.page.locator(f"a[href='/employer/events/{fair_event}']").count() == 1
    screen.check("employer-events", title="招聘会面试安排")
    screen.page.click(f"a[href='/employer/events/{fair_event}']")
    rows = screen.page.locator("[data-testid=slot]")
    assert rows.count() > 0 and "数控车工" not in screen.page.inner_text("main")
    assert all(name.endswith("**") for name in screen.page.locator("[data-testid=slot-name]").all_inner_texts())
    screen.check("employer-booth-timetable", title="本单位展位面试时间表")
    screen.page.emulate_media(media="print")
    assert not screen.page.locator("button[data-print]").is_visible()  # the print stylesheet hides the controls
    assert screen.page.locator(".booth-sheet").first.evaluate("s => getComputedStyle(s).breakAfter") == "page"


def test_admin_trains_a_ranker_and_sees_its_evaluation(demo_screen: Screen) -> None:
    demo_screen.sign_in("admin")
    demo_screen.go("/admin/rankers")
    demo_screen.check("admin-rankers-train", title="排序模型")
    demo_screen.page.select_option("#train-direction", "candidates")
    demo_screen.page.click("[data-testid=train-start]")
    demo_screen.page.wait_for_function(
        "() => document.querySelector('[data-status]').dataset.status !== 'running'", timeout=240_000)
    assert demo_screen.page.locator("[data-status]").get_attribute("data-status") == "done"
    assert demo_screen.page.inner_text("[data-testid=progress-text]") == "100%"
    table = demo_screen.page.locator("[data-testid=evaluation-candidates] table")
    assert "新模型" in table.inner_text() and "规则打分" in table.inner_text()
    demo_screen.check("admin-training-done", title="训练进度")
    activate = demo_screen.page.locator("[data-testid=activate-candidates]")
    if activate.count():  # not better than the active one on the held-out queries: activate it by hand
        activate.click()
        assert "已启用" in demo_screen.page.inner_text("[role=status]")


def test_too_many_fair_applications_get_a_clear_429_page(screen: Screen, web: WebEnv,  # noqa: F811
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(web.app.state, "fair_limit", SlidingWindowLimit(1, 600, max_keys=10), raising=False)
    for attempt in range(2):
        screen.go("/fair")
        screen.page.fill("textarea[name=summary]", FAIR_PROFILE["summary"])
        screen.page.fill("input[name=hometown]", FAIR_PROFILE["hometown"])
        screen.page.click("[data-testid=match-submit]")
        card = screen.page.locator("[data-testid=job-card]").first
        card.locator("summary").click()
        card.locator("input[name=name]").fill("孙八")
        card.locator("input[name=phone]").fill(f"1370000{attempt}{'375' if screen.width == 'phone' else '128'}")
        card.locator("input[name=consent]").check()
        card.locator("[data-testid=apply-submit]").click()
    assert "每 10 分钟最多 1 次" in screen.page.inner_text("[role=alert]")
    screen.check("fair-too-many", title="提交太频繁")


def test_a_name_locked_from_one_address_says_for_how_long(screen: Screen, web: WebEnv) -> None:  # noqa: F811
    from matcher.store.accounts import create_user
    from matcher.store.models import LoginFailure, utcnow
    from matcher.store.passwords import LOCKOUT, MAX_FAILURES, set_password

    name = f"locked-{screen.width}"
    with Session(web.engine) as session:
        create_user(session, name, "admin")
        set_password(session, name, PASSWORD)
        session.add(LoginFailure(name=name, address="127.0.0.1", failures=MAX_FAILURES,
                                 last_failed_at=utcnow(), locked_until=utcnow() + LOCKOUT - timedelta(seconds=5)))
        session.commit()
    screen.sign_in(name)
    assert "已暂时锁定，请 15 分钟后再试" in screen.page.inner_text("main")
    screen.check("login-locked", title="登录")
