"""The pages over HTTP without a browser: sign-in, CSRF, roles, the fair form, 我要应聘, imports, bulk runs."""
from __future__ import annotations

import io
import re

import openpyxl
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matcher.store.models import Event, Talent
from tests.web.conftest import PASSWORD, WebEnv, csrf_of, signed_in, wait_for_run

FAIR_PROFILE = {"summary": "电气工程师，做过PLC编程和电气设计", "hometown": "周口市商水县", "education": "本科",
                "certificates": "电工证"}


def job_titles(html: str) -> list[str]:
    return re.findall(r'data-testid="job-card">\s*<h3>([^<]+)</h3>', html)


def test_home_links_the_three_groups_and_docs_need_no_internet(web: WebEnv) -> None:
    client = web.client()
    home = client.get("/").text
    for link in ('href="/fair"', 'href="/employer"', 'href="/staff/bulk"'):
        assert link in home
    docs = client.get("/docs").text
    assert "/static/swagger/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()
    assert client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200
    assert client.get("/openapi.json").json()["info"]["title"] == "matcher"


def test_sign_in_sets_a_signed_httponly_samesite_cookie_and_needs_the_csrf_token(web: WebEnv) -> None:
    client = web.client()
    token = csrf_of(client.get("/login").text)
    assert client.post("/login", data={"username": "admin", "password": PASSWORD}).status_code == 403
    wrong = client.post("/login", data={"username": "admin", "password": "nope", "csrf": token})
    assert wrong.status_code == 401 and "用户名或密码不正确" in wrong.text
    right = client.post("/login", data={"username": "admin", "password": PASSWORD, "csrf": token,
                                        "next": "https://elsewhere.example/"})
    assert right.status_code == 303 and right.headers["location"] == "/admin/users"  # never off-site
    cookie = right.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "管理员" in client.get("/admin/users").text
    forged = web.client()
    forged.cookies.set("matcher_session", client.cookies["matcher_session"][:-2] + "xx")
    assert forged.get("/admin/users").status_code == 303  # a tampered cookie is no session


def test_pages_redirect_to_sign_in_and_refuse_other_roles(web: WebEnv) -> None:
    anonymous = web.client().get("/staff/bulk")
    assert anonymous.status_code == 303 and anonymous.headers["location"] == "/login?next=/staff/bulk"
    seeker = signed_in(web, "seeker1")
    refused = seeker.get("/staff/bulk")
    assert refused.status_code == 403 and "没有权限" in refused.text
    assert signed_in(web, "staff1").get("/staff/imports").status_code == 200  # their own register, as in the API
    assert signed_in(web, "employer1").get("/staff/imports").status_code == 403
    assert signed_in(web, "employer2").get("/employer/jobs/J1").status_code == 403  # another employer's job


def test_fair_form_shows_the_best_positions_with_reasons_and_stores_nothing(web: WebEnv) -> None:
    client = web.client()
    with Session(web.engine) as session:
        talents_before = session.scalar(select(func.count()).select_from(Talent))
    token = csrf_of(client.get("/fair").text)
    answer = client.post("/fair", data={"csrf": token, **FAIR_PROFILE})
    assert answer.status_code == 200
    assert job_titles(answer.text)[0] == "电气工程师"
    assert "与岗位所在地同县" in answer.text and "★★★★☆" in answer.text
    with Session(web.engine) as session:
        assert session.scalar(select(func.count()).select_from(Talent)) == talents_before


def test_fair_event_offers_only_its_positions_and_a_booth_only_its_own(web: WebEnv, fair_event: str) -> None:
    client = web.client()
    token = csrf_of(client.get(f"/fair/{fair_event}").text)
    everything = job_titles(client.post(f"/fair/{fair_event}", data={"csrf": token, **FAIR_PROFILE}).text)
    assert everything == ["电气工程师"]  # J3 会计 and J4 焊工 are not at this fair; J2 数控车工 does not fit
    booth = client.post(f"/fair/{fair_event}?booth=E2", data={"csrf": token, **FAIR_PROFILE}).text
    assert job_titles(booth) == [] and "暂无合适岗位" in booth and "「数控车工」" in booth  # E2's post, and its gaps
    assert client.get("/fair/0123456789abcdef0123456789abcdef").status_code == 404


