"""A bulk run's state as its ``status.json`` keeps it: what was asked for, where the run is, how it ended.

The API shows these models as they are (and takes InterviewLimits and InterviewEvent in the request body).
"""
from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from matcher.normalize.number_policy import INTEGER_MAX
from matcher.utc import UtcDateTime

RunStatus = Literal["queued", "running", "done", "failed"]
Format = Literal["csv", "parquet"]


class InterviewLimits(BaseModel):
    """The event schedule's caps (``matcher.bulk.schedule.ScheduleLimits``)."""

    model_config = ConfigDict(extra="forbid")  # also a request body: a misspelt field is an error

    per_talent: int = Field(3, ge=1, le=50, description="interviews a talent can sit")
    per_job_factor: float = Field(3.0, gt=0, le=100, description="a job sees ≤ ceil(headcount × factor) candidates")
    employer_slots: int | None = Field(None, ge=0, le=INTEGER_MAX,
                                       description="interviews every employer's booth can hold; null: no booth limit")


class InterviewEvent(BaseModel):
    """The event the timetable is for (``matcher.bulk.timetable.EventPlan``)."""

    model_config = ConfigDict(extra="forbid")  # also a request body: a misspelt field is an error

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
