"""Talent records as a caller may see them, and the audit entries personal-data reads leave behind."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from api.problems import not_found
from api.schemas.talents import TalentPublic, TalentSummary
from matcher.privacy import TalentView, candidate_view, shown, talent_view
from matcher.store.accounts import Account
from matcher.store.audit import record_access, record_export
from matcher.store.listing import known_to_employer

AUDITED_READERS = frozenset({"staff", "employer"})
"""Roles whose every read of a talent is audited; list pages (exports) are audited for every role."""
VIEW_COLUMNS = ("workstation_id", "consented_employer_ids")
"""What decides how a caller sees a talent record (with its id): see matcher.privacy."""
CANDIDATE_COLUMNS = (*(name for name in TalentSummary.model_fields if name != "view"), *VIEW_COLUMNS)
"""What :func:`talent_summaries` reads of a talent record."""


def visible_talent(session: Session, account: Account, record: Mapping[str, Any] | None,
                   talent_id: str) -> TalentView:
    """How ``account`` may see the talent; hidden and missing talents raise the same 404."""
    if record is None:
        raise not_found("talent", talent_id)
    known = account.role == "employer" and account.employer_id is not None and bool(
        known_to_employer(session, account.employer_id, [talent_id]))
    view = talent_view(account, record, known_to_employer=known)
    if view == "hidden":
        raise not_found("talent", talent_id)
    return view


def talent_public(record: Mapping[str, Any], view: TalentView) -> TalentPublic:
    return TalentPublic(view=view, **shown(record, view))  # type: ignore[arg-type]


def talent_summaries(account: Account, records: Mapping[str, Mapping[str, Any]]) -> dict[str, TalentSummary]:
    """Candidates as ``account`` sees them (seekers get none), by talent id."""
    summaries = {}
    for talent_id, record in records.items():
        view = candidate_view(account, record)
        if view != "hidden":
            fields = {k: v for k, v in shown(record, view).items() if k in TalentSummary.model_fields}
            summaries[talent_id] = TalentSummary(**{**fields, "view": view})
    return summaries


def audit_reads(session: Session, account: Account, views: Mapping[str, str], *, action: str, via: str) -> None:
    """One entry per talent shown to staff or employers, saying which view they got and through what."""
    if account.role not in AUDITED_READERS:
        return
    for talent_id, view in views.items():
        record_access(session, actor=account.name, actor_id=account.id, role=account.role, action=action,
                      subject_kind="talent", subject_id=talent_id, detail={"view": view, "via": via})


def audit_export(session: Session, account: Account, talent_ids: Sequence[str], *, via: str) -> None:
    """A page of talent records leaving the system is an export, whoever asks (seekers see only themselves)."""
    if account.role != "seeker" and talent_ids:
        record_export(session, actor=account.name, actor_id=account.id, role=account.role, subject_kind="talent",
                      subject_ids=list(talent_ids), detail={"via": via})
