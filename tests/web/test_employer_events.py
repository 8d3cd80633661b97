"""/employer/events: an enterprise sees the events with interviews at its booths, and only its own booths' rows,
candidates masked unless they consented to it; another enterprise's event is a 404."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.store.models import AuditLog, Talent
from tests.web.conftest import WebEnv, csrf_of, signed_in, wait_for_run


def slots(html: str) -> list[tuple[str, str, str]]:
    """(name, phone, position) of each interview row."""
    rows = re.findall(r'data-testid="slot">(.*?)</tr>', html)
    return [(re.search(r'slot-name">([^<]*)<', r).group(1), re.search(r'slot-phone">([^<]*)<', r).group(1),
             re.findall(r"<td>([^<]*)</td>", r)[-1]) for r in rows]


@pytest.fixture(scope="module")
def e2_only_event(web: WebEnv) -> str:
    """A finished run of WS1 over J2 (郑州精工, employer E2) only."""
    staff = signed_in(web, "staff1")
    started = staff.post("/staff/bulk", data={"csrf": csrf_of(staff.get("/staff/bulk").text), "job_ids": ["J2"]})
    run_id = started.headers["location"].split("run=", 1)[1]
    wait_for_run(staff, run_id)
    return run_id


def test_each_employer_lists_the_events_with_interviews_at_its_booths(web: WebEnv, fair_event: str,
                                                                      e2_only_event: str) -> None:
    e1 = signed_in(web, "employer1").get("/employer/events").text
    e2 = signed_in(web, "employer2").get("/employer/events").text
    assert f"/employer/events/{fair_event}" in e1 and f"/employer/events/{e2_only_event}" not in e1
    assert "周口恒力电气有限公司" in e1 and "郑州精工数控有限公司" not in e1
    assert f"/employer/events/{fair_event}" in e2 and f"/employer/events/{e2_only_event}" in e2
    assert "招聘会面试安排" in signed_in(web, "employer1").get("/employer").text


def test_the_timetable_shows_only_the_own_booth_masked_until_consent(web: WebEnv, fair_event: str) -> None:
    staff_rows = slots(signed_in(web, "staff1").get(f"/staff/bulk/{fair_event}/timetable").text)
    employer = signed_in(web, "employer1")
    answer = employer.get(f"/employer/events/{fair_event}")
    assert answer.status_code == 200 and "本单位展位面试时间表" in answer.text
    mine = slots(answer.text)
    assert mine and {title for _, _, title in mine} == {"电气工程师"}  # J1 only; J2 is E2's booth
    assert len(mine) == sum(title == "电气工程师" for _, _, title in staff_rows)
    assert "数控车工" not in answer.text and "郑州精工数控有限公司" not in answer.text
    assert all(name.endswith("**") and "****" in phone for name, phone, _ in mine)
    assert ("张**", "138****5678", "电气工程师") in mine
    assert "@media print" in web.client().get("/static/site.css").text and "data-print" in answer.text
    with Session(web.engine) as session:
        via = session.scalars(select(AuditLog.detail).where(AuditLog.actor == "employer1")).all()
        assert any(d and d.get("via") == "GET /employer/events/{run_id}" for d in via)


def test_a_candidate_who_consented_to_this_employer_is_shown_in_full(web: WebEnv, fair_event: str) -> None:
    with Session(web.engine) as session:
        session.get(Talent, "T1").consented_employer_ids = ["E1"]
        session.commit()
    try:
        mine = slots(signed_in(web, "employer1").get(f"/employer/events/{fair_event}").text)
        assert ("张伟", "13812345678", "电气工程师") in mine
        assert all(n.endswith("**") for n, _, _ in mine if n != "张伟")
    finally:
        with Session(web.engine) as session:
            session.get(Talent, "T1").consented_employer_ids = []
            session.commit()


def test_another_employers_event_and_other_roles_are_refused(web: WebEnv, e2_only_event: str) -> None:
    e1 = signed_in(web, "employer1")
    assert e1.get(f"/employer/events/{e2_only_event}").status_code == 404  # E2's booth only
    assert e1.get("/employer/events/" + "0" * 32).status_code == 404
    assert e1.get("/employer/events/..%2Fsecrets").status_code == 404
    assert signed_in(web, "employer2").get(f"/employer/events/{e2_only_event}").status_code == 200
    assert signed_in(web, "seeker1").get("/employer/events").status_code == 403
    assert web.client().get("/employer/events").status_code == 303  # to sign in
