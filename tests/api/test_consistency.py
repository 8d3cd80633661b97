"""Writes reach the indexes at once: the next match sees a created record and no longer sees a deleted one."""
from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matcher.store.models import Talent

V1 = "/api/v1"
WELDER = {"name": "焊接新人", "current_title": "焊工", "skills": "氩弧焊、二保焊、压力容器焊接",
          "certificates": "焊工证", "hometown": "河南省郑州市", "education": "高中", "experience_years": 9}


def candidate_ids(client, job_id: str) -> list[str]:
    response = client.get(f"{V1}/jobs/{job_id}/candidates", params={"top": 100})
    assert response.status_code == 200, response.text
    return [m["id"] for m in response.json()["matches"]]


def recommended_ids(client, talent_id: str) -> list[str]:
    response = client.get(f"{V1}/talents/{talent_id}/recommendations", params={"top": 100})
    assert response.status_code == 200, response.text
    return [m["id"] for m in response.json()["matches"]]


def test_created_talent_is_a_candidate_at_once_and_gone_after_delete(api, admin):
    talent_id = f"CT{uuid.uuid4().hex[:8]}"
    assert talent_id not in candidate_ids(admin, "J4")
    assert admin.post(f"{V1}/talents", json={"talent_id": talent_id, **WELDER}).status_code == 201
    ranked = candidate_ids(admin, "J4")
    assert talent_id in ranked[:3], ranked
    assert admin.delete(f"{V1}/talents/{talent_id}").status_code == 204
    assert talent_id not in candidate_ids(admin, "J4")


def test_updated_talent_is_matched_on_its_new_profile(api, admin):
    talent_id = f"CU{uuid.uuid4().hex[:8]}"
    admin.post(f"{V1}/talents", json={"talent_id": talent_id, "name": "转行", "current_title": "护士",
                                      "skills": "静脉输液、急诊护理"})
    filters = {"top": 100, "region": "郑州市"}
    before = admin.get(f"{V1}/talents/{talent_id}/recommendations", params=filters).json()["matches"]
    admin.patch(f"{V1}/talents/{talent_id}", json={k: v for k, v in WELDER.items() if k != "name"})
    after = admin.get(f"{V1}/talents/{talent_id}/recommendations", params=filters).json()["matches"]
    assert after[0]["id"] == "J4" and [m["id"] for m in before][:1] != ["J4"]


def test_created_job_is_recommended_and_gone_after_delete(api):
    employer = api.as_("employer2")
    job_id = f"CJ{uuid.uuid4().hex[:8]}"
    response = employer.post(f"{V1}/jobs", json={"job_id": job_id, "title": "数控车工", "city": "郑州市",
                                                 "skills": "数控编程、车床操作", "education": "大专"})
    assert response.status_code == 201 and response.json()["employer_id"] == "E2"
    assert job_id in recommended_ids(api.as_("admin"), "T2")[:3]
    assert employer.delete(f"{V1}/jobs/{job_id}").status_code == 204
    assert job_id not in recommended_ids(api.as_("admin"), "T2")


def test_a_recommended_jobs_summary_follows_its_updates(api):
    """Job summaries beside matches come from the loaded rows; an update replaces them for the next request."""
    employer, admin = api.as_("employer2"), api.as_("admin")
    job_id = f"CS{uuid.uuid4().hex[:8]}"
    employer.post(f"{V1}/jobs", json={"job_id": job_id, "title": "数控车工", "city": "郑州市", "salary": "6000-8000元",
                                      "skills": "数控编程、车床操作", "education": "大专"})

    def shown() -> dict:
        matches = admin.get(f"{V1}/talents/T2/recommendations", params={"top": 100}).json()["matches"]
        return next(m["job"] for m in matches if m["id"] == job_id)

    first = shown()
    assert (first["title"], first["salary"], first["urgency_stars"]) == ("数控车工", "6000-8000元", None)
    update = {"title": "数控车工（急招）", "salary": "9000元"}
    assert employer.patch(f"{V1}/jobs/{job_id}", json=update).status_code == 200
    assert (shown()["title"], shown()["salary"]) == ("数控车工（急招）", "9000元")
    employer.delete(f"{V1}/jobs/{job_id}")


def test_concurrent_writers_and_readers_leave_database_and_index_consistent(api, admin):
    prefix = f"CC{uuid.uuid4().hex[:6]}"
    ids = [f"{prefix}{i:02d}" for i in range(12)]

    def write(talent_id: str) -> int:
        return admin.post(f"{V1}/talents", json={"talent_id": talent_id, **WELDER}).status_code

    def read(_: int) -> int:
        return admin.get(f"{V1}/jobs/J4/candidates", params={"top": 5}).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        writes = pool.map(write, ids)
        reads = pool.map(read, range(12))
        assert list(writes) == [201] * len(ids) and list(reads) == [200] * 12
    with Session(api.engine) as session:
        stored = session.scalar(select(func.count()).where(Talent.talent_id.like(f"{prefix}%")))
    assert stored == len(ids)
    assert set(ids) <= set(candidate_ids(admin, "J4"))
    with ThreadPoolExecutor(max_workers=6) as pool:
        assert set(pool.map(lambda i: admin.delete(f"{V1}/talents/{i}").status_code, ids)) == {204}
    assert not set(ids) & set(candidate_ids(admin, "J4"))
