"""Uploads: the CLI's import path — all-or-nothing, row/column errors, a size limit, indexes refreshed."""
from __future__ import annotations

import io
import uuid

from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matcher.store.models import ImportLog, Job, Talent

V1 = "/api/v1"
JOB_HEADER = "岗位编号,岗位名称,用人单位,工作地点,学历要求,技能要求,紧缺程度"


def upload(client, kind: str, name: str, content: bytes, media: str = "text/csv"):
    return client.post(f"{V1}/imports/{kind}", files={"file": (name, content, media)})


def count(api, model) -> int:
    with Session(api.engine) as session:
        return session.scalar(select(func.count()).select_from(model))


def test_valid_csv_is_imported_and_matchable_at_once(api, admin):
    job_id = f"UJ{uuid.uuid4().hex[:6]}"
    content = f"{JOB_HEADER}\n{job_id},焊工,郑州精工数控有限公司,郑州市,高中,氩弧焊、二保焊,5\n".encode()
    response = upload(admin, "jobs", "急需岗位.csv", content)
    assert response.status_code == 201, response.text
    assert response.json() | {"kind": "jobs", "file": "急需岗位.csv", "rows": 1, "inserted": 1} == response.json()
    jobs = [m["id"] for m in admin.get(f"{V1}/talents/T6/recommendations", params={"top": 100}).json()["matches"]]
    assert job_id in jobs


def test_xlsx_upload_uses_the_same_reader(admin):
    workbook, buffer = Workbook(), io.BytesIO()
    workbook.active.append(JOB_HEADER.split(","))
    workbook.active.append([f"UX{uuid.uuid4().hex[:6]}", "会计", "周口恒力电气有限公司", "周口市", "本科", "记账", 2])
    workbook.save(buffer)
    media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = upload(admin, "jobs", "jobs.xlsx", buffer.getvalue(), media)
    assert response.status_code == 201 and response.json()["inserted"] == 1


def test_a_bad_row_rejects_the_file_with_row_and_column_and_changes_nothing(api, admin):
    talents_before, jobs_before = count(api, Talent), count(api, Job)
    rows = [f"{JOB_HEADER}", f"UB{uuid.uuid4().hex[:6]},焊工,郑州精工数控有限公司,郑州市,高中,氩弧焊,5",
            f"UB{uuid.uuid4().hex[:6]},电工,郑州精工数控有限公司,郑州市,幼儿园,电工,九颗星"]
    response = upload(admin, "jobs", "bad.csv", "\n".join(rows).encode())
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"].endswith("import-rejected") and "nothing imported" in problem["detail"]
    located = {(error["row"], error["column"]) for error in problem["errors"]}
    assert located == {(3, "education"), (3, "urgency_stars")}
    assert all("bad.csv, row 3, column" in error["message"] for error in problem["errors"])
    assert (count(api, Talent), count(api, Job)) == (talents_before, jobs_before)
    with Session(api.engine) as session:
        logged = session.scalars(select(ImportLog).order_by(ImportLog.id.desc())).first()
    assert (logged.file_name, logged.status) == ("bad.csv", "rejected")


def test_a_missing_required_column_is_a_422(admin):
    response = upload(admin, "talents", "talents.csv", "姓名,手机号\n张三,13812345678\n".encode())
    assert response.status_code == 422
    assert response.json()["errors"][0]["column"] == "talent_id"
    assert "13812345678" not in response.text


def test_an_unsupported_file_type_is_a_422(admin):
    response = upload(admin, "jobs", "jobs.pdf", b"%PDF-1.4")
    assert response.status_code == 422 and ".csv or .xlsx" in response.json()["errors"][0]["message"]


def test_a_file_over_the_limit_is_413_and_not_imported(api, admin):
    too_big = (JOB_HEADER + "\n" + "x" * int(api.settings.max_upload_mb * 1024 * 1024 + 10)).encode()
    logged_before = count(api, ImportLog)
    response = upload(admin, "jobs", "huge.csv", too_big)
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert count(api, ImportLog) == logged_before


def test_an_unknown_kind_is_a_422(admin):
    assert upload(admin, "pets", "pets.csv", b"id\n1\n").status_code == 422


def test_a_chunked_upload_over_the_limit_is_413(api):
    """No Content-Length to check up front: the body is counted as it arrives."""
    limit = int(api.settings.max_upload_mb * 1024 * 1024)

    def chunks():
        boundary_head = (b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.csv\"\r\n"
                         b"Content-Type: text/csv\r\n\r\n")
        yield boundary_head
        for _ in range(limit // 4096 + 2):
            yield b"x" * 4096
        yield b"\r\n--b--\r\n"

    response = api.client.post(f"{V1}/imports/jobs", content=chunks(),
                               headers={**api.headers("admin"), "Content-Type": "multipart/form-data; boundary=b"})
    assert response.status_code == 413 and response.json()["status"] == 413
