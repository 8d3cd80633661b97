"""Bulk matching runs: the request, the state a run keeps in its ``status.json``, and the run as it is shown."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, field_validator

from api.schemas.common import UtcDateTime, WriteModel
from matcher.normalize.number_policy import INTEGER_MAX

RunStatus = Literal["queued", "running", "done", "failed"]
Format = Literal["csv", "parquet"]


class InterviewLimits(WriteModel):
    """The event schedule's caps (``matcher.bulk.schedule.ScheduleLimits``)."""

    per_talent: int = Field(3, ge=1, le=50, description="interviews a talent can sit")
    per_job_factor: float = Field(3.0, gt=0, le=100, description="a job sees ≤ ceil(headcount × factor) candidates")
    employer_slots: int | None = Field(None, ge=0, le=INTEGER_MAX,
                                       description="interviews every employer's booth can hold; null: no booth limit")


class BulkMatchCreate(WriteModel):
    """A bulk run: every talent of the pool ranked against the event's jobs."""

    workstation_id: str | None = Field(None, min_length=1, description="staff: their own (the default); admins: "
                                                                       "any, or null for every talent")
    talent_ids: list[str] | None = Field(None, min_length=1, description="a subset of the workstation's talents")
    job_ids: list[str] | None = Field(None, min_length=1, description="the event's jobs; null: every job")
    top: int = Field(20, ge=1, le=200, description="jobs per talent")
    shortlist: int = Field(20, ge=1, le=200, description="talents per job")
    depth: int | None = Field(None, ge=1, le=INTEGER_MAX,
                              description="fused candidates ranked per talent; null: all retrieved")
    formats: list[Format] = Field(["csv"], description='["csv"], or ["csv", "parquet"] for Parquet copies')
    interviews: InterviewLimits | None = Field(None, description="null: the default caps")

    @field_validator("formats")
    @classmethod
    def _csv_always(cls, formats: list[str]) -> list[str]:
        if "csv" not in formats:
            raise ValueError('CSV is always written: send ["csv"] or ["csv", "parquet"]')
        return list(dict.fromkeys(formats))


class BulkMatchParameters(BaseModel):
    """What a run was asked for; the pool itself is stored beside it (``talent_ids.txt``)."""

    pool: str = Field(description="'all', 'workstation:<id>' or 'talent-ids'")
    workstation_id: str | None = None
    talents: int = Field(description="talents in the pool")
    job_ids: list[str] | None = None
    top: int
    shortlist: int
    depth: int | None = None
    formats: list[Format]
    interviews: InterviewLimits | None = None
    contacts: bool = Field(description="the workbook carries 姓名 and 联系电话 (its downloads are audited)")


class Progress(BaseModel):
    done: int = 0
    total: int | None = Field(None, description="batches; known once the run starts")


class BulkRunState(BaseModel):
    """One run as ``status.json`` keeps it: small, rewritten atomically at every change."""

    id: str
    status: RunStatus
    owner_id: int
    created_by: str
    role: str
    created_at: UtcDateTime
    started_at: UtcDateTime | None = None
    finished_at: UtcDateTime | None = None
    parameters: BulkMatchParameters
    progress: Progress = Progress()
    summary: dict | None = None
    error: str | None = None


class BulkMatchLinks(BaseModel):
    self: str
    files: dict[str, str] = Field(default_factory=dict, description="file name → download path, once done")


class BulkMatchAccepted(BaseModel):
    id: str
    status: Literal["queued"]
    links: BulkMatchLinks


class BulkMatchPublic(BaseModel):
    """A run as its creator (or an admin) sees it; summary and error never carry personal data."""

    id: str
    status: RunStatus
    created_by: str
    created_at: UtcDateTime
    started_at: UtcDateTime | None = None
    finished_at: UtcDateTime | None = None
    parameters: BulkMatchParameters
    progress: Progress
    summary: dict | None = Field(None, description="summary.json, once done")
    error: str | None = Field(None, description="why the run failed")
    links: BulkMatchLinks
