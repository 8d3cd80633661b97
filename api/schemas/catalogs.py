"""Reference catalogue entries as the API shows them."""
from __future__ import annotations

from pydantic import BaseModel

from api.schemas.common import PolicyText


class RegionPublic(BaseModel):
    code: str
    name: str
    short_name: str
    level: str
    parent_code: str | None
    province_code: str
    city_code: str | None


class IndustryPublic(BaseModel):
    """A GB/T 4754 section or division, or (level 'key') one of the 14 key industries."""

    code: str
    name: str
    level: str
    section: str | None = None
    aliases: list[str] = []
    divisions: list[str] = []


class CertificatePublic(BaseModel):
    kind: str
    name: str
    occupation_code: str | None = None
    level: int | None = None
    title_rank: str | None = None
    aliases: list[str] = []


class OccupationPublic(BaseModel):
    code: str
    level: int
    name: str
    definition: str
    aliases: list[str] = []


class EducationPublic(BaseModel):
    rank: int
    name: str
    aliases: list[str] = []


class NormalizeRequest(BaseModel):
    texts: list[PolicyText]