def test_qr_code_and_poster(web: WebEnv, fair_event: str) -> None:
    client = web.client()
    svg = client.get(f"/fair/{fair_event}/qr.svg?booth=E1")
    assert svg.headers["content-type"] == "image/svg+xml" and svg.text.startswith("<svg")
    poster = client.get(f"/fair/{fair_event}/poster").text
    assert "河南驻深圳人才工作站招聘会" in poster
    assert f"/fair/{fair_event}/qr.svg?booth=E1" in poster and f"/fair/{fair_event}/qr.svg?booth=E2" in poster


def test_apply_stores_a_profile_the_application_and_consent_for_that_employer_only(web: WebEnv) -> None:
    client = web.client()
    token = csrf_of(client.get("/fair").text)
    form = {"csrf": token, **FAIR_PROFILE, "job_id": "J1", "name": "赵六", "phone": "13655556666"}
    refused = client.post("/fair/apply", data=form)  # consent not ticked
    assert refused.status_code == 422 and "不勾选就不会保存任何信息" in refused.text
    with Session(web.engine) as session:
        assert session.scalar(select(Talent).where(Talent.phone == "13655556666")) is None
    assert client.post("/fair/apply", data={**form, "consent": "yes"}).status_code == 200
    assert client.post("/fair/apply", data={**form, "job_id": "J2", "consent": "yes"}).status_code == 200
    with Session(web.engine) as session:
        talents = session.scalars(select(Talent).where(Talent.phone == "13655556666")).all()
        assert len(talents) == 1  # the second application reused the visitor's profile
        assert talents[0].consented_employer_ids == ["E1", "E2"] and talents[0].hometown_county_code == "411623"
        events = session.scalars(select(Event).where(Event.talent_id == talents[0].talent_id))
        kinds = {(e.job_id, e.kind) for e in events}
        assert kinds == {("J1", "applied"), ("J2", "applied")}


def test_import_preview_marks_bad_cells_and_confirm_imports(web: WebEnv) -> None:
    admin = signed_in(web, "admin")
    token = csrf_of(admin.get("/staff/imports").text)
    bad = "人才编号,姓名,手机号,籍贯\nW1,钱七,12345,河南省周口市\nW2,孙八,13511112222,河南省洛阳市\n"
    preview = admin.post("/staff/imports", data={"csrf": token, "kind": "talents"},
                         files={"file": ("register.csv", bad.encode(), "text/csv")}).text
    assert 'data-testid="import-preview"' in preview and 'class="bad"' in preview
    assert "row 2" in preview and "手机号" in preview and 'data-testid="import-confirm" disabled' in preview
    good = bad.replace("12345", "13533334444")
    preview = admin.post("/staff/imports", data={"csrf": token, "kind": "talents"},
                         files={"file": ("register.csv", good.encode(), "text/csv")}).text
    assert "没有发现错误" in preview and "135****2222" in preview and "13511112222" not in preview
    upload_token = re.search(r'name="token" value="([0-9a-f]+)"', preview).group(1)
    done = admin.post("/staff/imports/confirm", data={"csrf": token, "kind": "talents", "token": upload_token})
    assert "新增 2" in done.text
    with Session(web.engine) as session:
        assert session.get(Talent, "W2").hometown_city_code == "410300"


def test_staff_preview_a_register_without_ids_with_counts_and_doubtful_cells(web: WebEnv) -> None:
    """The store's dry run behind the page: ids derived from who people are, unknown places shown in yellow."""
    staff = signed_in(web, "staff1")
    token = csrf_of(staff.get("/staff/imports").text)
    sheet = "姓名,手机号,籍贯\n周九,13522223333,火星基地\n吴十,13544445555,河南省周口市\n"
    preview = staff.post("/staff/imports", data={"csrf": token, "kind": "talents"},
                         files={"file": ("本站登记.csv", sheet.encode(), "text/csv")}).text
    assert "将新增 2 条" in preview and 'class="doubt"' in preview and "火星基地" in preview
    assert 'data-testid="import-confirm" disabled' not in preview and "13522223333" not in preview


def test_bulk_run_reaches_100_percent_and_its_workbook_opens(web: WebEnv, fair_event: str) -> None:
    staff = signed_in(web, "staff1")
    html = wait_for_run(staff, fair_event)
    assert 'value="100"' in html and "100%" in html
    workbook = staff.get(f"/staff/bulk/{fair_event}/files/matches.xlsx")
    assert workbook.status_code == 200
    assert "岗位推荐名单" in openpyxl.load_workbook(io.BytesIO(workbook.content)).sheetnames
    assert signed_in(web, "staff2").get(f"/staff/bulk?run={fair_event}").status_code == 404  # not theirs


