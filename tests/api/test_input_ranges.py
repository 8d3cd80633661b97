"""Hostile numbers and lengths at the boundary: each is refused with a 4xx a caller can act on, never a 500."""
from __future__ import annotations

import json
import uuid

import pytest

from tests.api.conftest import UserClient

V1 = "/api/v1"
HUGE = 2**63


def test_an_api_key_numbered_beyond_any_user_id_is_401(api):
    response = api.client.get(f"{V1}/users/me", headers={"X-API-Key": f"mk_{HUGE}_abcdefghijklmnopqrstuvwxyz"})
    assert response.status_code == 401, response.text


@pytest.mark.parametrize("path", ["talents", "jobs", "employers", "workstations"])
def test_an_offset_beyond_what_the_database_holds_is_422(admin, path):
    response = admin.get(f"{V1}/{path}", params={"offset": HUGE})
    assert response.status_code == 422, response.text


def test_deleting_a_user_id_beyond_what_the_database_holds_is_404(admin):
    assert admin.delete(f"{V1}/users/{HUGE}").status_code == 404


@pytest.mark.parametrize("education", ["²", "٣", "99999999999999999999"])
def test_a_digit_like_education_filter_is_422(admin, education):
    assert admin.get(f"{V1}/jobs", params={"education": education}).status_code == 422


def test_a_50_kb_certificate_filter_is_422(admin):
    """50 KB of ASCII (the test client refuses longer query strings; 电 is 9 bytes percent-encoded)."""
    assert admin.get(f"{V1}/talents", params={"certificate": "a" * 50_000}).status_code == 422
    assert admin.get(f"{V1}/talents", params={"certificate": "电" * 5_000}).status_code == 422


@pytest.mark.parametrize(("field", "value"), [("salary", "1000000000000000000000"), ("headcount", "1" + "0" * 20)])
def test_a_salary_or_headcount_no_column_can_hold_is_422(admin, field, value):
    job = {"job_id": f"JR{uuid.uuid4().hex[:6]}", "title": "焊工", "employer_id": "E2", "city": "郑州市", field: value}
    response = admin.post(f"{V1}/jobs", json=job)
    assert response.status_code == 422, response.text
    assert {e["field"] for e in response.json()["errors"]} == {field}


def test_an_upload_with_a_300_character_file_name_is_read(admin):
    csv = "编号,名称,城市\nWSX1,测试工作站,郑州\n".encode()
    response = admin.post(f"{V1}/imports/workstations", files={"file": ("工" * 300 + ".csv", csv, "text/csv")})
    assert response.status_code in (201, 422), response.text


def test_bulk_employer_slots_no_counter_can_hold_are_refused_at_request_time(api):
    staff = api.as_("staff1")
    response = staff.post(f"{V1}/bulk-matches", json={"interviews": {"employer_slots": HUGE}})
    assert response.status_code == 422, response.text


def test_staff_creating_a_talent_with_another_workstations_id_get_404(api):
    staff: UserClient = api.as_("staff1")
    response = staff.post(f"{V1}/talents", json={"talent_id": "T3", "name": "王芳"})  # T3 is WS2's
    assert response.status_code == 404, response.text


@pytest.mark.parametrize(("method", "path", "body"), [
    ("POST", "/catalogs/normalize/education", {"texts": ["本科\ud800"]}),
    ("POST", "/match/profile", {"skills": "焊接\ud800"}),
    ("PATCH", "/talents/T1", {"skills": "焊接\ud800"}),
])
def test_a_lone_surrogate_in_a_body_is_422(api, method, path, body):
    content = json.dumps(body, ensure_ascii=True)  # \ud800 as JSON's own escape, as a hostile client sends it
    headers = {**api.headers("admin"), "Content-Type": "application/json"}
    response = api.client.request(method, f"{V1}{path}", content=content, headers=headers)
    assert response.status_code == 422, response.text
