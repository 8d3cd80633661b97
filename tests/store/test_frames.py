from __future__ import annotations

from sqlalchemy.orm import Session

from matcher.store.frames import (
    EVENT_COLUMNS,
    JOB_COLUMNS,
    TALENT_COLUMNS,
    TALENT_PERSONAL_COLUMNS,
    load_events,
    load_jobs,
    load_talents,
)
from matcher.store.imports import import_file
from tests.store.conftest import FIXTURES
from tests.store.helpers import write_csv


def test_frames_have_the_named_columns_and_dtypes(engine):
    import_file(engine, "talents", FIXTURES / "talents_gbk.csv")
    import_file(engine, "jobs", FIXTURES / "jobs_utf8_bom.csv")
    talents = load_talents(engine)
    assert tuple(talents.columns) == TALENT_COLUMNS
    assert set(TALENT_PERSONAL_COLUMNS).isdisjoint(talents.columns)
    assert list(talents["talent_id"]) == ["T001", "T002", "T003"]
    assert talents["experience_years"].dtype == "float64"
    assert talents["consented_employer_ids"].tolist() == [[], [], []]
    assert list(talents["willing_to_return"]) == [True, False, None]
    with_personal = load_talents(engine, include_personal=True)
    assert with_personal.loc[0, "phone"] == "13812345678"
    jobs = load_jobs(engine, city_code="411600")
    assert tuple(jobs.columns) == JOB_COLUMNS and list(jobs["job_id"]) == ["J001"]
    assert jobs.loc[0, "urgency_stars"] == 4.0 and isinstance(jobs.loc[0, "skills_norm"], list)


def test_frames_accept_a_session_and_filter(engine, tmp_path):
    import_file(engine, "talents", FIXTURES / "talents_gbk.csv")
    import_file(engine, "jobs", FIXTURES / "jobs_utf8_bom.csv")
    events = write_csv(tmp_path / "e.csv", [["人才编号", "岗位编号", "类型", "时间"],
                                            ["T001", "J001", "投递", "2024-03-01"],
                                            ["T002", "J002", "录用", "2024-03-02"]])
    assert import_file(engine, "events", events).ok
    with Session(engine) as session:
        hired = load_events(session, kinds=["hired"])
        fresh = load_talents(session, hometown_province_code="410000", talent_ids=["T001", "T003"])
    assert tuple(hired.columns) == EVENT_COLUMNS and list(hired["talent_id"]) == ["T002"]
    assert list(fresh["talent_id"]) == ["T001", "T003"]


def test_empty_database_gives_empty_frames_with_columns(engine):
    assert tuple(load_talents(engine).columns) == TALENT_COLUMNS
    assert load_jobs(engine).empty


def test_talents_carry_their_catalogue_major(engine):
    import_file(engine, "talents", FIXTURES / "talents_gbk.csv")
    talents = load_talents(engine)
    assert list(talents["major_code"]) == ["080202", "100201K", "460103"]
    assert "2-05-01" in talents.loc[1, "major_occupations"]