def test_employer_sees_candidates_masked_until_consent(web: WebEnv) -> None:
    html = signed_in(web, "employer1").get("/employer/jobs/J1").text
    assert "138****5678" in html and "13812345678" not in html  # T1 gave no consent to E1
    assert "未授权" in html and 'data-testid="reason"' in html


def test_seeker_sees_how_fields_were_understood_withdraws_consent_and_downloads(web: WebEnv) -> None:
    with Session(web.engine) as session:
        session.get(Talent, "T1").consented_employer_ids = ["E2"]
        session.commit()
    seeker = signed_in(web, "seeker1")
    html = seeker.get("/me").text
    assert re.search(r'data-testid="understood-hometown">系统理解为：周口市商水县<', html)
    assert "郑州精工数控有限公司" in html and 'data-testid="job-card"' in html
    data = seeker.get("/me/data.json")
    assert data.json()["phone"] == "13812345678" and "attachment" in data.headers["content-disposition"]
    token = csrf_of(html)
    assert seeker.post("/me/consent/withdraw", data={"csrf": token, "employer_id": "E2"}).status_code == 303
    with Session(web.engine) as session:
        assert session.get(Talent, "T1").consented_employer_ids == []


def test_login_page_locks_a_name_from_one_address_and_not_from_another(web: WebEnv) -> None:
    from matcher.store.accounts import create_user
    from matcher.store.models import LoginFailure, utcnow
    from matcher.store.passwords import MAX_FAILURES, set_password

    with Session(web.engine) as session:
        create_user(session, "lock-me", "admin")
        set_password(session, "lock-me", PASSWORD)
        session.add(LoginFailure(name="lock-me", address="10.0.0.66", failures=MAX_FAILURES - 1,
                                 last_failed_at=utcnow()))  # the failures before, spaced past the name's wait
        session.commit()
    attacker = TestClient(web.app, follow_redirects=False, client=("10.0.0.66", 40000))
    token = csrf_of(attacker.get("/login").text)
    attacker.post("/login", data={"username": "lock-me", "password": "guess", "csrf": token})
    locked = attacker.post("/login", data={"username": "lock-me", "password": PASSWORD, "csrf": token})
    assert locked.status_code == 401 and "已暂时锁定" in locked.text and "15 分钟" in locked.text
    owner = TestClient(web.app, follow_redirects=False, client=("10.0.0.7", 40000))
    token = csrf_of(owner.get("/login").text)
    assert owner.post("/login", data={"username": "lock-me", "password": PASSWORD, "csrf": token}).status_code == 303


def test_login_page_says_how_long_to_wait_after_failures_on_a_name(web: WebEnv) -> None:
    from datetime import timedelta

    from matcher.store.accounts import create_user
    from matcher.store.models import User, utcnow
    from matcher.store.passwords import set_password

    with Session(web.engine) as session:
        create_user(session, "slow-me", "admin")
        set_password(session, "slow-me", PASSWORD)
        session.scalar(select(User).where(User.name == "slow-me")).locked_until = utcnow() + timedelta(seconds=20)
        session.commit()
    client = web.client()
    token = csrf_of(client.get("/login").text)
    waited = client.post("/login", data={"username": "slow-me", "password": PASSWORD, "csrf": token})
    assert waited.status_code == 401 and re.search(r"请 (19|20) 秒后再试", waited.text)


def test_employer_invites_a_candidate_to_interview_and_it_is_recorded(web: WebEnv) -> None:
    employer = signed_in(web, "employer1")
    page = employer.get("/employer/jobs/J1").text  # shows T1 as a candidate (audited: now known to E1)
    answer = employer.post("/employer/jobs/J1/invite", data={"csrf": csrf_of(page), "talent_id": "T1"})
    assert answer.status_code == 303 and "已发出面试邀请" in employer.get(answer.headers["location"]).text
    with Session(web.engine) as session:
        invited = session.scalars(select(Event).where(Event.talent_id == "T1", Event.source == "invitation")).all()
        assert [(e.job_id, e.kind) for e in invited] == [("J1", "interviewed")]
    assert "邀请您面试" in signed_in(web, "seeker1").get("/me").text  # visible to the seeker
    other = signed_in(web, "employer2")
    refused = other.post("/employer/jobs/J1/invite", data={"csrf": csrf_of(other.get("/employer").text),
                                                           "talent_id": "T1"})
    assert refused.status_code == 403  # not their job


