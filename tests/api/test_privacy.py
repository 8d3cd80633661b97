"""Masking and consent: what employers and staff see of talents, and the audit trail it leaves."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy.orm import Session

from matcher.privacy import candidate_view, mask_name, mask_phone, masked, talent_view
from matcher.store.accounts import Account
from matcher.store.audit import access_history
from tests.api.conftest import UserClient

V1 = "/api/v1"


@pytest.mark.parametrize(("name", "expected"), [("张三", "张**"), ("张三丰", "张**"), ("欧阳娜娜", "欧**"), ("", "")])
def test_mask_name_keeps_the_surname_and_hides_the_length(name, expected):
    assert mask_name(name) == expected


def test_mask_phone_and_record():
    assert mask_phone("13812345678") == "138****5678"
    record = masked({"talent_id": "T1", "name": "张伟", "phone": "13812345678", "id_number": "411623198803150119",
                     "skills": "PLC"})
    assert record == {"talent_id": "T1", "name": "张**", "phone": "138****5678", "skills": "PLC"}


def test_views_per_role():
    talent = {"talent_id": "T9", "workstation_id": "WS1", "consented_employer_ids": ["E1"]}
    assert talent_view(Account(1, "a", "admin"), talent) == "full"
    assert talent_view(Account(2, "s", "seeker", talent_id="T9"), talent) == "full"
    assert talent_view(Account(3, "s", "seeker", talent_id="T8"), talent) == "hidden"
    assert talent_view(Account(4, "w", "staff", workstation_id="WS1"), talent) == "full"
    assert talent_view(Account(5, "w", "staff", workstation_id="WS2"), talent) == "hidden"
    assert talent_view(Account(6, "e", "employer", employer_id="E1"), talent) == "full"
    assert talent_view(Account(7, "e", "employer", employer_id="E2"), talent) == "hidden"
    assert talent_view(Account(7, "e", "employer", employer_id="E2"), talent, known_to_employer=True) == "masked"
    assert candidate_view(Account(5, "w", "staff", workstation_id="WS2"), talent) == "masked"
    assert candidate_view(Account(7, "e", "employer", employer_id="E2"), talent) == "masked"
    assert candidate_view(Account(2, "s", "seeker", talent_id="T9"), talent) == "hidden"


def test_employer_reads_a_linked_talent_masked_and_a_consenting_one_in_full(api):
    employer = api.as_("employer1")
    linked = employer.get(f"{V1}/talents/T4").json()  # applied to E1's job J1, no consent
    assert (linked["view"], linked["name"], linked["phone"], linked["id_number"]) == (
        "masked", "刘**", "136****3333", None)
    consenting = employer.get(f"{V1}/talents/T3").json()
    assert (consenting["view"], consenting["name"], consenting["phone"]) == ("full", "王芳", "13700002222")
    assert consenting["id_number"]


def test_a_hidden_talent_is_indistinguishable_from_a_missing_one(api):
    employer = api.as_("employer2")  # T5 (WS1) never consented to E2 nor touched an E2 job
    hidden, missing = employer.get(f"{V1}/talents/T5"), employer.get(f"{V1}/talents/NOPE")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["detail"].replace("T5", "X") == missing.json()["detail"].replace("NOPE", "X")


def test_employer_knows_only_talents_consenting_linked_or_shown_to_it(api, admin):
    employer_id = f"PE{uuid.uuid4().hex[:6]}"
    assert admin.post(f"{V1}/employers", json={"employer_id": employer_id, "name": employer_id}).status_code == 201
    key = admin.post(f"{V1}/users", json={"name": employer_id, "role": "employer",
                                          "employer_id": employer_id}).json()["api_key"]
    employer = UserClient(api.client, {"X-API-Key": key})
    job_id = employer.post(f"{V1}/jobs", json={"job_id": f"{employer_id}-J", "title": "焊工", "city": "郑州市",
                                                "skills": "氩弧焊"}).json()["job_id"]
    assert employer.get(f"{V1}/talents").json()["items"] == []
    event = {"talent_id": "T6", "job_id": job_id, "kind": "viewed"}
    unknown, missing = employer.post(f"{V1}/events", json=event), employer.post(f"{V1}/events", json={
        **event, "talent_id": "T404"})
    assert unknown.status_code == missing.status_code == 404  # no probing for talent ids through events

    shown = {m["id"] for m in employer.get(f"{V1}/jobs/{job_id}/candidates", params={"top": 3}).json()["matches"]}
    assert "T6" in shown
    assert employer.post(f"{V1}/events", json={**event, "kind": "interviewed"}).status_code == 201
    read = employer.get(f"{V1}/talents/T6").json()
    assert (read["view"], read["name"], read["id_number"]) == ("masked", "赵**", None)
    listed = {item["talent_id"] for item in employer.get(f"{V1}/talents", params={"limit": 200}).json()["items"]}
    assert listed == shown


def test_candidates_are_masked_unless_consented(api):
    matches = api.as_("employer1").get(f"{V1}/jobs/J3/candidates", params={"top": 50}).json()["matches"]
    talents = {m["id"]: m["talent"] for m in matches}
    assert talents["T3"]["view"] == "full" and talents["T3"]["name"] == "王芳"
    assert all("id_number" not in t for t in talents.values())
    matches = api.as_("employer1").get(f"{V1}/jobs/J1/candidates", params={"top": 50}).json()["matches"]
    t1 = {m["id"]: m["talent"] for m in matches}["T1"]  # no consent to employer1: masked
    assert t1["view"] == "masked" and t1["name"].endswith("**") and "****" in t1["phone"] and "id_number" not in t1


def test_staff_see_their_own_workstation_in_full_and_others_masked(api):
    matches = api.as_("staff1").get(f"{V1}/jobs/J1/candidates", params={"top": 50}).json()["matches"]
    talents = {m["id"]: m["talent"] for m in matches}
    assert talents["T1"]["view"] == "full" and talents["T1"]["phone"] == "13812345678"
    assert talents["T4"]["view"] == "masked" and talents["T4"]["phone"] == "136****3333"


def test_personal_data_reads_by_staff_and_employers_are_audited(api):
    api.as_("staff1").get(f"{V1}/talents/T5")
    api.as_("employer1").get(f"{V1}/jobs/J1/candidates", params={"top": 50})
    api.as_("admin").get(f"{V1}/talents/T5")
    with Session(api.engine) as session:
        t5 = access_history(session, "talent", "T5")
        t1 = access_history(session, "talent", "T1")
    assert [(e.actor, e.action, e.detail["view"]) for e in t5 if e.action == "read"][:1] == [("staff1", "read", "full")]
    assert not any(e.actor == "admin" and e.action == "read" for e in t5)
    assert any(e.actor == "employer1" and e.action == "search" and e.detail["view"] == "masked" for e in t1)
    for entry in [*t5, *t1]:
        assert "张伟" not in str(entry.detail) and "13812345678" not in str(entry.detail)


def test_a_talent_page_is_an_audited_export(api):
    page = api.as_("admin").get(f"{V1}/talents", params={"workstation": "WS2"}).json()
    with Session(api.engine) as session:
        from sqlalchemy import select

        from matcher.store.models import AuditLog
        export = session.scalars(select(AuditLog).where(AuditLog.action == "export")
                                 .order_by(AuditLog.id.desc())).first()
    assert export.actor == "admin" and export.detail["subject_ids"] == [item["talent_id"] for item in page["items"]]
    assert {"T3", "T4"} <= set(export.detail["subject_ids"])


def test_seeker_grants_consent_and_the_employer_then_sees_contact_details(api):
    seeker = api.as_("seeker1")
    before = api.as_("employer2").get(f"{V1}/talents/T1")  # 404, or masked once T1 applied to an E2 job
    assert before.status_code == 404 or before.json()["view"] == "masked"
    assert seeker.patch(f"{V1}/talents/T1", json={"consented_employer_ids": ["E2"]}).status_code == 200
    try:
        seen = api.as_("employer2").get(f"{V1}/talents/T1").json()
        assert seen["view"] == "full" and seen["phone"] == "13812345678"
    finally:
        assert seeker.patch(f"{V1}/talents/T1", json={"consented_employer_ids": []}).status_code == 200
