"""/me: a seeker's own account — profile and how each field was understood, recommendations, applications'
consent (withdraw), a download of everything stored, deleting the profile.

Each action is the JSON route beside it (``GET/PATCH/DELETE /talents/{id}``,
``GET /talents/{id}/recommendations``), called with the signed-in seeker's account.
"""
from __future__ import annotations

import json

from fastapi import APIRouter, Request, Response

from api.auth import allow, page_account
from api.deps import FollowerDep, MatcherDep, SessionDep
from api.filters import FilterParams
from api.problems import Problem
from api.routes.matching import recommendations
from api.routes.talents import delete_talent, read_talent, update_talent
from api.schemas.matching import Recommendations
from api.schemas.talents import TalentPublic, TalentUpdate
from api.web.pages import CheckedFormDep, page, redirect
from matcher.catalogs.regions import region_by_code
from matcher.normalize.education import normalize_education
from matcher.store.accounts import Account
from matcher.store.applications import talent_outcomes
from matcher.store.records import records_by_id

router = APIRouter(prefix="/me", include_in_schema=False)

NO_PROFILE = "您的账号没有关联个人资料（或已删除）；可以到招聘会现场或工作站重新登记。"
SeekerPage = allow("seeker", source=page_account)
OUTCOME_NAMES = {"applied": "已应聘", "interviewed": "面试", "hired": "已录用", "rejected": "未录用"}
EDITABLE = {"current_title": "现在的工作", "summary": "我会做什么", "hometown": "籍贯", "education": "学历",
            "certificates": "证书", "skills": "技能", "expected_salary": "期望薪资", "intent_cities": "想去哪里工作",
            "phone": "手机号"}


@router.get("")
async def my_account(request: Request, account: SeekerPage, session: SessionDep, matcher: MatcherDep,
                     done: str | None = None):
    if not account.talent_id:  # deleted (the account stays, unbound) or never linked
        return page(request, "error.html", {"title": "我的账号", "detail": NO_PROFILE}, account=account)
    talent_id = account.talent_id
    profile = read_talent(talent_id, account, session)
    found = Recommendations.model_validate_json(
        (await recommendations(talent_id, account, session, matcher, FilterParams(), top=5)).body)
    consents = records_by_id(session, "employers", profile.consented_employer_ids or [], ("name",))
    return page(request, "seeker/me.html", {
        "title": "我的账号 · 求职者", "profile": profile, "understood": understood(profile), "fields": EDITABLE,
        "matches": found.matches, "outcomes": talent_outcomes(session, talent_id), "outcome_names": OUTCOME_NAMES,
        "consents": {e: consents.get(e, {}).get("name", e)
                                               for e in profile.consented_employer_ids or []},
        "done": done}, account=account)


@router.post("/profile")
def edit_profile(request: Request, account: SeekerPage, form: CheckedFormDep, session: SessionDep,
                 matcher: MatcherDep, follower: FollowerDep):
    changes = {name: (str(form.get(name, "")).strip() or None) for name in EDITABLE}
    update_talent(_own_talent(account), TalentUpdate(**changes), account, session, matcher, follower)
    return redirect(request, "/me?done=profile")


@router.post("/consent/withdraw")
def withdraw_consent(request: Request, account: SeekerPage, form: CheckedFormDep, session: SessionDep,
                     matcher: MatcherDep, follower: FollowerDep):
    talent_id = _own_talent(account)
    current = read_talent(talent_id, account, session).consented_employer_ids or []
    remaining = [e for e in current if e != form.get("employer_id")]
    update_talent(talent_id, TalentUpdate(consented_employer_ids=remaining), account, session, matcher, follower)
    return redirect(request, "/me?done=consent")


@router.get("/data.json")
def download_my_data(account: SeekerPage, session: SessionDep):
    profile = read_talent(_own_talent(account), account, session)
    body = json.dumps(profile.model_dump(mode="json"), ensure_ascii=False, indent=1)
    return Response(body, media_type="application/json",
                    headers={"Content-Disposition": 'attachment; filename="my-data.json"'})


@router.post("/delete")
def delete_my_profile(request: Request, account: SeekerPage, form: CheckedFormDep, session: SessionDep,
                      matcher: MatcherDep, follower: FollowerDep):
    if form.get("confirm") != "yes":
        raise Problem(422, "请勾选“确认删除”")
    delete_talent(_own_talent(account), account, session, matcher, follower)
    return redirect(request, "/me?done=deleted")


def understood(profile: TalentPublic) -> dict[str, str]:
    """How the matcher read each field: 河南省周口市商水县 → 周口市商水县 (the region catalogue's names)."""
    regions = [region_by_code(c) for c in (profile.hometown_city_code, profile.hometown_county_code) if c]
    intent = [region_by_code(c) for c in profile.intent_city_codes or []]
    salary = (f"{profile.expected_salary_min}–{profile.expected_salary_max} 元/月"
              if profile.expected_salary_min else "")
    return {"hometown": "".join(r.name for r in regions if r) or "没有认出",
            "education": normalize_education(profile.education).name or "没有认出",
            "certificates": "、".join(c.get("name", "") for c in profile.certificates_norm or []) or "没有认出",
            "skills": "、".join(profile.skills_norm or []) or "没有认出",
            "expected_salary": salary or "没有认出",
            "intent_cities": "、".join(r.name for r in intent if r) or "没有认出"}


def _own_talent(account: Account) -> str:
    if not account.talent_id:
        raise Problem(404, NO_PROFILE)
    return account.talent_id
