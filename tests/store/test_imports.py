from __future__ import annotations

import json
from datetime import datetime

import pandas as pd
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from matcher.cli import main
from matcher.store.frames import load_talents
from matcher.store.imports import import_file
from matcher.store.models import ImportLog, Job, Talent
from tests.store.conftest import FIXTURES
from tests.store.helpers import JOB_HEADER, TALENT_HEADER, job_row, talent_row, write_csv, write_xlsx

PHONE = TALENT_HEADER.index("手机号")
NAME = TALENT_HEADER.index("姓名")


def talents_file(path, ids, edit=None):
    rows = [talent_row(i) for i in ids]
    for (row, column), value in (edit or {}).items():
        rows[row][column] = value
    return write_csv(path, [TALENT_HEADER, *rows])


def table_dump(engine, table):
    with engine.connect() as connection:
        return connection.execute(text(f"SELECT * FROM {table} ORDER BY 1")).all()


def import_logs(engine):
    with Session(engine) as session:
        return list(session.scalars(select(ImportLog).order_by(ImportLog.id)))


def test_gbk_fixture_imports_raw_beside_normalised(engine):
    result = import_file(engine, "talents", FIXTURES / "talents_gbk.csv")
    assert result.ok, result.messages()
    assert (result.inserted, result.updated, result.rejected) == (3, 0, 0)
    with Session(engine) as session:
        zhang, li, wang = (session.get(Talent, i) for i in ("T001", "T002", "T003"))
    assert (zhang.hometown, zhang.hometown_province_code, zhang.hometown_city_code, zhang.hometown_county_code) == (
        "河南省周口市商水县", "410000", "411600", "411623")
    assert zhang.current_city_code == "440300"
    assert zhang.intent_city_codes == ["410100", "411600"]
    assert (zhang.expected_salary, zhang.expected_salary_min, zhang.expected_salary_max) == (
        "15000-20000元/月", 15000, 20000)
    assert (zhang.experience_years, zhang.willing_to_return, zhang.updated_at) == (8, True, datetime(2024, 3, 1))
    assert zhang.education_rank is not None and zhang.certificates_norm and zhang.skills_norm
    assert (li.phone, li.willing_to_return, li.updated_at) == ("13987654321", False, datetime(2024, 3, 2))
    assert wang.hometown_city_code == "410300" and wang.birth_year is None and wang.willing_to_return is None
    assert wang.consented_employer_ids == [] and wang.created_at is not None


def test_xlsx_import_with_numeric_cells(engine, tmp_path):
    path = write_xlsx(tmp_path / "talents.xlsx", [
        ["人才编号", "姓名", "手机号", "出生年份", "籍贯", "工作年限"],
        ["X1", "赵敏", 13812345678, 1990, "周口市", 4],
        ["X2", "钱坤", None, None, "", "3-5年"],
    ])
    result = import_file(engine, "talents", path)
    assert result.ok, result.messages()
    frame = load_talents(engine, include_personal=True).set_index("talent_id")
    assert frame.loc["X1", "phone"] == "13812345678"
    assert frame.loc["X1", "birth_year"] == 1990 and frame.loc["X1", "hometown_city_code"] == "411600"
    assert frame.loc["X2", "experience_years"] == 4.0


def test_bad_value_in_row_17_rejects_the_file_and_leaves_the_database_unchanged(engine, tmp_path, settings, capsys):
    assert import_file(engine, "talents", talents_file(tmp_path / "first.csv", range(1, 6))).inserted == 5
    before = table_dump(engine, "talents")
    # Data row 16 is spreadsheet row 17 (the header is row 1); row 2 would also update T00001's name.
    path = talents_file(tmp_path / "second.csv", range(1, 21), {(15, PHONE): "1391122334", (0, NAME): "改名"})

    code = main(["import", "talents", str(path)], settings=settings)

    assert code == 1
    assert table_dump(engine, "talents") == before
    stderr = capsys.readouterr().err
    assert "second.csv, row 17, column 手机号 (phone)" in stderr
    assert "139***2334" in stderr and "1391122334" not in stderr
    log = import_logs(engine)[-1]
    assert (log.status, log.rows, log.inserted, log.updated, log.rejected) == ("rejected", 20, 0, 0, 1)
    assert "row 17" in log.error_summary and "1391122334" not in log.error_summary


