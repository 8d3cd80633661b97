"""Talent CRUD and lists: the import's normalisation and messages, problem details, filters, paging."""
from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from matcher.store.records import get_record

BASE = "/api/v1/talents"


def new_id() -> str:
    return f"TT{uuid.uuid4().hex[:8]}"


def test_create_normalises_like_an_import(admin):
    talent_id = new_id()
    response = admin.post(BASE, json={"talent_id": talent_id, "name": "孙强", "hometown": "河南周口商水",
                                      "education": "本科", "certificates": "电工证", "experience_years": "8年",
                                      "willing_to_return": "是", "phone": "138 1234 5678"})
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["location"] == f"{BASE}/{talent_id}"
    assert (body["hometown_province_code"], body["hometown_city_code"], body["hometown_county_code"]) == (
        "410000", "411600", "411623")
    assert body["education_rank"] is not None and body["experience_years"] == 8.0
    assert body["certificates_norm"][0]["name"] == "低压电工作业"
    assert body["phone"] == "13812345678" and body["willing_to_return"] is True


def test_invalid_fields_are_422_problems_with_the_import_messages(api, admin):
    talent_id = new_id()
    response = admin.post(BASE, json={"talent_id": talent_id, "name": "孙强", "phone": "12345",
                                      "education": "幼儿园大班", "birth_year": 1066})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 422 and problem["instance"] == BASE and problem["type"].endswith("validation-error")
    fields = {error["field"]: error["message"] for error in problem["errors"]}
    assert set(fields) == {"phone", "education", "birth_year"}
    assert fields["phone"].startswith("got '*****'") and "11-digit" in fields["phone"]  # personal values masked
    with Session(api.engine) as session:
        assert get_record(session, "talents", talent_id) is None


def test_schema_errors_are_problems_too(admin):
    response = admin.post(BASE, json={"name": "无编号", "shoe_size": 42})
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"talent_id", "shoe_size"}


def test_duplicate_id_is_409(admin):
    response = admin.post(BASE, json={"talent_id": "T1", "name": "重复"})
    assert response.status_code == 409 and "already exists" in response.json()["detail"]


def test_update_changes_only_sent_fields_and_renormalises(admin):
    talent_id = new_id()
    admin.post(BASE, json={"talent_id": talent_id, "name": "周敏", "hometown": "洛阳", "skills": "会计"})
    response = admin.patch(f"{BASE}/{talent_id}", json={"hometown": "周口市商水县", "consented_employer_ids": ["E2"]})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["hometown_county_code"] == "411623" and body["skills"] == "会计" and body["name"] == "周敏"
    assert body["consented_employer_ids"] == ["E2"]
    cleared = admin.patch(f"{BASE}/{talent_id}", json={"skills": None}).json()
    assert cleared["skills"] is None and cleared["skills_norm"] == []


def test_update_refuses_unknown_consent_employer(admin):
    response = admin.patch(f"{BASE}/T6", json={"consented_employer_ids": ["E404"]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "consented_employer_ids"


def test_delete_removes_record_and_its_events(api, admin):
    talent_id = new_id()
    admin.post(BASE, json={"talent_id": talent_id, "name": "吴刚"})
    event = {"talent_id": talent_id, "job_id": "J1", "kind": "applied"}
    assert admin.post("/api/v1/events", json=event).status_code == 201
    assert admin.delete(f"{BASE}/{talent_id}").status_code == 204
    assert admin.get(f"{BASE}/{talent_id}").status_code == 404
    assert admin.delete(f"{BASE}/{talent_id}").status_code == 404


def test_list_filters_by_region_education_workstation_and_certificate(admin):
    def ids(**params) -> set[str]:
        response = admin.get(BASE, params={**params, "limit": 200})
        assert response.status_code == 200, response.text
        return {item["talent_id"] for item in response.json()["items"]}

    assert {"T1", "T4", "T6"} <= ids(region="周口市")
    assert "T2" not in ids(region="411600")
    assert {"T1", "T6"} <= ids(region="商水县") and "T4" not in ids(region="商水县")
    assert ids(workstation="WS2") >= {"T3", "T4"} and not ids(workstation="WS2") & {"T1", "T2", "T5", "T6"}
    assert ids(workstation="河南驻上海人才工作站") == ids(workstation="WS2")
    assert ids(education="硕士") == {"T4"}
    assert "T1" in ids(certificate="电工证") and "T2" not in ids(certificate="电工证")
    assert ids(region="周口市", education="本科", workstation="WS1") == {"T1"}


def test_list_pages(admin):
    first = admin.get(BASE, params={"limit": 2}).json()
    second = admin.get(BASE, params={"limit": 2, "offset": 2}).json()
    assert first["total"] == second["total"] >= 6
    assert len(first["items"]) == 2 and first["items"][0]["talent_id"] < second["items"][0]["talent_id"]


def test_unresolvable_filter_is_a_field_error(admin):
    response = admin.get(BASE, params={"region": "亚特兰蒂斯", "education": "9"})
    assert response.status_code == 422
    assert {error["field"] for error in response.json()["errors"]} == {"region", "education"}


def test_timestamps_carry_their_utc_offset(admin):
    talent = admin.get(f"{BASE}/T1").json()
    assert talent["created_at"].endswith("Z") and talent["updated_at"].endswith("Z")
    event = admin.post("/api/v1/events", json={"talent_id": "T6", "job_id": "J2", "kind": "viewed"}).json()
    assert event["occurred_at"].endswith("Z")
