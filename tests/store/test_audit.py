from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.store.audit import access_history, record_access, record_export
from matcher.store.models import AuditLog


def test_access_history_is_newest_first_and_scoped_to_the_subject(engine):
    with Session(engine) as session, session.begin():
        record_access(session, actor="ws-shenzhen", role="workstation", action="read", subject_kind="talent",
                      subject_id="T1", detail={"reason": "match review"})
        record_access(session, actor="employer-7", role="employer", action="contact", subject_kind="talent",
                      subject_id="T1")
        record_access(session, actor="employer-7", role="employer", action="read", subject_kind="talent",
                      subject_id="T2")
    with Session(engine) as session:
        history = access_history(session, "talent", "T1")
    assert [(e.actor, e.action) for e in history] == [("employer-7", "contact"), ("ws-shenzhen", "read")]
    assert history[1].detail == {"reason": "match review"}


def test_bulk_export_is_one_entry_listing_ids(engine):
    with Session(engine) as session, session.begin():
        record_export(session, actor="admin", role="admin", subject_kind="talent", subject_ids=["T1", "T2"],
                      detail={"format": "csv"})
    with Session(engine) as session:
        entry = session.scalars(select(AuditLog)).one()
    assert (entry.action, entry.subject_id) == ("export", None)
    assert entry.detail == {"format": "csv", "subject_ids": ["T1", "T2"], "count": 2}


def test_unknown_action_is_refused(engine):
    with Session(engine) as session, pytest.raises(ValueError, match="audit action"):
        record_access(session, actor="a", role=None, action="peek", subject_kind="talent")
