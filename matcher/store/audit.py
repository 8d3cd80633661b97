"""The audit trail of personal-data reads and exports: who looked at whose record, when, and why."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.store.models import AuditLog, utcnow

AUDITED_ACTIONS = frozenset({"read", "export", "search", "preview", "contact", "import"})
"""search: shown as a candidate for a saved job; preview: for an unsaved posting (grants nothing)."""


def record_access(session: Session, *, actor: str, role: str | None, action: str, subject_kind: str,
                  subject_id: str | None = None, detail: Mapping[str, object] | None = None,
                  actor_id: int | None = None) -> AuditLog:
    """Add one audit entry to the caller's transaction.

    ``detail`` says why or how (query parameters, export format, row count) and must never carry the
    personal data itself: ids yes, names, phones and ID numbers no. ``actor_id`` is the API user's id.
    """
    if action not in AUDITED_ACTIONS:
        raise ValueError(f"audit action {action!r} is not one of {sorted(AUDITED_ACTIONS)}")
    entry = AuditLog(at=utcnow(), actor=actor, actor_id=actor_id, role=role, action=action, subject_kind=subject_kind,
                     subject_id=subject_id, detail=dict(detail) if detail is not None else None)
    session.add(entry)
    return entry


def record_export(session: Session, *, actor: str, role: str | None, subject_kind: str,
                  subject_ids: Sequence[str], detail: Mapping[str, object] | None = None,
                  actor_id: int | None = None) -> AuditLog:
    """One entry for a bulk export, listing the exported ids rather than one row per subject."""
    return record_access(session, actor=actor, role=role, action="export", subject_kind=subject_kind,
                         detail={**(detail or {}), "subject_ids": list(subject_ids), "count": len(subject_ids)},
                         actor_id=actor_id)


def access_history(session: Session, subject_kind: str, subject_id: str, limit: int = 100) -> list[AuditLog]:
    """Newest first: who read this talent's (or job's) record."""
    query = (select(AuditLog).where(AuditLog.subject_kind == subject_kind, AuditLog.subject_id == subject_id)
             .order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(limit))
    return list(session.scalars(query))
