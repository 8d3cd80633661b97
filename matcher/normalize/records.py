"""One raw talent or job record → its stored row: cleaned raw fields beside normalised ones, plus issues.

Pure: no database, no I/O; the column rules are in matcher.normalize.rules. Strict only where a wrong
value would corrupt matching or privacy (IDs, phones, years, education, flags, counts); a place that
does not resolve is kept as raw text with null codes, not rejected.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import asdict
from functools import lru_cache

from matcher.normalize import cells
from matcher.normalize.cells import clean_text
from matcher.normalize.certificate import normalize_certificates
from matcher.normalize.education import normalize_education
from matcher.normalize.experience import normalize_experience
from matcher.normalize.industry import normalize_industry
from matcher.normalize.major import normalize_major
from matcher.normalize.occupation import match_occupations
from matcher.normalize.region import normalize_region
from matcher.normalize.rules import (
    MEMO_SIZE,
    NormalizedRecord,
    Outcome,
    RecordIssue,
    RecordKind,
    Rule,
    check_record,
    issue,
    parsed_rule,
    rule,
)
from matcher.normalize.salary import normalize_salary
from matcher.normalize.skills import tokenize_skills

__all__ = ["JOB_KIND", "JOB_REQUIRED", "LIST_SEPARATORS", "TALENT_KIND", "TALENT_REQUIRED", "NormalizedRecord",
           "RecordIssue", "with_employer_and_title",
           "check_job", "check_talent", "normalize_job", "normalize_talent"]

OCCUPATION_MIN_SCORE = 0.6
"""Below this match score a title is too vague to pin an occupation code on (the code stays null)."""
NO_REQUIREMENT = frozenset({"不限", "无要求", "不要求", "学历不限", "经验不限"})
TALENT_REQUIRED = ("talent_id", "name")
JOB_REQUIRED = ("job_id", "title", "employer", "city")
LIST_SEPARATORS = re.compile(r"[、,，;；/|\s]+")
"""Between the cities of one 意向城市 cell."""


@rule("birth_year", "id_number", memoise=False)
def _birth_year(birth_year: object, id_number: object) -> Outcome:
    """The 出生年份 cell, or else the year inside a valid ID number."""
    text = clean_text(birth_year)
    if text is not None:
        return _cached_parse(cells.parse_birth_year, "birth_year", text)
    id_text = clean_text(id_number)
    try:
        return {"birth_year": cells.id_birth_year(cells.parse_id_number(id_text)) if id_text else None}, ()
    except cells.CellError:  # reported once, by the id_number rule
        return {"birth_year": None}, ()


@lru_cache(MEMO_SIZE)
def _cached_parse(parser: Callable[[str], object], column: str, text: str) -> Outcome:
    try:
        return {column: parser(text)}, ()
    except cells.CellError as error:
        return {column: None}, issue(column, text, error.expected)


@rule("phone", memoise=False)
def _phones(value: object) -> Outcome:
    """Every number of the cell is kept (``phones``); the first is the primary ``phone``."""
    text = clean_text(value)
    if text is None:
        return {"phone": None, "phones": None}, ()
    try:
        numbers = cells.parse_phones(text)
    except cells.CellError as error:
        return {"phone": None, "phones": None}, issue("phone", text, error.expected)
    return {"phone": numbers[0], "phones": list(numbers)}, ()


@rule("experience_years")
def _talent_years(value: object) -> Outcome:
    """A talent's years of experience as one number: a range's midpoint, an open bound itself."""
    text = clean_text(value)
    if text is None:
        return {"experience_years": None}, ()
    years = normalize_experience(text)
    bounds = [float(v) for v in (years.min, years.max) if v is not None]
    if not bounds:
        return {"experience_years": None}, issue("experience_years", text,
                                                 "a number of years such as 5, 3.5 or 5年 (应届 for none)")
    return {"experience_years": sum(bounds) / len(bounds)}, ()


@rule("hometown")
def _hometown(value: object) -> Outcome:
    region = normalize_region(clean_text(value))
    return {"hometown_province_code": region.province_code, "hometown_city_code": region.city_code,
            "hometown_county_code": region.county_code}, ()


@rule("current_city")
def _current_city(value: object) -> Outcome:
    return {"current_city_code": normalize_region(clean_text(value)).city_code}, ()


@rule("intent_cities")
def _intent_cities(value: object) -> Outcome:
    text = clean_text(value) or ""
    codes = (normalize_region(piece).city_code for piece in LIST_SEPARATORS.split(text) if piece)
    return {"intent_city_codes": tuple(dict.fromkeys(code for code in codes if code))}, ()


@rule("expected_salary")
def _expected_salary(value: object) -> Outcome:
    salary = normalize_salary(clean_text(value))
    return {"expected_salary_min": salary.min, "expected_salary_max": salary.max}, ()


@rule("city", "county")
def _job_place(city: object, county: object) -> Outcome:
    """City and county read together, so a county name that exists twice resolves by its city."""
    city_text, county_text = clean_text(city), clean_text(county)
    region = normalize_region(city_text or county_text)
    if city_text and county_text:
        combined = normalize_region(city_text + county_text)
        if combined.county_code or (combined.city_code and not region.city_code):
            region = combined
    return {"province_code": region.province_code, "city_code": region.city_code,
            "county_code": region.county_code}, ()


@rule("experience")
def _job_experience(value: object) -> Outcome:
    years = normalize_experience(clean_text(value))
    return {"experience_min": years.min, "experience_max": years.max}, ()


@rule("salary")
def _job_salary(value: object) -> Outcome:
    salary = normalize_salary(clean_text(value))
    return {"salary_min": salary.min, "salary_max": salary.max}, ()


@rule("education")
def _education(value: object) -> Outcome:
    text = clean_text(value)
    if text is None or text in NO_REQUIREMENT:
        return {"education_rank": None}, ()
    rank = normalize_education(text).rank
    if rank is None:
        return {"education_rank": None}, issue(
            "education", text, "an education level such as 初中, 高中, 中专, 大专, 本科, 硕士, 博士 (or 不限)")
    return {"education_rank": rank}, ()


@rule("certificates")
def _certificates(value: object) -> Outcome:
    return {"certificates_norm": tuple(asdict(c) for c in normalize_certificates(clean_text(value)))}, ()


def _skills_rule(free_text: str) -> Rule:
    """The skills column when filled, else skill terms found in the free text (自我评价 / 岗位描述)."""
    def apply(skills: object, text: object) -> Outcome:
        source = clean_text(skills) or clean_text(text)
        return {"skills_norm": tuple(tokenize_skills(source)) if source else ()}, ()
    return rule("skills", free_text)(apply)


@rule("industry")
def _industry(value: object) -> Outcome:
    industry = normalize_industry(clean_text(value))
    return {"industry_key": industry.key_industry, "industry_section": industry.section}, ()


@rule("major", "education")
def _major(major: object, education: object) -> Outcome:
    """The catalogue major and the 大典 prefixes it leads to (major fit); education picks 本科/高职/中职.

    A major that names no catalogue entry keeps its raw text in ``major`` with null derived columns.
    """
    text = clean_text(major)
    found = normalize_major(text, normalize_education(clean_text(education)).rank) if text else None
    return {"major_code": found.code if found else None,
            "major_occupations": found.occupation_prefixes if found else ()}, ()


def _occupation_rule(title_column: str) -> Rule:
    def apply(title: object) -> Outcome:
        text = clean_text(title)
        matches = match_occupations(text, top=1) if text else []
        best = matches[0] if matches and matches[0].score >= OCCUPATION_MIN_SCORE else None
        return {"occupation_code": best.code if best else None}, ()
    return rule(title_column)(apply)


TALENT_KIND = RecordKind(
    texts=("talent_id", "name", "hometown", "current_city", "workstation", "school", "education", "major",
           "certificates", "skills", "industry", "current_employer", "current_title", "summary", "expected_salary",
           "intent_cities", "category", "remarks"),
    required=TALENT_REQUIRED,
    rules=(
        parsed_rule("gender", cells.parse_gender),
        _phones,
        parsed_rule("id_number", cells.parse_id_number, memoise=False),
        parsed_rule("willing_to_return", cells.parse_flag),
        parsed_rule("updated_at", cells.parse_datetime),
        _birth_year, _talent_years, _hometown, _current_city, _intent_cities, _expected_salary,
        _education, _certificates, _skills_rule("summary"), _industry, _occupation_rule("current_title"),
        _major,
    ),
)
JOB_KIND = RecordKind(
    texts=("job_id", "title", "employer", "industry", "city", "county", "education", "experience",
           "certificates", "skills", "description", "salary", "benefits"),
    required=JOB_REQUIRED,
    rules=(
        parsed_rule("headcount", cells.parse_headcount),
        parsed_rule("urgency_stars", cells.parse_stars),
        parsed_rule("urgency_index", cells.parse_non_negative),
        _job_place, _job_experience, _job_salary,
        _education, _certificates, _skills_rule("description"), _industry, _occupation_rule("title"),
    ),
)


def check_talent(raw: Mapping[str, object]) -> NormalizedRecord:
    """Validate and normalise one talent; ``values`` holds only columns derivable from ``raw``'s keys."""
    if "employer_and_title" in raw:
        raw = with_employer_and_title(raw)
    return check_record(raw, TALENT_KIND)


def with_employer_and_title(raw: Mapping[str, object]) -> dict[str, object]:
    """A 现工作单位及职务 cell split into current_employer and current_title (their own cells win)."""
    split = dict(raw)
    text = clean_text(split.pop("employer_and_title"))
    employer, title = cells.split_employer_title(text) if text else (None, None)
    for column, value in (("current_employer", employer), ("current_title", title)):
        if clean_text(split.get(column)) is None:
            split[column] = value
    return split


def check_job(raw: Mapping[str, object]) -> NormalizedRecord:
    """Validate and normalise one job; ``values`` holds only columns derivable from ``raw``'s keys."""
    return check_record(raw, JOB_KIND)


def normalize_talent(raw: Mapping[str, object]) -> dict:
    """The stored talent row for ``raw``; invalid values become None (see check_talent for the issues)."""
    return check_talent(raw).values


def normalize_job(raw: Mapping[str, object]) -> dict:
    """The stored job row for ``raw``; invalid values become None (see check_job for the issues)."""
    return check_job(raw).values
