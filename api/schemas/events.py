"""Outcome feedback events: what later ranker training learns from."""
from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from api.schemas.common import WriteModel
from matcher.utc import UtcDateTime

EventKind = Literal["viewed", "applied", "interviewed", "hired", "rejected"]


class EventCreate(WriteModel):
    talent_id: str = Field(min_length=1)
    job_id: str = Field(min_length=1)
    kind: EventKind
    occurred_at: datetime | None = Field(None, description="default: now (UTC)")
    source: str | None = Field(None, max_length=32, description="default: 'api'")


class EventPublic(BaseModel):
    event_id: int
    talent_id: str
    job_id: str
    kind: EventKind
    occurred_at: UtcDateTime
    source: str | None = None
