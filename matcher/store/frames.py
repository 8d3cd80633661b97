"""Talents, jobs and events as DataFrames with named column constants: what embedding and ranking read.

Numeric columns are float64 with NaN for missing (vectorised features need no None checks); JSON list
columns hold Python lists ([] when empty); willing_to_return stays True/False/None. Personal columns
(name, phone, ID number) are left out unless asked for: matching never needs them.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd
from sqlalchemy import Connection, Engine, Select, select
from sqlalchemy.orm import Session

from matcher.store.models import Event, Job, Talent

TALENT_PERSONAL_COLUMNS = ("name", "phone", "id_number")
TALENT_RAW_COLUMNS = (
    "talent_id", "gender", "birth_year", "hometown", "current_city", "workstation", "education", "major",
    "experience_years", "certificates", "skills", "industry", "current_title", "summary", "expected_salary",
    "intent_cities", "willing_to_return", "category", "updated_at",
)
TALENT_NORMALIZED_COLUMNS = (
    "hometown_province_code", "hometown_city_code", "hometown_county_code", "current_city_code",
    "intent_city_codes", "education_rank", "expected_salary_min", "expected_salary_max", "certificates_norm",
    "skills_norm", "industry_key", "industry_section", "occupation_code", "major_code", "major_occupations",
)
TALENT_COLUMNS = (*TALENT_RAW_COLUMNS, *TALENT_NORMALIZED_COLUMNS, "workstation_id", "consented_employer_ids")
JOB_RAW_COLUMNS = (
    "job_id", "title", "employer", "industry", "city", "county", "education", "experience", "certificates",
    "skills", "description", "salary", "headcount", "urgency_stars", "urgency_index", "benefits",
)
JOB_NORMALIZED_COLUMNS = (
    "province_code", "city_code", "county_code", "education_rank", "experience_min", "experience_max",
    "salary_min", "salary_max", "certificates_norm", "skills_norm", "industry_key", "industry_section",
    "occupation_code",
)
JOB_COLUMNS = (*JOB_RAW_COLUMNS, *JOB_NORMALIZED_COLUMNS, "employer_id", "updated_at")
EVENT_COLUMNS = ("event_id", "talent_id", "job_id", "kind", "occurred_at", "source")

NUMERIC_COLUMNS = frozenset({
    "birth_year", "experience_years", "education_rank", "expected_salary_min", "expected_salary_max",
    "headcount", "urgency_stars", "urgency_index", "experience_min", "experience_max", "salary_min",
    "salary_max",
})
LIST_COLUMNS = frozenset({"intent_city_codes", "certificates_norm", "skills_norm", "major_occupations",
                          "consented_employer_ids"})

Source = Engine | Connection | Session


def load_talents(source: Source, *, talent_ids: Iterable[str] | None = None, workstation_id: str | None = None,
                 hometown_province_code: str | None = None, include_personal: bool = False) -> pd.DataFrame:
    """Talents ordered by talent_id, columns TALENT_COLUMNS (+ TALENT_PERSONAL_COLUMNS if asked)."""
    columns = (*TALENT_COLUMNS, *TALENT_PERSONAL_COLUMNS) if include_personal else TALENT_COLUMNS
    query = select(*(getattr(Talent, c) for c in columns)).order_by(Talent.talent_id)
    if talent_ids is not None:
        query = query.where(Talent.talent_id.in_(list(talent_ids)))
    if workstation_id is not None:
        query = query.where(Talent.workstation_id == workstation_id)
    if hometown_province_code is not None:
        query = query.where(Talent.hometown_province_code == hometown_province_code)
    return _frame(source, query, columns)


def load_jobs(source: Source, *, job_ids: Iterable[str] | None = None, employer_id: str | None = None,
              city_code: str | None = None) -> pd.DataFrame:
    """Jobs ordered by job_id, columns JOB_COLUMNS."""
    query = select(*(getattr(Job, c) for c in JOB_COLUMNS)).order_by(Job.job_id)
    if job_ids is not None:
        query = query.where(Job.job_id.in_(list(job_ids)))
    if employer_id is not None:
        query = query.where(Job.employer_id == employer_id)
    if city_code is not None:
        query = query.where(Job.city_code == city_code)
    return _frame(source, query, JOB_COLUMNS)


def load_events(source: Source, *, kinds: Iterable[str] | None = None) -> pd.DataFrame:
    """Events ordered by event_id, columns EVENT_COLUMNS."""
    query = select(*(getattr(Event, c) for c in EVENT_COLUMNS)).order_by(Event.event_id)
    if kinds is not None:
        query = query.where(Event.kind.in_(list(kinds)))
    return _frame(source, query, EVENT_COLUMNS)


def stored_ids(source: Source, side: str) -> list[str]:
    """Every stored talent_id (side 'talent') or job_id ('job'), in id order."""
    column = Talent.talent_id if side == "talent" else Job.job_id
    return [str(value) for (value,) in _rows(source, select(column).order_by(column))]


def _rows(source: Source, query: Select) -> list:
    if isinstance(source, Engine):
        with source.connect() as connection:
            return connection.execute(query).all()
    return source.execute(query).all()


def _frame(source: Source, query: Select, columns: Sequence[str]) -> pd.DataFrame:
    rows = _rows(source, query)
    frame = pd.DataFrame.from_records([tuple(row) for row in rows], columns=list(columns))
    for column in columns:
        if column in NUMERIC_COLUMNS:
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
        elif column in LIST_COLUMNS:
            frame[column] = frame[column].map(lambda value: value if isinstance(value, list) else [])
    return frame
