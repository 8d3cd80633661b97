"""我要应聘 at a fair: store the visitor's profile (once), the application, and consent for that employer only.

The same record checks as an import row and ``POST /talents`` (matcher.store.records), the same event
store as ``POST /events``. The profile's id stays in the visitor's session, so a second application adds
to the same profile's consent instead of making another profile.
"""
from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from fastapi import Request
from sqlalchemy.orm import Session

from api.web.fair_events import FairEvent
from api.web.sessions import web_session
from matcher.follower import ChangeFollower
from matcher.pipeline import Matcher
from matcher.store.events import record_event
from matcher.store.records import RecordInvalid, create_record, get_record, update_record

FAIR_TALENT_PREFIX = "FAIR-"
ISSUE_LABELS = {"name": "姓名", "phone": "手机号", "summary": "我会做什么", "hometown": "籍贯", "education": "学历",
                "certificates": "证书", "expected_salary": "期望薪资", "intent_cities": "想去哪里工作"}


@dataclass(frozen=True)
class Application:
    ok: bool
    job_title: str = ""
    employer: str = ""
    errors: tuple[str, ...] = ()


def apply_at_fair(request: Request, session: Session, matcher: Matcher, follower: ChangeFollower,
                  form: Mapping[str, object], draft: Mapping[str, str], event: FairEvent | None) -> Application:
    job_id = str(form.get("job_id", ""))
    job = matcher.job_fields([job_id], ("employer_id", "employer", "title")).get(job_id)
    if job is None or (event is not None and event.job_ids is not None and job_id not in event.job_ids):
        return Application(False, errors=("这个岗位不在本次招聘会，请返回重新查找",))
    if not job.get("employer_id"):
        return Application(False, job["title"], job["employer"], ("这个岗位没有登记用人单位编号，请到展位现场报名",))
    if form.get("consent") != "yes":
        return Application(False, job["title"], job["employer"],
                           ("请勾选同意，把您的姓名和电话给这家单位；不勾选就不会保存任何信息",))
    try:
        talent_id = _save_profile(request, session, form, draft, event, job["employer_id"])
        record_event(session, {"talent_id": talent_id, "job_id": job_id, "kind": "applied", "source": "fair"})
    except RecordInvalid as error:
        session.rollback()
        return Application(False, job["title"], job["employer"], tuple(
            f"{ISSUE_LABELS.get(i.column, i.column)}：应为{i.expected}" for i in error.issues))
    session.commit()
    web_session(request).remember_talent(talent_id)
    follower.catch_up(matcher)  # the new profile is matched like any other from now on
    return Application(True, job["title"], job["employer"])


def _save_profile(request: Request, session: Session, form: Mapping[str, object], draft: Mapping[str, str],
                  event: FairEvent | None, employer_id: str) -> str:
    """The visitor's earlier profile with this employer added to its consent, or a new one."""
    fields = {k: v for k, v in draft.items() if v}
    fields.update(name=str(form.get("name", "")).strip(), phone=str(form.get("phone", "")).strip())
    earlier = web_session(request).talent_id
    stored = get_record(session, "talents", earlier) if earlier else None
    if stored is not None:
        consent = sorted({*(stored.get("consented_employer_ids") or []), employer_id})
        update_record(session, "talents", stored["talent_id"], fields, {"consented_employer_ids": consent})
        return stored["talent_id"]
    talent_id = FAIR_TALENT_PREFIX + secrets.token_hex(6)
    direct: dict[str, object] = {"consented_employer_ids": [employer_id]}
    if event is not None and event.workstation_id:  # the hosting workstation's staff follow up
        fields["workstation"] = direct["workstation_id"] = event.workstation_id
    create_record(session, "talents", {"talent_id": talent_id, **fields}, direct)
    return talent_id
