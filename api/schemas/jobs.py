"""Job posting bodies (raw fields, as an import row has them) and the job as it is shown."""
from __future__ import annotations

from pydantic import BaseModel, Field

from api.schemas.common import WriteModel
from matcher.utc import UtcDateTime

Text = str | None


class JobFields(WriteModel):
    """Raw fields; they go through the same normalisation and checks as a row of an import file."""

    industry: Text = None
    county: Text = None
    education: Text = Field(None, examples=["本科及以上"])
    experience: Text = Field(None, examples=["3年以上"])
    certificates: Text = None
    skills: Text = Field(None, examples=["PLC编程、电气设计"])
    description: Text = None
    salary: Text = Field(None, examples=["8000-12000元/月"])
    headcount: int | str | None = None
    urgency_stars: int | str | None = Field(None, examples=[4, "★★★★"])
    urgency_index: float | None = None
    benefits: Text = None


class JobCreate(JobFields):
    job_id: str = Field(min_length=1, max_length=64)
    title: str = Field(min_length=1, examples=["电气工程师"])
    city: str = Field(min_length=1, examples=["周口市"])
    employer: Text = Field(None, description="employer name; employers' own postings always carry their name")
    employer_id: Text = Field(None, description="admins only: link to this employer")


class JobUpdate(JobFields):
    """Only the fields sent change; send null to clear one."""

    title: str | None = Field(None, min_length=1)
    city: str | None = Field(None, min_length=1)
    employer: Text = None
    employer_id: Text = None


class JobDraft(JobFields):
    """An unsaved posting for matching; only a title is needed."""

    title: str = Field(min_length=1)
    city: Text = None
    employer: Text = None


class JobPublic(BaseModel):
    job_id: str
    title: str
    employer: str
    employer_id: Text = None
    industry: Text = None
    city: str
    county: Text = None
    education: Text = None
    experience: Text = None
    certificates: Text = None
    skills: Text = None
    description: Text = None
    salary: Text = None
    headcount: int | None = None
    urgency_stars: int | None = None
    urgency_index: float | None = None
    benefits: Text = None
    province_code: Text = None
    city_code: Text = None
    county_code: Text = None
    education_rank: int | None = None
    experience_min: float | None = None
    experience_max: float | None = None
    salary_min: int | None = None
    salary_max: int | None = None
    certificates_norm: list[dict] | None = None
    skills_norm: list[str] | None = None
    industry_key: Text = None
    industry_section: Text = None
    occupation_code: Text = None
    created_at: UtcDateTime | None = None
    updated_at: UtcDateTime | None = None


class JobSummary(BaseModel):
    job_id: str
    title: str
    employer: str
    city: str
    county: Text = None
    salary: Text = None
    education: Text = None
    experience: Text = None
    urgency_stars: int | None = None