def test_json_output_lists_every_error_with_row_and_column(engine, tmp_path, settings, capsys):
    path = talents_file(tmp_path / "bad.csv", range(1, 6), {(1, TALENT_HEADER.index("出生年份")): "88",
                                                            (3, TALENT_HEADER.index("最高学历")): "会开车",
                                                            (4, 0): "T00001"})
    code = main(["import", "talents", str(path), "--json"], settings=settings)
    out = json.loads(capsys.readouterr().out)
    assert code == 1
    assert {"inserted", "updated", "rejected", "errors", "warnings", "notes", "dry_run"} <= set(out)
    assert (out["inserted"], out["updated"], out["rejected"]) == (0, 0, 3)
    assert [(e["row"], e["column"]) for e in out["errors"]] == [(3, "birth_year"), (5, "education"), (6, "talent_id")]
    assert all(set(e) == {"file", "row", "column", "value", "expected"} for e in out["errors"])
    assert "also in row 2" in out["errors"][2]["expected"]


def test_reimport_is_idempotent(engine, tmp_path, settings, capsys):
    path = talents_file(tmp_path / "t.csv", range(1, 11))
    assert main(["import", "talents", str(path), "--json"], settings=settings) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["inserted"], out["updated"], out["rejected"], out["errors"]) == (10, 0, 0, [])
    before = table_dump(engine, "talents")

    second = import_file(engine, "talents", path)

    assert (second.inserted, second.updated, second.changed, second.unchanged) == (0, 10, 0, 10)
    assert table_dump(engine, "talents") == before
    assert [log.status for log in import_logs(engine)] == ["ok", "ok"]


def test_upsert_updates_changed_fields_only_and_keeps_columns_the_file_lacks(engine, tmp_path):
    import_file(engine, "talents", talents_file(tmp_path / "t.csv", range(1, 4)))
    with Session(engine) as session:
        old = session.get(Talent, "T00001")
    partial = write_csv(tmp_path / "p.csv", [["人才编号", "姓名", "籍贯"], ["T00001", "测试1", "河南省周口市商水县"],
                                             ["T00002", "测试2", "郑州"], ["T00009", "新人", "洛阳"]])
    result = import_file(engine, "talents", partial)
    assert (result.inserted, result.changed, result.unchanged) == (1, 1, 1)
    with Session(engine) as session:
        new, new_person = session.get(Talent, "T00001"), session.get(Talent, "T00009")
    assert (new.hometown, new.hometown_county_code) == ("河南省周口市商水县", "411623")
    assert (new.phone, new.id_number, new.skills_norm) == (old.phone, old.id_number, old.skills_norm)
    assert new.updated_at > old.updated_at and new.created_at == old.created_at
    assert new_person.phone is None and new_person.hometown_city_code == "410300"


def test_missing_required_column_is_reported_and_logged(engine, tmp_path, settings, capsys):
    path = write_csv(tmp_path / "nameless.csv", [["编号", "籍贯"], ["T1", "洛阳"]])
    assert main(["import", "talents", str(path)], settings=settings) == 1
    stderr = capsys.readouterr().err
    assert "nameless.csv" in stderr and "name" in stderr and "headers found: 编号, 籍贯" in stderr
    assert import_logs(engine)[-1].status == "rejected"
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Talent)) == 0


def test_jobs_import_and_employer_link_backfill(engine, tmp_path):
    result = import_file(engine, "jobs", FIXTURES / "jobs_utf8_bom.csv")
    assert result.ok, result.messages()
    with Session(engine) as session:
        j1, j2 = session.get(Job, "J001"), session.get(Job, "J002")
    assert (j1.city_code, j1.county_code, j1.urgency_stars, j1.headcount, j1.urgency_index) == (
        "411600", "411623", 4, 3, 0.82)
    assert (j1.salary_min, j1.salary_max, j1.experience_min) == (8000, 12000, 3)
    assert (j2.city_code, j2.headcount, j2.urgency_stars, j2.employer_id) == ("410100", None, 5, None)
    employers = write_csv(tmp_path / "e.csv", [["单位编号", "单位名称", "所在城市"],
                                               ["E1", "周口市某智能装备有限公司", "周口"]])
    assert import_file(engine, "employers", employers).ok
    with Session(engine) as session:
        assert session.get(Job, "J001").employer_id == "E1" and session.get(Job, "J002").employer_id is None