def test_staff_browse_their_own_talents_with_filters(web: WebEnv) -> None:
    staff = signed_in(web, "staff1")
    everyone = staff.get("/staff/talents").text
    assert "张伟" in everyone and "13812345678" in everyone  # their own workstation: in full
    assert "王芳" not in everyone  # T3 belongs to WS2
    county = staff.get("/staff/talents", params={"region": "商水县"}).text
    assert county.count('data-testid="talent-row"') >= 1 and "李娜" not in county  # 李娜 is from 洛阳
    assert staff.get("/staff/talents", params={"region": "不存在的地方"}).status_code == 422


def test_no_match_says_so_and_what_to_add() -> None:
    from api.web.fair import EDUCATION_CHOICES, FAIR_FIELDS, HINTS
    from api.web.pages import TEMPLATES

    html = TEMPLATES.get_template("fair/form.html").render(
        title="找岗位", event=None, booth=None, booth_name=None, draft={}, fields=FAIR_FIELDS, hints=HINTS,
        education_choices=EDUCATION_CHOICES, action="/fair", matches=[], missing=["证书", "期望薪资"],
        csrf="t", csrf_field="csrf", account=None)
    assert 'data-testid="no-match"' in html and "暂无合适岗位" in html and "证书、期望薪资" in html
    assert 'data-testid="job-card"' not in html


def test_employer_posts_and_edits_a_position_and_sees_the_reading(web: WebEnv) -> None:
    employer = signed_in(web, "employer1")
    assert employer.get("/employer/reading", params={"kind": "salary", "text": "6千到8千"}).status_code == 200
    assert employer.get("/employer/reading", params={"kind": "salary", "text": "8000-12000元/月"}).text == \
        "每月 8000–12000 元"
    token = csrf_of(employer.get("/employer/jobs/new").text)
    saved = employer.post("/employer/jobs/new", data={"csrf": token, "title": "电工", "city": "周口市",
                                                      "salary": "5000-7000元/月", "certificates": "电工证"})
    assert saved.status_code == 303
    job_id = saved.headers["location"].split("saved=", 1)[1]
    assert job_id.startswith("E1-") and "电工" in employer.get("/employer").text
    edited = employer.post(f"/employer/jobs/{job_id}/edit", data={"csrf": token, "title": "电工", "city": "周口市",
                                                                   "salary": "6000-8000元/月"})
    assert edited.status_code == 303
    from matcher.store.models import Job
    with Session(web.engine) as session:
        job = session.get(Job, job_id)
        assert (job.employer_id, job.salary_min, job.salary_max) == ("E1", 6000, 8000)
    other = signed_in(web, "employer2")
    assert other.get(f"/employer/jobs/{job_id}/edit").status_code == 403


def test_timetable_lists_each_booth_in_queue_order(web: WebEnv, fair_event: str) -> None:
    staff = signed_in(web, "staff1")
    html = staff.get(f"/staff/bulk/{fair_event}/timetable").text
    booths = re.findall(r'<h2 id="booth-\d+">([^<]+)</h2>', html)
    assert set(booths) <= {"周口恒力电气有限公司", "郑州精工数控有限公司"} and booths
    assert "张伟" in html and "13812345678" in html  # staff1's own talent: in full, as in the candidates route
    assert signed_in(web, "staff2").get(f"/staff/bulk/{fair_event}/timetable").status_code == 404


def test_admin_catalogue_lookup_and_audit_trail(web: WebEnv) -> None:
    admin = signed_in(web, "admin")
    found = admin.get("/admin/catalogs", params={"kind": "region", "text": "周口市商水县"}).text
    assert "系统理解为：河南省周口市商水县" in found and "411623" in found
    signed_in(web, "employer1").get("/employer/jobs/J1")  # employer1 is shown T1 as a candidate: audited
    trail = admin.get("/admin/audit", params={"kind": "talent", "subject": "T1"}).text
    assert "employer1" in trail and "search" in trail
