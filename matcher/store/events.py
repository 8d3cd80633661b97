"""Records one outcome event (viewed, applied, interviewed, hired, rejected) with the import's row checks.

Events are what ``matcher train`` learns from (frames.load_events → rank.labels.pair_labels). The
natural key (talent, job, kind, time) makes recording idempotent: sending the same event twice
stores it once, as importing the same events file twice does. The insert itself is the check
(INSERT … ON CONFLICT DO NOTHING on that unique key), so two identical events sent at once store one
row and both callers get it, with no unique-key violation in between.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from matcher.normalize.records import RecordIssue
from matcher.store.entities import check_event
from matcher.store.frames import EVENT_COLUMNS
from matcher.store.models import Event, Job, Talent, utcnow
from matcher.store.records import RecordInvalid

NATURAL_KEY = ("talent_id", "job_id", "kind", "occurred_at")
"""The columns of ``uq_events_natural_key``: one event per talent, job, kind and time."""


def record_event(session: Session, raw: Mapping[str, object]) -> tuple[dict[str, Any], bool]:
    """Store the event (``occurred_at`` defaults to now); returns it and whether it was new.

    RecordInvalid when a field is unusable or the talent or job does not exist.
    """
    raw = {**raw, "occurred_at": raw.get("occurred_at") or utcnow().replace(microsecond=0)}
    checked = check_event(raw)
    issues = list(checked.issues)
    for column, model in (("talent_id", Talent), ("job_id", Job)):
        value = checked.values.get(column)
        if value is not None and session.get(model, value) is None:
            issues.append(RecordIssue(column, str(value), f"the {column} of an existing record"))
    if issues:
        raise RecordInvalid(issues)
    values = {column: checked.values.get(column) for column in EVENT_COLUMNS if column != "event_id"}
    inserted = session.execute(_insert_or_ignore(session).values(**values).returning(Event.event_id)).first()
    stored = session.scalar(select(Event).where(*(getattr(Event, column) == values[column]
                                                  for column in NATURAL_KEY)))
    return _as_dict(stored), inserted is not None


def _insert_or_ignore(session: Session):  # noqa: ANN202 - a dialect's Insert
    """An insert into events that does nothing when the natural key is already stored (or being stored)."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(Event).on_conflict_do_nothing(index_elements=list(NATURAL_KEY))


def _as_dict(event: Event) -> dict[str, Any]:
    return {column: getattr(event, column) for column in EVENT_COLUMNS}
