"""Bulk matching runs over the API: roles, validation, a finished run's files, the audit trail, a restart."""
from __future__ import annotations

import io
import json
import shutil
import threading
import time
import uuid
from collections.abc import Iterator

import openpyxl
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.serving.bulk_runs import XLSX, BulkRuns
from matcher.store.accounts import Account
from matcher.store.models import AuditLog

V1 = "/api/v1"
BULK = f"{V1}/bulk-matches"
SMALLEST = {"top": 1, "shortlist": 1}
SHEETS = ["岗位推荐名单", "人才推荐岗位", "暂无合适岗位", "急需岗位缺口", "面试时间表", "人才面试单", "未能安排",
          "汇总"]
EVENT = {"date": "2026-12-20", "start": "09:00", "end": "10:00", "slot_minutes": 20, "booths": "job",
         "venue": "周口市人才市场"}
PERSONAL = ("张伟", "13812345678", "王芳", "13700002222")


@pytest.fixture(scope="module", autouse=True)
def in_process(api) -> Iterator[None]:
    """Batches ranked in this process: no worker processes in API tests."""
    runs = api.client.app.state.bulk_runs
    workers, runs.workers = runs.workers, 1
    yield
    runs.workers = workers


def wait_until_finished(user, run_id: str, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while (body := user.get(f"{BULK}/{run_id}").json())["status"] in ("queued", "running"):
        assert time.monotonic() < deadline, f"run {run_id} still {body['status']} after {timeout} s"
        time.sleep(0.1)
    return body


@pytest.fixture(scope="module")
def staff_run(api) -> dict:
    """staff1's run over their whole workstation (the default pool), smallest parameters."""
    staff = api.as_("staff1")
    response = staff.post(BULK, json={**SMALLEST, "interviews": {"per_talent": 1}, "event": EVENT})
    assert response.status_code == 202, response.json()
    accepted = response.json()
    assert accepted["status"] == "queued" and response.headers["Location"] == accepted["links"]["self"]
    return wait_until_finished(staff, accepted["id"])


@pytest.fixture(scope="module")
def admin_run(api) -> tuple[dict, dict]:
    """An admin's run over a subset of talents and jobs, with Parquet copies; (seen while queued, finished)."""
    admin, gate = api.as_("admin"), threading.Event()
    api.client.app.state.bulk_runs._executor.submit(gate.wait)  # holds the queue: the run is seen unfinished
    try:
        response = admin.post(BULK, json={**SMALLEST, "talent_ids": ["T3", "T6", "T3"], "job_ids": ["J1", "J4"],
                                          "formats": ["csv", "parquet"], "depth": 4})
        assert response.status_code == 202, response.json()
        run_id = response.json()["id"]
        queued = admin.get(f"{BULK}/{run_id}").json()
        assert admin.get(f"{BULK}/{run_id}/files/summary.json").status_code == 404
    finally:
        gate.set()
    return queued, wait_until_finished(admin, run_id)


def test_seekers_and_employers_are_refused(api, staff_run):
    for user in ("seeker1", "employer1"):
        client = api.as_(user)
        assert client.post(BULK, json=SMALLEST).status_code == 403
        assert client.get(BULK).status_code == 403
        assert client.get(f"{BULK}/{staff_run['id']}").status_code == 403
        assert client.get(f"{BULK}/{staff_run['id']}/files/matches.xlsx").status_code == 403


def test_staff_run_their_own_workstation_and_the_workbook_carries_contacts(api, staff_run):
    assert staff_run["status"] == "done" and staff_run["error"] is None
    assert staff_run["created_by"] == "staff1" and staff_run["progress"] == {"done": 1, "total": 1}
    parameters = staff_run["parameters"]
    assert (parameters["pool"], parameters["workstation_id"], parameters["contacts"]) == ("workstation:WS1", "WS1",
                                                                                         True)
    # WS1 holds T1 (electrical engineer), T2 (CNC turner) and T5 (nurse): each of the first two fits one post,
    # the nurse none (no filler: she is listed under 暂无合适岗位 instead).
    assert staff_run["summary"]["talents"] == parameters["talents"] == 3
    assert (staff_run["summary"]["pairs"], staff_run["summary"]["no_fit_talents"]) == (2, 1)
    assert not any(value in json.dumps(staff_run, ensure_ascii=False) for value in PERSONAL)
    assert set(staff_run["links"]["files"]) == {"matches.xlsx", "talent_top.csv", "job_shortlists.csv",
                                                "schedule.csv", "unplaced.csv", "summary.json", "report.html",
                                                "report.pdf", "booth_sheets.pdf", "interview_slips.pdf"}

    response = api.as_("staff1").get(staff_run["links"]["files"]["matches.xlsx"])
    assert response.status_code == 200 and response.headers["content-type"] == XLSX
    assert response.headers["content-disposition"].startswith("attachment") and "matches.xlsx" in \
        response.headers["content-disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames[:len(SHEETS)] == SHEETS
    booth_sheets = workbook.sheetnames[len(SHEETS):]
    assert booth_sheets and booth_sheets[0].startswith("1号 ")  # a booth per job: one sheet each
    rows = list(workbook["人才推荐岗位"].values)
    assert rows[0][:3] == ("人才编号", "姓名", "联系电话")
    contacts = {row[0]: row[1:3] for row in rows[1:]}
    assert contacts["T1"] == ("张伟", "13812345678") and "T3" not in contacts  # T3 is WS2's
    assert list(workbook["岗位推荐名单"].values)[0][4:7] == ("人才编号", "姓名", "联系电话")
    unmatched = list(workbook["暂无合适岗位"].values)
    assert unmatched[0] == ("人才编号", "姓名", "联系电话", "现职业/工种", "说明") and len(unmatched) == 2
    assert unmatched[1][0] == "T5" and unmatched[1][3] == "护士" and unmatched[1][4].startswith("暂无合适岗位")


def test_the_event_timetable_follows_the_request(api, staff_run):
    plan = staff_run["summary"]["schedule"]["plan"]
    assert (plan["date"], plan["start"], plan["end"], plan["slots"], plan["booths"]) == ("2026-12-20", "09:00",
                                                                                         "10:00", 3, "job")
    schedule = api.as_("staff1").get(staff_run["links"]["files"]["schedule.csv"]).text.splitlines()
    assert schedule[0].startswith("booth_no,booth,date,start,end,desk,talent_id,job_id")
    starts = {line.split(",")[3] for line in schedule[1:]}
    assert schedule[1:] and starts <= {"09:00", "09:20", "09:40"}
    for name in ("booth_sheets.pdf", "interview_slips.pdf"):
        response = api.as_("staff1").get(staff_run["links"]["files"][name])
        assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
        assert response.content[:5] == b"%PDF-"


@pytest.mark.parametrize("event", [{"start": "10:00", "end": "09:00"}, {"slot_minutes": 0}, {"booths": "hall"},
                                   {"venue": "x" * 101}, {"room": "A"}])
def test_an_impossible_event_is_422(api, event):
    response = api.as_("staff1").post(BULK, json={**SMALLEST, "event": event})
    assert response.status_code == 422, response.json()


def test_contacts_exports_are_audited_without_personal_data(api, staff_run):
    for user in ("staff1", "admin"):
        assert api.as_(user).get(staff_run["links"]["files"]["matches.xlsx"]).status_code == 200
    assert api.as_("staff1").get(staff_run["links"]["files"]["booth_sheets.pdf"]).status_code == 200
    with Session(api.engine) as session:
        exports = [e for e in session.scalars(select(AuditLog).where(AuditLog.action == "export"))
                   if (e.detail or {}).get("bulk_match") == staff_run["id"]]
    assert [(e.actor, e.detail["via"]) for e in exports][:1] == [("staff1", "POST /bulk-matches")]
    downloads = {e.actor for e in exports if e.detail["via"].startswith("GET")}
    assert downloads == {"staff1", "admin"}
    assert exports[0].detail["file"] == "booth_sheets.pdf, interview_slips.pdf, matches.xlsx"
    assert {e.detail["file"] for e in exports[1:]} >= {"matches.xlsx", "booth_sheets.pdf"}
    assert all("T1" in e.detail["subject_ids"] and e.detail["count"] == staff_run["parameters"]["talents"]
               for e in exports)
    assert not any(value in str(e.detail) for e in exports for value in PERSONAL)
    other_files = api.as_("staff1").get(staff_run["links"]["files"]["talent_top.csv"])
    assert other_files.status_code == 200 and other_files.headers["content-type"].startswith("text/csv")


def test_admins_run_any_subset_with_parquet_copies(api, admin_run):
    queued, finished = admin_run
    assert queued["status"] == "queued" and queued["links"]["files"] == {} and queued["summary"] is None
    assert finished["status"] == "done", finished["error"]
    assert finished["parameters"]["pool"] == "talent-ids" and finished["parameters"]["talents"] == 2
    assert finished["parameters"]["job_ids"] == ["J1", "J4"] and finished["parameters"]["depth"] == 4
    assert (finished["summary"]["talents"], finished["summary"]["jobs"]) == (2, 2)
    assert {"talent_top.parquet", "job_shortlists.parquet", "schedule.parquet"} <= set(finished["links"]["files"])
    parquet = api.as_("admin").get(finished["links"]["files"]["schedule.parquet"])
    assert parquet.status_code == 200 and parquet.headers["content-type"] == "application/vnd.apache.parquet"
    workbook = openpyxl.load_workbook(io.BytesIO(api.as_("admin").get(finished["links"]["files"]["matches.xlsx"])
                                                 .content), read_only=True)
    contacts = {row[0]: row[1:3] for row in list(workbook["人才推荐岗位"].values)[1:]}
    assert set(contacts) == {"T6"}  # the welder fits J4; the accountant T3 fits neither J1 nor J4
    unmatched = list(workbook["暂无合适岗位"].values)
    assert [row[:3] for row in unmatched[1:]] == [("T3", "王芳", "13700002222")]


def test_staff_cannot_probe_other_workstations_talents(api):
    staff = api.as_("staff1")
    foreign = staff.post(BULK, json={**SMALLEST, "talent_ids": ["T1", "T3"]})
    missing = staff.post(BULK, json={**SMALLEST, "talent_ids": ["T1", "NOPE"]})
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json()["detail"] == missing.json()["detail"]
    assert [e["loc"] for e in foreign.json()["errors"]] == [["body", "talent_ids", 1]]
    assert foreign.json()["errors"][0]["message"].replace("T3", "X") == \
        missing.json()["errors"][0]["message"].replace("NOPE", "X")
    assert staff.post(BULK, json={**SMALLEST, "workstation_id": "WS2"}).status_code == 403


def test_a_run_is_visible_to_its_creator_and_admins_only(api, staff_run, admin_run):
    run_id = staff_run["id"]
    other = api.as_("staff2")
    hidden, missing = other.get(f"{BULK}/{run_id}"), other.get(f"{BULK}/{uuid.uuid4().hex}")
    assert hidden.status_code == missing.status_code == 404
    assert other.get(f"{BULK}/{run_id}/files/matches.xlsx").status_code == 404
    assert api.as_("admin").get(f"{BULK}/{run_id}").status_code == 200
    assert run_id not in {r["id"] for r in other.get(BULK).json()["items"]}
    mine = api.as_("staff1").get(BULK).json()
    assert run_id in {r["id"] for r in mine["items"]} and admin_run[1]["id"] not in {r["id"] for r in mine["items"]}
    everyone = {r["id"] for r in api.as_("admin").get(BULK, params={"limit": 200}).json()["items"]}
    assert {run_id, admin_run[1]["id"]} <= everyone


@pytest.mark.parametrize("name", ["nope.txt", "checkpoint.json", "status.json", "talent_top.parquet"])
def test_unknown_or_unwritten_files_are_404(api, staff_run, name):
    response = api.as_("staff1").get(f"{BULK}/{staff_run['id']}/files/{name}")
    assert response.status_code == 404 and response.headers["content-type"] == "application/problem+json"


def test_validation_errors_name_the_fields(api):
    admin = api.as_("admin")
    response = admin.post(BULK, json={"top": 0, "shortlist": 201, "formats": ["parquet"],
                                      "interviews": {"per_talent": 0}, "colour": "blue"})
    assert response.status_code == 422 and response.headers["content-type"] == "application/problem+json"
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"top", "shortlist", "formats", "interviews.per_talent", "colour"}
    unknown_jobs = admin.post(BULK, json={**SMALLEST, "job_ids": ["J1", "NOPE"]}).json()
    assert unknown_jobs["status"] == 422 and unknown_jobs["errors"] == [
        {"loc": ["body", "job_ids", 1], "field": "job_ids", "message": "unknown job 'NOPE'"}]
    unknown_workstation = admin.post(BULK, json={**SMALLEST, "workstation_id": "WS404"}).json()
    assert unknown_workstation["status"] == 422 and unknown_workstation["errors"][0]["field"] == "workstation_id"


def test_a_restarted_server_lists_finished_runs_and_resumes_unfinished_ones(api, staff_run, tmp_path):
    app_runs = api.client.app.state.bulk_runs
    shutil.copytree(app_runs.run_dir(staff_run["id"]), tmp_path / staff_run["id"])
    interrupted = uuid.uuid4().hex
    shutil.copytree(app_runs.run_dir(staff_run["id"]), tmp_path / interrupted)
    status_file = tmp_path / interrupted / "status.json"
    state = json.loads(status_file.read_text(encoding="utf-8"))
    status_file.write_text(json.dumps({**state, "id": interrupted, "status": "running", "summary": None}),
                           encoding="utf-8")
    (tmp_path / interrupted / "summary.json").unlink()

    runs = BulkRuns(tmp_path, app_runs.matcher, app_runs.engine, app_runs.sessions, workers=1)
    runs.open()
    try:
        admin = Account(0, "admin", "admin")
        assert runs.get(staff_run["id"], admin).status == "done"
        deadline = time.monotonic() + 60
        while (resumed := runs.get(interrupted, admin)).status in ("queued", "running"):
            assert time.monotonic() < deadline
            time.sleep(0.1)
    finally:
        runs.close()
    assert resumed.status == "done" and resumed.progress.done == resumed.progress.total == 1
    assert resumed.summary["talents"] == staff_run["summary"]["talents"]
    assert (tmp_path / interrupted / "summary.json").exists()
