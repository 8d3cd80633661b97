"""The role matrix: every endpoint × every role, allowed (2xx) or refused (403, or 404 for hidden records)."""
from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

ROLES = ("seeker1", "employer1", "staff1", "admin")
V1 = "/api/v1"


def _uid(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


def _when() -> str:
    return f"2021-{random.randint(1, 12):02d}-{random.randint(1, 28):02d} {random.randint(0, 23):02d}:" \
           f"{random.randint(0, 59):02d}:{random.randint(0, 59):02d}"


def fresh_ws1_talent(admin) -> dict[str, str]:
    talent_id = _uid("RT")
    response = admin.post(f"{V1}/talents", json={"talent_id": talent_id, "name": "矩阵", "workstation": "WS1"})
    assert response.status_code == 201
    return {"id": talent_id}


def fresh_e1_job(admin) -> dict[str, str]:
    job_id = _uid("RJ")
    response = admin.post(f"{V1}/jobs", json={"job_id": job_id, "title": "电工", "city": "周口市", "employer_id": "E1"})
    assert response.status_code == 201
    return {"id": job_id}


def fresh_employer(admin) -> dict[str, str]:
    employer_id = _uid("RE")
    assert admin.post(f"{V1}/employers", json={"employer_id": employer_id, "name": employer_id}).status_code == 201
    return {"id": employer_id}


def fresh_workstation(admin) -> dict[str, str]:
    workstation_id = _uid("RW")
    response = admin.post(f"{V1}/workstations", json={"workstation_id": workstation_id, "name": workstation_id})
    assert response.status_code == 201
    return {"id": workstation_id}


@dataclass(frozen=True)
class Case:
    method: str
    path: str
    expected: tuple[int, int, int, int]
    """Statuses for seeker1 (T1), employer1 (E1), staff1 (WS1), admin."""
    body: Callable[[], dict] | None = None
    prepare: Callable | None = None
    files: Callable[[], dict] | None = field(default=None)


CASES = {
    "list talents": Case("GET", "/talents", (200, 200, 200, 200)),
    "create talent": Case("POST", "/talents", (403, 403, 201, 201),
                          body=lambda: {"talent_id": _uid("RT"), "name": "新人"}),
    "read a talent the caller does not know": Case("GET", "/talents/{id}", (404, 404, 200, 200),
                                                   prepare=fresh_ws1_talent),
    "read own/linked talent": Case("GET", "/talents/T1", (200, 200, 200, 200)),
    "update talent": Case("PATCH", "/talents/{id}", (404, 403, 200, 200), body=lambda: {"major": "电气"},
                          prepare=fresh_ws1_talent),
    "delete talent": Case("DELETE", "/talents/{id}", (404, 403, 204, 204), prepare=fresh_ws1_talent),
    "recommendations for another talent": Case("GET", "/talents/T2/recommendations", (404, 403, 200, 200)),
    "recommendations for own talent": Case("GET", "/talents/T1/recommendations", (200, 403, 200, 200)),
    "list jobs": Case("GET", "/jobs", (200, 200, 200, 200)),
    "read job": Case("GET", "/jobs/J2", (200, 200, 200, 200)),
    "create job": Case("POST", "/jobs", (403, 201, 403, 201),
                       body=lambda: {"job_id": _uid("RJ"), "title": "电工", "city": "周口市",
                                     "employer": "周口恒力电气有限公司"}),
    "update own job": Case("PATCH", "/jobs/{id}", (403, 200, 403, 200), body=lambda: {"headcount": 3},
                           prepare=fresh_e1_job),
    "update another employer's job": Case("PATCH", "/jobs/J2", (403, 403, 403, 200),
                                          body=lambda: {"benefits": "五险一金"}),
    "delete own job": Case("DELETE", "/jobs/{id}", (403, 204, 403, 204), prepare=fresh_e1_job),
    "candidates for own job": Case("GET", "/jobs/J1/candidates", (403, 200, 200, 200)),
    "candidates for another employer's job": Case("GET", "/jobs/J2/candidates", (403, 403, 200, 200)),
    "match unsaved profile": Case("POST", "/match/profile", (200, 200, 200, 200),
                                  body=lambda: {"current_title": "电气工程师", "skills": "PLC编程"}),
    "match unsaved job": Case("POST", "/match/job", (403, 200, 200, 200),
                              body=lambda: {"title": "电气工程师", "skills": "PLC编程"}),
    "event on own talent / own job": Case("POST", "/events", (201, 201, 201, 201),
                                          body=lambda: {"talent_id": "T1", "job_id": "J1", "kind": "viewed",
                                                        "occurred_at": _when()}),
    "event on others' talent and job": Case("POST", "/events", (404, 403, 404, 201),
                                            body=lambda: {"talent_id": "T3", "job_id": "J2", "kind": "applied",
                                                          "occurred_at": _when()}),
    "list employers": Case("GET", "/employers", (200, 200, 200, 200)),
    "read employer": Case("GET", "/employers/E2", (200, 200, 200, 200)),
    "create employer": Case("POST", "/employers", (403, 403, 403, 201),
                            body=lambda: {"employer_id": _uid("RE"), "name": "新单位"}),
    "update own employer": Case("PATCH", "/employers/E1", (403, 200, 403, 200), body=lambda: {"size": "100-499人"}),
    "delete employer": Case("DELETE", "/employers/{id}", (403, 403, 403, 204), prepare=fresh_employer),
    "list workstations": Case("GET", "/workstations", (200, 200, 200, 200)),
    "read workstation": Case("GET", "/workstations/WS2", (200, 200, 200, 200)),
    "create workstation": Case("POST", "/workstations", (403, 403, 403, 201),
                               body=lambda: {"workstation_id": _uid("RW"), "name": "新工作站"}),
    "update workstation": Case("PATCH", "/workstations/WS1", (403, 403, 403, 200),
                               body=lambda: {"host_organisation": "深圳河南商会"}),
    "delete workstation": Case("DELETE", "/workstations/{id}", (403, 403, 403, 204), prepare=fresh_workstation),
    "upload": Case("POST", "/imports/events", (403, 403, 403, 201), files=lambda: {
        "file": ("events.csv", f"talent_id,job_id,kind,occurred_at\nT2,J2,viewed,{_when()}\n".encode(), "text/csv")}),
    "catalogue": Case("GET", "/catalogs/regions?parent=411600", (200, 200, 200, 200)),
    "normalise": Case("GET", "/catalogs/normalize/region?text=周口商水", (200, 200, 200, 200)),
    "metrics": Case("GET", "/metrics", (403, 403, 200, 200)),
    "health": Case("GET", "/health", (200, 200, 200, 200)),
    "who am I": Case("GET", "/users/me", (200, 200, 200, 200)),
    "list users": Case("GET", "/users", (403, 403, 403, 200)),
    "create user": Case("POST", "/users", (403, 403, 403, 201), body=lambda: {"name": _uid("u"), "role": "admin"}),
}


@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
@pytest.mark.parametrize("case_name", list(CASES))
def test_role_matrix(api, admin, case_name: str, role_index: int):
    case = CASES[case_name]
    values = case.prepare(admin) if case.prepare else {}
    response = api.as_(ROLES[role_index]).request(
        case.method, V1 + case.path.format(**values), json=case.body() if case.body else None,
        files=case.files() if case.files else None)
    assert response.status_code == case.expected[role_index], response.text
    if response.status_code >= 400:
        assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("case_name", [name for name in CASES if name != "health"])
def test_every_endpoint_but_health_needs_a_key(api, case_name: str):
    case = CASES[case_name]
    wrong_key = {"X-API-Key": "mk_1_wrong-key-00000000000000"}
    response = api.client.request(case.method, V1 + case.path.format(id="X"), headers=wrong_key,
                                  json=case.body() if case.body else None, files=case.files() if case.files else None)
    assert response.status_code == 401
    assert api.client.request(case.method, V1 + case.path.format(id="X")).status_code == 401


def test_bearer_token_works_like_the_key_header(api):
    response = api.client.get(f"{V1}/users/me", headers={"Authorization": f"Bearer {api.keys['staff2']}"})
    assert response.status_code == 200 and response.json()["workstation_id"] == "WS2"


def test_health_needs_no_key(api):
    assert api.client.get(f"{V1}/health").json() == {"status": "ok"}
