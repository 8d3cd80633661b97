"""The pages in real Chromium (Debian's, through Playwright), one test per flow, at phone and desk widths.

Every test asserts what a person sees, that the page needs no horizontal scrolling, that axe-core finds no
serious or critical accessibility violation (run at phone width, where layout is tightest: running it again at
desk width doubled the tests' time), and that the browser asked no host but the app's own.
Screenshots go to test-artefacts/web/ (not committed).
"""
from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import openpyxl
import pytest

from tests.web.conftest import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="Debian's chromium is not installed at /usr/bin/chromium (scripts/setup.sh installs it)"),
]
playwright_api = pytest.importorskip("playwright.sync_api",
                                     reason="playwright is not installed (pip install playwright)")

AXE = Path(__file__).parent / "assets" / "axe.min.js"
ARTEFACTS = Path(__file__).resolve().parents[2] / "test-artefacts" / "web"
WIDTHS = {"phone": {"width": 375, "height": 812}, "desk": {"width": 1280, "height": 900}}
BLOCKING_IMPACTS = ("serious", "critical")
AXE_WIDTH = "phone"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture(params=list(WIDTHS))
def screen(request: pytest.FixtureRequest, browser, live_url: str) -> Iterator[Screen]:
    context = browser.new_context(viewport=WIDTHS[request.param], accept_downloads=True, locale="zh-CN")
    screen = Screen(context.new_page(), live_url, request.param)
    context.route("**/*", screen.route)
    yield screen
    context.close()
    assert screen.foreign == [], f"requests to other hosts: {screen.foreign}"


class Screen:
    """A page at one width that records (and refuses) every request to a host other than the app's."""

    def __init__(self, page, base: str, width: str) -> None:  # noqa: ANN001 - playwright's Page
        self.page, self.base, self.width = page, base, width
        self.own = urlsplit(base).netloc
        self.foreign: list[str] = []

    def route(self, route, request) -> None:  # noqa: ANN001
        if urlsplit(request.url).netloc == self.own or request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.foreign.append(request.url)
            route.abort()

    def go(self, path: str) -> None:
        self.page.goto(self.base + path)

    def sign_in(self, user: str) -> None:
        self.go("/login")
        self.page.fill("input[name=username]", user)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("[data-testid=login-submit]")
        self.page.wait_for_load_state()

    def check(self, name: str, *, title: str) -> None:
        """Screenshot, title, no horizontal scroll, no serious or critical axe violation."""
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTEFACTS / f"{name}-{self.width}.png"), full_page=True)
        assert title in self.page.title()
        overflow = self.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {self.width} width"
        if self.width != AXE_WIDTH:
            return
        self.page.add_script_tag(path=str(AXE))
        violations = self.page.evaluate("axe.run(document).then(r => r.violations.map("
                                        "v => ({id: v.id, impact: v.impact, nodes: v.nodes.length})))")
        blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
        assert blocking == [], f"{name}: {blocking}"


def test_home_links_the_three_groups(screen: Screen) -> None:
    screen.go("/")
    links = screen.page.locator("ul.groups a")
    assert [links.nth(i).get_attribute("href") for i in range(3)] == ["/fair", "/employer", "/staff/bulk"]
    screen.check("home", title="首页")


def test_docs_render_with_no_internet(browser, live_url: str) -> None:
    """Swagger UI from the package's own files (desk only: Swagger UI is not ours to lay out for phones)."""
    context = browser.new_context(viewport=WIDTHS["desk"])
    screen = Screen(context.new_page(), live_url, "desk")
    context.route("**/*", screen.route)
    screen.go("/docs")
    screen.page.wait_for_selector(".swagger-ui .info .title", timeout=30000)
    assert "matcher" in screen.page.inner_text(".swagger-ui .info .title")
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    screen.page.screenshot(path=str(ARTEFACTS / "docs-desk.png"))
    context.close()
    assert screen.foreign == [], f"requests to other hosts: {screen.foreign}"


def test_fair_seeker_finds_positions_and_applies(screen: Screen, fair_event: str) -> None:
    screen.go(f"/fair/{fair_event}")
    screen.check("fair-form", title="找岗位")
    screen.page.fill("textarea[name=summary]", "做过电气工程师，会PLC编程和电气设计")
    screen.page.fill("input[name=hometown]", "周口市商水县")
    screen.page.select_option("select[name=education]", "本科")
    screen.page.fill("input[name=certificates]", "电工证")
    screen.page.click("[data-testid=match-submit]")
    cards = screen.page.locator("[data-testid=job-card]")
    assert cards.count() == 1  # of the event's two positions, the one that fits (数控车工 does not)
    first = cards.first
    assert first.locator("h3").inner_text() == "电气工程师"
    assert "周口恒力电气有限公司" in first.inner_text() and "8000-12000元/月" in first.inner_text()
    assert first.locator("[data-testid=reason]").count() >= 3
    screen.check("fair-results", title="找岗位")
    first.locator("summary").click()
    first.locator("input[name=name]").fill("周九")
    first.locator("input[name=phone]").fill("1370000" + ("3751" if screen.width == "phone" else "1280"))
    first.locator("input[name=consent]").check()
    first.locator("[data-testid=apply-submit]").click()
    assert "只有这家单位能看到您的姓名和手机号" in screen.page.inner_text("[data-testid=applied]")
    screen.check("fair-applied", title="应聘结果")
    screen.go(f"/fair/{fair_event}/poster")
    assert screen.page.locator("img.poster-qr").evaluate("img => img.naturalWidth") > 0
    screen.check("fair-poster", title="海报")


