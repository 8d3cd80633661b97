"""Bulk matching runs: the request, the state a run keeps in its ``status.json``, and the run as it is shown."""
from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field, field_validator, model_validator

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


class InterviewEvent(WriteModel):
    """The event the timetable is for (``matcher.bulk.timetable.EventPlan``)."""

    date: dt.date | None = Field(None, description="printed on the booth sheets and slips, e.g. 2026-12-20")
    start: dt.time = Field(dt.time(9, 0), description="first interview, HH:MM")
    end: dt.time = Field(dt.time(12, 0), description="interviews end, HH:MM")
    slot_minutes: int = Field(15, ge=1, le=240, description="minutes an interview")
    booths: Literal["employer", "job"] = Field("employer", description="a booth per employer or per job")
    interviewers: int = Field(1, ge=1, le=50, description="interviews a booth holds at once")
    venue: str = Field("", max_length=100, description="printed on the slips, e.g. 郑州国际会展中心2号馆")

    @model_validator(mode="after")
    def _holds_a_slot(self) -> InterviewEvent:
        minutes = (self.end.hour * 60 + self.end.minute) - (self.start.hour * 60 + self.start.minute)
        if minutes < self.slot_minutes:
            raise ValueError(f"end ({self.end:%H:%M}) must come at least one {self.slot_minutes}-minute slot after "
                             f"start ({self.start:%H:%M})")
        return self


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
    event: InterviewEvent | None = None
    contacts: bool = Field(description="the workbook carries 姓名 and 联系电话, the booth sheets and slips 姓名 (their "
                                       "downloads are audited)")


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
