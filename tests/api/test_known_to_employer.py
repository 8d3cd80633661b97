"""Which masked profiles an employer may open: only talents a saved job of theirs was shown, or linked by events."""
from __future__ import annotations

import uuid

from matcher.privacy import masked
from tests.api.conftest import UserClient

V1 = "/api/v1"
DRAFT = {"title": "焊工", "skills": "氩弧焊、二氧化碳保护焊", "city": "郑州市"}


def _hidden(client: UserClient, talent_ids: list[str]) -> list[str]:
    return [t for t in talent_ids if client.get(f"{V1}/talents/{t}").status_code == 404]


def _new_employer_user(admin: UserClient, name: str) -> tuple[int, UserClient]:
    created = admin.post(f"{V1}/users", json={"name": name, "role": "employer", "employer_id": "E2"})
    assert created.status_code == 201, created.text
    return created.json()["id"], UserClient(admin.client, {"X-API-Key": created.json()["api_key"]})


def test_an_unsaved_draft_does_not_make_its_candidates_known(api, admin):
    _, employer = _new_employer_user(admin, f"draft-{uuid.uuid4().hex[:6]}")
    talent_ids = [m["id"] for m in admin.post(f"{V1}/match/job", params={"top": 20}, json=DRAFT).json()["matches"]]
    hidden_before = _hidden(employer, talent_ids)
    assert hidden_before
    drafted = employer.post(f"{V1}/match/job", params={"top": 20}, json=DRAFT)
    assert drafted.status_code == 200, drafted.text
    assert set(hidden_before) <= {m["id"] for m in drafted.json()["matches"]}
    assert _hidden(employer, talent_ids) == hidden_before


def test_a_saved_jobs_candidates_are_known_to_that_user_but_not_to_a_re_created_namesake(api, admin):
    name = f"recreated-{uuid.uuid4().hex[:6]}"
    user_id, first = _new_employer_user(admin, name)
    shown = first.get(f"{V1}/jobs/J4/candidates", params={"top": 20}).json()["matches"]
    masked_ids = [m["id"] for m in shown if m["talent"] and m["talent"]["view"] == "masked"]
    assert masked_ids and _hidden(first, masked_ids) == []
    assert admin.delete(f"{V1}/users/{user_id}").status_code == 204
    _, second = _new_employer_user(admin, name)
    never_shown_to_e2 = [t for t in masked_ids if t not in _known_to_e2_otherwise(api)]
    assert never_shown_to_e2
    assert _hidden(second, never_shown_to_e2) == never_shown_to_e2


def _known_to_e2_otherwise(api) -> set[str]:
    """Talents the fixture's own employer2 user can open (what E2 knows through anyone but the deleted user)."""
    employer2 = api.as_("employer2")
    listed = employer2.get(f"{V1}/talents", params={"limit": 200}).json()["items"]
    return {item["talent_id"] for item in listed}


def test_a_masked_profile_does_not_show_whom_else_the_person_trusted():
    record = masked({"talent_id": "T9", "name": "张伟", "phone": "13812345678", "consented_employer_ids": ["E1"]})
    assert "consented_employer_ids" not in record