def test_a_name_two_employers_share_links_no_position_and_a_linked_one_stays(engine, tmp_path):
    assert import_file(engine, "jobs", FIXTURES / "jobs_utf8_bom.csv").ok
    twins = write_csv(tmp_path / "e.csv", [["单位编号", "单位名称", "所在城市"],
                                           ["E1", "周口市某智能装备有限公司", "周口"],
                                           ["E2", "周口市某智能装备有限公司", "周口"]])
    assert import_file(engine, "employers", twins).ok
    with Session(engine) as session:
        assert session.get(Job, "J001").employer_id is None
        session.execute(text("UPDATE jobs SET employer_id = 'E1' WHERE job_id = 'J001'"))
        session.execute(text("UPDATE employers SET name = '改名公司' WHERE employer_id = 'E2'"))
        session.commit()
    assert import_file(engine, "jobs", FIXTURES / "jobs_utf8_bom.csv").ok  # names E1's name, now unique
    renamed = write_csv(tmp_path / "e2.csv", [["单位编号", "单位名称", "所在城市"],
                                              ["E2", "周口市某智能装备有限公司", "周口"]])
    assert import_file(engine, "employers", renamed).ok  # E2 takes the name back: J001 stays with E1
    assert import_file(engine, "jobs", FIXTURES / "jobs_utf8_bom.csv").ok
    with Session(engine) as session:
        assert session.get(Job, "J001").employer_id == "E1"


def test_bad_job_values_are_all_reported(engine, tmp_path):
    rows = [job_row(i) for i in range(4)]
    rows[1][JOB_HEADER.index("需求人数")] = "0"
    rows[2][JOB_HEADER.index("紧缺程度")] = "9"
    rows[3][JOB_HEADER.index("工作地点")] = ""
    result = import_file(engine, "jobs", write_csv(tmp_path / "j.csv", [JOB_HEADER, *rows]))
    assert [(e.row, e.column) for e in result.errors] == [(3, "headcount"), (4, "urgency_stars"), (5, "city")]


def test_events_need_known_talents_and_jobs_and_reimport_cleanly(engine, tmp_path):
    import_file(engine, "talents", talents_file(tmp_path / "t.csv", range(1, 3)))
    import_file(engine, "jobs", write_csv(tmp_path / "j.csv", [JOB_HEADER, job_row(1)]))
    header = ["人才编号", "岗位编号", "类型", "时间"]
    good = write_csv(tmp_path / "ev.csv", [header, ["T00001", "J0001", "投递", "2024-03-01 10:00"],
                                            ["T00002", "J0001", "viewed", "2024-03-02"]])
    assert import_file(engine, "events", good).inserted == 2
    assert import_file(engine, "events", good).unchanged == 2
    bad = write_csv(tmp_path / "bad.csv", [header, ["T00001", "J0001", "面试", "2024-03-05"],
                                           ["T99999", "J0001", "录用", "2024-03-06"]])
    result = import_file(engine, "events", bad)
    assert [(e.row, e.column, e.value) for e in result.errors] == [(3, "talent_id", "T99999")]
    assert len(table_dump(engine, "events")) == 2


def test_load_talents_frame_shape(engine):
    import_file(engine, "talents", FIXTURES / "talents_gbk.csv")
    frame = load_talents(engine)
    assert "phone" not in frame and "name" not in frame
    assert frame["birth_year"].dtype == "float64" and pd.isna(frame.loc[2, "birth_year"])
    assert frame.loc[0, "intent_city_codes"] == ["410100", "411600"]
    assert list(load_talents(engine, talent_ids=["T002"])["talent_id"]) == ["T002"]
