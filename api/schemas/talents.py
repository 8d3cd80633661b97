"""Talent bodies (raw fields, as an import row has them) and the talent record as it is shown."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from api.schemas.common import WriteModel
from matcher.utc import UtcDateTime

Text = str | None


class TalentFields(WriteModel):
    """Raw fields; they go through the same normalisation and checks as a row of an import file."""

    gender: Text = Field(None, examples=["男"])
    birth_year: int | str | None = Field(None, examples=[1988])
    phone: Text = Field(None, examples=["13812345678"])
    id_number: Text = None
    hometown: Text = Field(None, examples=["河南省周口市商水县"])
    current_city: Text = Field(None, examples=["深圳"])
    workstation: Text = Field(None, description="workstation id or name")
    education: Text = Field(None, examples=["本科"])
    major: Text = None
    experience_years: float | str | None = Field(None, examples=[8, "8年"])
    certificates: Text = Field(None, examples=["电工证、高级技师"])
    skills: Text = Field(None, examples=["PLC编程、数控编程"])
    industry: Text = None
    current_title: Text = Field(None, examples=["电气工程师"])
    summary: Text = None
    expected_salary: Text = Field(None, examples=["8000-12000元/月"])
    intent_cities: Text = Field(None, examples=["郑州、周口"])
    willing_to_return: bool | str | None = None
    category: Text = None


class TalentCreate(TalentFields):
    talent_id: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1)
    consented_employer_ids: list[str] = Field(
        default_factory=list, description="employers allowed to see this talent's name, phone and ID number")


class TalentUpdate(TalentFields):
    """Only the fields sent change; send null to clear one."""

    name: str | None = Field(None, min_length=1)
    consented_employer_ids: list[str] | None = None


class TalentDraft(TalentFields):
    """An unsaved profile for matching at the job-fair desk; no id or name needed."""

    name: Text = None


class TalentPublic(BaseModel):
    """A talent record; with ``view`` 'masked' the name is 张**, the phone 138****5678, no ID number."""

    view: Literal["full", "masked"]
    talent_id: str
    name: str | None
    gender: Text = None
    birth_year: int | None = None
    phone: Text = None
    id_number: Text = None
    hometown: Text = None
    current_city: Text = None
    workstation: Text = None
    workstation_id: Text = None
    education: Text = None
    major: Text = None
    experience_years: float | None = None
    certificates: Text = None
    skills: Text = None
    industry: Text = None
    current_title: Text = None
    summary: Text = None
    expected_salary: Text = None
    intent_cities: Text = None
    willing_to_return: bool | None = None
    category: Text = None
    hometown_province_code: Text = None
    hometown_city_code: Text = None
    hometown_county_code: Text = None
    current_city_code: Text = None
    intent_city_codes: list[str] | None = None
    education_rank: int | None = None
    expected_salary_min: int | None = None
    expected_salary_max: int | None = None
    certificates_norm: list[dict] | None = None
    skills_norm: list[str] | None = None
    industry_key: Text = None
    industry_section: Text = None
    occupation_code: Text = None
    major_code: Text = None
    major_occupations: list[str] | None = None
    consented_employer_ids: list[str] | None = None
    created_at: UtcDateTime | None = None
    updated_at: UtcDateTime | None = None


class TalentSummary(BaseModel):
    """A candidate as listed beside a match: enough to judge the fit, masked unless ``view`` is 'full'."""

    view: Literal["full", "masked"]
    talent_id: str
    name: str | None
    phone: Text = None
    gender: Text = None
    birth_year: int | None = None
    hometown: Text = None
    current_city: Text = None
    workstation: Text = None
    education: Text = None
    experience_years: float | None = None
    certificates: Text = None
    skills: Text = None
    current_title: Text = None
    expected_salary: Text = None
    willing_to_return: bool | None = None