def test_staff_import_preview_then_confirm(screen: Screen, tmp_path: Path) -> None:
    screen.sign_in("admin")
    screen.go("/staff/imports")
    screen.check("import-form", title="导入名册")
    register = tmp_path / "register.csv"
    prefix = f"B{screen.width}"
    register.write_text(f"人才编号,姓名,手机号,籍贯\n{prefix}1,吴十,123,河南省周口市\n", encoding="utf-8")
    screen.page.set_input_files("input[type=file][name=file]", str(register))
    screen.page.click("[data-testid=import-upload]")
    preview = screen.page.locator("[data-testid=import-preview]")
    assert "1 处错误" in preview.inner_text() and preview.locator("td.bad").count() == 1
    assert screen.page.locator("[data-testid=import-confirm]").is_disabled()
    screen.check("import-preview-errors", title="导入预览")
    register.write_text(f"人才编号,姓名,手机号,籍贯\n{prefix}1,吴十,13712345678,河南省周口市\n", encoding="utf-8")
    screen.page.set_input_files("input[type=file][name=file]", str(register))
    screen.page.click("[data-testid=import-upload]")
    screen.page.click("[data-testid=import-confirm]")
    assert "新增 1" in screen.page.inner_text("[data-testid=import-done]")
    screen.check("import-done", title="导入结果")


def test_staff_bulk_progress_reaches_100_and_downloads(screen: Screen) -> None:
    screen.sign_in("staff1")
    screen.go("/staff/bulk")
    screen.check("bulk-form", title="批量匹配")
    screen.page.locator("input[name=job_ids]").first.check()
    screen.page.click("[data-testid=bulk-start]")
    assert "/staff/bulk?run=" in screen.page.url  # the hooks (start, progress, downloads) live on /staff/bulk
    progress = screen.page.locator("[data-testid=progress]")
    screen.page.wait_for_function(
        "() => document.querySelector('[data-testid=progress]').getAttribute('value') === '100'", timeout=60000)
    assert progress.get_attribute("value") == "100"
    assert screen.page.inner_text("[data-testid=progress-text]") == "100%"
    with screen.page.expect_download() as download:
        screen.page.locator("a[href$='/files/matches.xlsx']").click()
    workbook = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert "岗位推荐名单" in workbook.sheetnames
    screen.check("bulk-done", title="批量匹配进度")
    screen.page.click("[data-testid=timetable]")
    assert screen.page.locator("[data-testid=slot]").count() > 0
    screen.check("bulk-timetable", title="面试时间表")


def test_employer_sees_masked_candidates_with_reasons(screen: Screen) -> None:
    screen.sign_in("employer1")
    screen.check("employer-positions", title="我的岗位")
    screen.page.click("a[href='/employer/jobs/J1']")
    phones = screen.page.locator("[data-testid=phone]").all_inner_texts()
    assert "138****5678" in phones and "13812345678" not in phones
    assert screen.page.locator("[data-testid=candidate] [data-testid=reason]").count() > 0
    screen.check("employer-candidates", title="候选人")
    screen.go("/employer/jobs/new")
    screen.page.fill("#job-salary", "8000-12000元/月")
    screen.page.fill("#job-certificates", "高级电工")
    screen.page.wait_for_function("() => document.querySelector('[data-testid=reading-certificates]').textContent")
    assert screen.page.inner_text("[data-testid=reading-salary]") == "系统理解为：每月 8000–12000 元"
    assert "三级/高级工" in screen.page.inner_text("[data-testid=reading-certificates]")
    screen.check("employer-new-job", title="发布岗位")


def test_seeker_account_shows_how_the_profile_was_understood(screen: Screen) -> None:
    screen.sign_in("seeker1")
    assert screen.page.url.endswith("/me")
    assert screen.page.inner_text("[data-testid=understood-hometown]") == "系统理解为：周口市商水县"
    assert screen.page.locator("[data-testid=job-card] [data-testid=reason]").count() > 0
    screen.check("seeker-account", title="我的账号")


def test_admin_sets_a_password_on_the_users_page(screen: Screen) -> None:
    screen.sign_in("admin")
    assert screen.page.url.endswith("/admin/users")
    assert "employer1" in screen.page.inner_text("table")
    screen.page.select_option("#pw-name", "employer2")
    screen.page.fill("#pw-password", PASSWORD)  # the same password again: other tests sign in with it
    screen.page.click("text=保存密码")
    assert "密码已设置" in screen.page.inner_text("[role=status]")
    screen.check("admin-users", title="用户与角色")
