"""Uploads: the CLI's import path — all-or-nothing, row/column errors, a size limit, indexes refreshed."""
from __future__ import annotations

import io
import uuid

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matcher.store.models import ImportLog, Job, Talent
from tests.store.conftest import FIXTURES as STORE_FIXTURES

V1 = "/api/v1"
JOB_HEADER = "岗位编号,岗位名称,用人单位,工作地点,学历要求,技能要求,紧缺程度"


def upload(client, kind: str, name: str, content: bytes, media: str = "text/csv"):
    return client.post(f"{V1}/imports/{kind}", files={"file": (name, content, media)})


def talent_ids(api) -> set[str]:
    with Session(api.engine) as session:
        return set(session.scalars(select(Talent.talent_id)))


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
    response = upload(admin, "talents", "talents.csv", "编号,手机号\nT1,13812345678\n".encode())
    assert response.status_code == 422
    assert response.json()["errors"][0]["column"] == "name"
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


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_a_bureau_register_previews_then_imports_unedited(api, admin):
    content = (STORE_FIXTURES / "register_shenzhen.xlsx").read_bytes()
    before, known = count(api, Talent), talent_ids(api)

    preview = admin.post(f"{V1}/imports/talents", params={"dry_run": "true"},
                         files={"file": ("深圳登记表.xlsx", content, XLSX)})

    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert (body["dry_run"], body["status"], body["inserted"], body["generated_ids"]) == (True, "ok", 5, 5)
    assert any("表尾（合计）" in note for note in body["notes"]) and count(api, Talent) == before
    real = admin.post(f"{V1}/imports/talents", files={"file": ("深圳登记表.xlsx", content, XLSX)})
    assert real.status_code == 201 and real.json()["inserted"] == 5 and count(api, Talent) == before + 5
    again = admin.post(f"{V1}/imports/talents", params={"dry_run": "true"},
                       files={"file": ("深圳登记表.xlsx", content, XLSX)})
    assert (again.json()["inserted"], again.json()["unchanged"]) == (0, 5)
    for talent_id in talent_ids(api) - known:  # the session's other tests count the fixture's people
        assert admin.delete(f"{V1}/talents/{talent_id}").status_code == 204


def test_a_preview_lists_errors_and_warnings_and_links_the_marked_up_copy(api, admin):
    rows = ["序号,姓名,联系电话,籍贯", "1,钱七,13800000011,火星基地", "2,孙八,99887,周口"]
    response = admin.post(f"{V1}/imports/talents", params={"dry_run": "true"},
                          files={"file": ("t.csv", "\n".join(rows).encode(), "text/csv")})
    body = response.json()
    assert response.status_code == 200 and body["status"] == "rejected"
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(3, "phone")] and "99887" not in response.text
    [warning] = body["warnings"]
    located = (warning["row"], warning["column"], warning["header"], warning["value"])
    assert located == (2, "hometown", "籍贯", "火星基地")
    report = admin.get(body["report_url"])
    assert report.status_code == 200
    sheet = load_workbook(io.BytesIO(report.content))["导入检查"]
    assert sheet["C3"].comment is not None and sheet["D2"].comment is not None
    assert api.as_("staff1").get(body["report_url"]).status_code == 404  # another uploader's: not theirs to find
    assert admin.get(f"{V1}/imports/reports/{'x' * 24}").status_code == 404


def test_a_rejected_import_links_its_report(admin):
    response = upload(admin, "talents", "bad.csv", "编号,姓名,联系电话\nT1,钱七,99887\n".encode())
    assert response.status_code == 422
    assert "/imports/reports/" in response.headers["link"] and "marked-up" in response.json()["detail"]


def test_templates_download(admin, api):
    response = api.as_("staff1").get(f"{V1}/imports/templates/talents")
    assert response.status_code == 200 and response.headers["content-type"] == XLSX
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["人才信息登记表", "说明"]
    assert "*姓名" in [cell.value for cell in workbook.worksheets[0][1]]
    assert admin.get(f"{V1}/imports/templates/pets").status_code == 422


def test_staff_load_their_own_register_and_only_that(api):
    """Workstation staff import talent registers: every person joins their workstation; a row naming another
    workstation rejects the file, and other kinds stay an administrator's."""
    staff = api.as_("staff2")
    talent_id = f"SR{uuid.uuid4().hex[:6]}"
    header = "人才编号,姓名,当前职位,工作站\n"
    mine = f"{talent_id},周红,焊工,\n".encode()
    created = upload(staff, "talents", "本站登记.csv", header.encode() + mine)
    assert created.status_code == 201, created.text
    assert api.as_("admin").get(f"{V1}/talents/{talent_id}").json()["workstation_id"] == "WS2"
    other = f"{talent_id}x,吴刚,电工,WS1\n".encode()
    refused = upload(staff, "talents", "他站.csv", header.encode() + other)
    assert refused.status_code == 422 and refused.json()["errors"][0]["column"] == "workstation"
    assert upload(staff, "jobs", "岗位.csv", f"{JOB_HEADER}\nSJ1,焊工,某公司,郑州市,高中,氩弧焊,3\n".encode()
                  ).status_code == 403
    assert api.as_("admin").delete(f"{V1}/talents/{talent_id}").status_code == 204
