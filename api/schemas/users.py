"""API users: created by admins (or `matcher users add`); the key is shown once, at creation."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from api.schemas.common import WriteModel

Role = Literal["seeker", "employer", "staff", "admin"]


class UserCreate(WriteModel):
    name: str = Field(min_length=1, max_length=100)
    role: Role
    workstation_id: str | None = Field(None, description="staff: the workstation they serve")
    employer_id: str | None = Field(None, description="employer: the company they act for")
    talent_id: str | None = Field(None, description="seeker: their own profile")


class UserPublic(BaseModel):
    id: int
    name: str
    role: Role
    workstation_id: str | None = None
    employer_id: str | None = None
    talent_id: str | None = None


class UserCreated(UserPublic):
    api_key: str = Field(description="shown only now; only a salted hash is stored")
