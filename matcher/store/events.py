"""Records one outcome event (viewed, applied, interviewed, hired, rejected) with the import's row checks.

Events are what ``matcher train`` learns from (frames.load_events → rank.labels.pair_labels). The
natural key (talent, job, kind, time) makes recording idempotent: sending the same event twice
stores it once, as importing the same events file twice does.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.normalize.records import RecordIssue
from matcher.store.entities import check_event
from matcher.store.frames import EVENT_COLUMNS
from matcher.store.models import Event, Job, Talent, utcnow
from matcher.store.records import RecordInvalid


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
    values = checked.values
    existing = session.scalar(select(Event).where(
        Event.talent_id == values["talent_id"], Event.job_id == values["job_id"], Event.kind == values["kind"],
        Event.occurred_at == values["occurred_at"]))
    if existing is not None:
        return _as_dict(existing), False
    event = Event(**{column: values.get(column) for column in EVENT_COLUMNS if column != "event_id"})
    session.add(event)
    session.flush()
    return _as_dict(event), True


def _as_dict(event: Event) -> dict[str, Any]:
    return {column: getattr(event, column) for column in EVENT_COLUMNS}
