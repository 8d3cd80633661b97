"""A talent's own outcome history as they see it: applications, interview invitations, hires, refusals.

One query joining the talent's events to the jobs they concern, newest first. Only a talent's own page
uses it (the seeker's account), so it returns nothing about other talents.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.store.models import Event, Job

SHOWN_KINDS = ("applied", "interviewed", "hired", "rejected")
"""What a seeker is told about; 'viewed' is the matcher's own bookkeeping."""


@dataclass(frozen=True)
class Outcome:
    kind: str
    source: str | None
    occurred_at: datetime
    job_id: str
    title: str
    employer: str


def talent_outcomes(session: Session, talent_id: str, limit: int = 100) -> list[Outcome]:
    rows = session.execute(
        select(Event.kind, Event.source, Event.occurred_at, Job.job_id, Job.title, Job.employer)
        .join(Job, Job.job_id == Event.job_id)
        .where(Event.talent_id == talent_id, Event.kind.in_(SHOWN_KINDS))
        .order_by(Event.occurred_at.desc(), Event.event_id.desc()).limit(limit))
    return [Outcome(*row) for row in rows]
