"""Records stay with their owners: staff write into their own workstation, employers under their own name,
seekers manage (and may delete) their own profile."""
from __future__ import annotations

import uuid

from tests.api.conftest import UserClient

V1 = "/api/v1"


def test_staff_register_talents_into_their_own_workstation(api):
    staff = api.as_("staff2")
    talent_id = f"OW{uuid.uuid4().hex[:6]}"
    created = staff.post(f"{V1}/talents", json={"talent_id": talent_id, "name": "郑华"})
    assert created.status_code == 201 and created.json()["workstation_id"] == "WS2"
    elsewhere = staff.post(f"{V1}/talents", json={"talent_id": f"{talent_id}x", "name": "郑华", "workstation": "WS1"})
    assert elsewhere.status_code == 403
    assert staff.patch(f"{V1}/talents/{talent_id}", json={"workstation": "WS1"}).status_code == 403
    assert api.as_("staff1").get(f"{V1}/talents/{talent_id}").status_code == 404
    assert staff.delete(f"{V1}/talents/{talent_id}").status_code == 204


def test_employers_post_only_under_their_own_name(api):
    employer = api.as_("employer1")
    job_id = f"OJ{uuid.uuid4().hex[:6]}"
    body = {"job_id": job_id, "title": "电工", "city": "周口市", "employer": "别家公司"}
    created = employer.post(f"{V1}/jobs", json=body)
    assert created.status_code == 201
    assert (created.json()["employer"], created.json()["employer_id"]) == ("周口恒力电气有限公司", "E1")
    as_other = employer.post(f"{V1}/jobs", json={**body, "job_id": f"{job_id}x", "employer_id": "E2"})
    assert as_other.status_code == 403
    assert employer.patch(f"{V1}/jobs/{job_id}", json={"employer_id": "E2"}).status_code == 403


def test_admin_job_needs_a_known_employer(admin):
    response = admin.post(f"{V1}/jobs", json={"job_id": f"OA{uuid.uuid4().hex[:6]}", "title": "电工", "city": "周口市",
                                              "employer_id": "E404"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "employer_id"


def test_a_seeker_may_delete_their_profile_and_keeps_an_unbound_account(api, admin):
    talent_id = f"OS{uuid.uuid4().hex[:6]}"
    admin.post(f"{V1}/talents", json={"talent_id": talent_id, "name": "钱进"})
    user = {"name": talent_id, "role": "seeker", "talent_id": talent_id}
    key = admin.post(f"{V1}/users", json=user).json()["api_key"]
    seeker = UserClient(api.client, {"X-API-Key": key})
    assert seeker.get(f"{V1}/talents/{talent_id}").json()["view"] == "full"
    assert seeker.delete(f"{V1}/talents/{talent_id}").status_code == 204
    assert seeker.get(f"{V1}/users/me").json()["talent_id"] is None
    assert seeker.get(f"{V1}/talents/{talent_id}/recommendations").status_code == 404
    assert seeker.get(f"{V1}/talents").json()["items"] == []


def test_an_employer_or_workstation_still_in_use_cannot_be_deleted(admin):
    assert admin.delete(f"{V1}/employers/E1").status_code == 409
    conflict = admin.delete(f"{V1}/workstations/WS1")
    assert conflict.status_code == 409 and "talents" in conflict.json()["detail"]


def test_no_rename_or_catalogue_import_moves_one_employers_positions_to_another(api, admin):
    """The takeover the probe found: rename yourself to another employer, then a catalogue naming that
    employer is imported (or the position is edited): its positions must stay where they were."""
    tag = uuid.uuid4().hex[:6]
    owner, other = f"EO{tag}", f"EX{tag}"
    owner_name, free_name = f"甲{tag}有限公司", f"乙{tag}有限公司"
    assert admin.post(f"{V1}/employers", json={"employer_id": owner, "name": owner_name}).status_code == 201
    assert admin.post(f"{V1}/employers", json={"employer_id": other, "name": f"丙{tag}"}).status_code == 201
    header = "岗位编号,岗位名称,用人单位,工作地点\n"
    rows = f"OJ{tag},电工,{owner_name},周口市\nUJ{tag},焊工,{free_name},周口市\n"
    files = {"file": ("目录.csv", (header + rows).encode(), "text/csv")}
    assert admin.post(f"{V1}/imports/jobs", files=files).status_code == 201
    assert admin.get(f"{V1}/jobs/OJ{tag}").json()["employer_id"] == owner
    assert admin.get(f"{V1}/jobs/UJ{tag}").json()["employer_id"] is None

    # An employer cannot rename itself at all; an administrator cannot give two employers one name.
    key = admin.post(f"{V1}/users", json={"name": f"hr{tag}", "role": "employer", "employer_id": other}).json()
    hr = UserClient(api.client, {"X-API-Key": key["api_key"]})
    assert hr.patch(f"{V1}/employers/{other}", json={"name": owner_name}).status_code == 403
    assert hr.patch(f"{V1}/employers/{other}", json={"description": "数控设备"}).status_code == 200
    assert admin.patch(f"{V1}/employers/{other}", json={"name": owner_name}).status_code == 409

    # An administrator's rename to an unmatched catalogue name gathers nothing, nor does re-importing.
    assert admin.patch(f"{V1}/employers/{other}", json={"name": free_name}).status_code == 200
    assert admin.post(f"{V1}/imports/jobs", files=files).status_code == 201
    assert admin.get(f"{V1}/jobs/OJ{tag}").json()["employer_id"] == owner
    assert admin.patch(f"{V1}/jobs/OJ{tag}", json={"description": "维修"}).json()["employer_id"] == owner
    assert hr.patch(f"{V1}/jobs/OJ{tag}", json={"description": "抢走"}).status_code in (403, 404)
