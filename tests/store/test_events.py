"""Recording outcome events: one row per natural key, even when the same event arrives twice at once."""
from __future__ import annotations

import threading
import time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matcher.store.events import record_event
from matcher.store.imports import import_file
from matcher.store.models import Event
from tests.store.conftest import FIXTURES

EVENT = {"talent_id": "T001", "job_id": "J001", "kind": "applied", "occurred_at": "2024-03-01 09:00:00"}


def _seed(engine) -> None:
    for kind, name in (("talents", "talents_gbk.csv"), ("jobs", "jobs_utf8_bom.csv")):
        import_file(engine, kind, FIXTURES / name)


def test_two_identical_events_at_once_store_one_row_and_neither_fails(engine):
    """The first writer holds its insert uncommitted while the second checks and inserts: the second must
    wait, then find the first one's row instead of violating the unique key."""
    _seed(engine)
    first = Session(engine)
    first_event, first_new = record_event(first, EVENT)
    outcome: dict[str, object] = {}

    def second_writer() -> None:
        with Session(engine) as second:
            try:
                outcome["result"] = record_event(second, EVENT)
                second.commit()
            except Exception as error:  # noqa: BLE001 - the failure is the finding
                outcome["error"] = error

    thread = threading.Thread(target=second_writer)
    thread.start()
    time.sleep(0.5)  # the second writer is now waiting on the first one's uncommitted row
    first.commit()
    first.close()
    thread.join(timeout=30)
    assert "error" not in outcome, repr(outcome.get("error"))
    second_event, second_new = outcome["result"]
    assert (first_new, second_new) == (True, False)
    assert second_event["event_id"] == first_event["event_id"]
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Event)) == 1
