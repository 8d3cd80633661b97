"""Employer and workstation bodies and records."""
from __future__ import annotations

from pydantic import BaseModel, Field

from api.schemas.common import WriteModel
from matcher.utc import UtcDateTime

Text = str | None


class EmployerFields(WriteModel):
    industry: Text = None
    city: Text = None
    county: Text = None
    nature: Text = None
    size: Text = None
    description: Text = None


class EmployerCreate(EmployerFields):
    employer_id: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1)


class EmployerUpdate(EmployerFields):
    name: str | None = Field(None, min_length=1)


class EmployerPublic(BaseModel):
    employer_id: str
    name: str
    industry: Text = None
    city: Text = None
    county: Text = None
    nature: Text = None
    size: Text = None
    description: Text = None
    province_code: Text = None
    city_code: Text = None
    county_code: Text = None
    industry_key: Text = None
    industry_section: Text = None
    created_at: UtcDateTime | None = None
    updated_at: UtcDateTime | None = None


class WorkstationFields(WriteModel):
    city: Text = Field(None, examples=["深圳"])
    host_organisation: Text = None


class WorkstationCreate(WorkstationFields):
    workstation_id: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, examples=["河南驻深圳人才工作站"])


class WorkstationUpdate(WorkstationFields):
    name: str | None = Field(None, min_length=1)


class WorkstationPublic(BaseModel):
    workstation_id: str
    name: str
    city: Text = None
    host_organisation: Text = None
    province_code: Text = None
    city_code: Text = None
    created_at: UtcDateTime | None = None
    updated_at: UtcDateTime | None = None
