"""Bulk matching runs: the request and the run as it is shown (its saved state is ``matcher.serving.run_state``)."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, field_validator

from api.schemas.common import WriteModel
from matcher.normalize.number_policy import INTEGER_MAX
from matcher.serving.run_state import (
    BulkMatchParameters,
    Format,
    InterviewEvent,
    InterviewLimits,
    Progress,
    RunStatus,
)
from matcher.utc import UtcDateTime


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
    event: InterviewEvent | None = Field(None, description="the timetable's date, hours, slots and booths; null: "
                                                           "09:00–12:00, 15-minute slots, a booth per employer")

    @field_validator("formats")
    @classmethod
    def _csv_always(cls, formats: list[str]) -> list[str]:
        if "csv" not in formats:
            raise ValueError('CSV is always written: send ["csv"] or ["csv", "parquet"]')
        return list(dict.fromkeys(formats))


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
