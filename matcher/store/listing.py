"""Paged, filtered lists of talents, jobs, employers and workstations, with the retrieval filters' meaning.

The filters mean what RetrievalFilters means for matching: a region code admits everything inside it,
an industry matches the key industry or the GB/T 4754 section, min/max education bound the rank.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Text, and_, cast, func, or_, select, true
from sqlalchemy.orm import Session

from matcher.retrieve.filters import RetrievalFilters
from matcher.store.models import AuditLog, Employer, Event, Job, Talent, User, Workstation
from matcher.store.validate import chunked

REGION_COLUMNS = {
    "talents": ("hometown_province_code", "hometown_city_code", "hometown_county_code", "current_city_code"),
    "jobs": ("province_code", "city_code", "county_code"),
    "employers": ("province_code", "city_code", "county_code"),
    "workstations": ("province_code", "city_code"),
}
MODELS = {"talents": Talent, "jobs": Job, "employers": Employer, "workstations": Workstation}
MAX_PAGE = 200


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    total: int
    offset: int
    limit: int


@dataclass(frozen=True)
class TalentScope:
    """Which talents the caller may list at all; None fields do not restrict."""

    workstation_id: str | None = None
    talent_id: str | None = None
    visible_to_employer: str | None = None
    """Talents who consented to this employer or are known to it (see ``known_to_employer``)."""


def list_records(session: Session, kind_name: str, filters: RetrievalFilters, *, certificate: str | None = None,
                 talent_scope: TalentScope | None = None, employer_id: str | None = None,
                 offset: int = 0, limit: int = 50) -> Page:
    """One page of ``kind_name`` records ordered by id; ``employer_id`` restricts jobs to one employer."""
    model = MODELS[kind_name]
    conditions = _filter_conditions(kind_name, filters)
    if certificate:
        conditions.append(_certificate_condition(model, certificate))
    if talent_scope is not None:
        conditions.extend(_scope_conditions(talent_scope))
    if employer_id is not None:
        conditions.append(Job.employer_id == employer_id)
    where = and_(true(), *conditions)
    table = model.__table__
    total = session.scalar(select(func.count()).select_from(table).where(where)) or 0
    limit = max(1, min(limit, MAX_PAGE))
    query = select(table).where(where).order_by(*table.primary_key.columns).offset(offset).limit(limit)
    items = [dict(row) for row in session.execute(query).mappings()]
    return Page(items, total, offset, limit)


def _filter_conditions(kind_name: str, filters: RetrievalFilters) -> list[ColumnElement[bool]]:
    table = MODELS[kind_name].__table__
    conditions: list[ColumnElement[bool]] = []
    if filters.region_codes:
        conditions.append(or_(*(table.c[column].like(_region_prefix(code) + "%")
                                for code in filters.region_codes for column in REGION_COLUMNS[kind_name])))
    if filters.industries and "industry_key" in table.c:
        wanted = list(filters.industries)
        conditions.append(or_(table.c.industry_key.in_(wanted), table.c.industry_section.in_(wanted)))
    if "education_rank" in table.c:
        if filters.min_education_rank is not None:
            conditions.append(table.c.education_rank >= filters.min_education_rank)
        if filters.max_education_rank is not None:
            rank = table.c.education_rank
            conditions.append(or_(rank.is_(None), rank <= filters.max_education_rank))
    if filters.willing_to_return is not None and kind_name == "talents":
        conditions.append(Talent.willing_to_return.is_(filters.willing_to_return))
    if filters.workstations and kind_name == "talents":
        wanted = list(filters.workstations)
        conditions.append(or_(Talent.workstation_id.in_(wanted), Talent.workstation.in_(wanted)))
    return conditions


def _region_prefix(code: str) -> str:
    """411600 (a city) → '4116': every code inside a region starts with its non-zero part."""
    return code[:2] if code.endswith("0000") else code[:4] if code.endswith("00") else code


def _certificate_condition(model: type, certificate: str) -> ColumnElement[bool]:
    """A canonical certificate name in certificates_norm, or the text in the raw certificates cell.

    certificates_norm is JSON text written by json.dumps (ASCII escapes), so the name is looked for in
    that form; '!' escapes LIKE wildcards so a backslash in the escapes stays literal on PostgreSQL too.
    """
    in_json = _like_text(f'"name": {json.dumps(certificate)}')
    return or_(cast(model.certificates_norm, Text).like(in_json, escape="!"),
               model.certificates.like(_like_text(certificate), escape="!"))


def _like_text(text: str) -> str:
    escaped = text.replace("!", "!!").replace("%", "!%").replace("_", "!_")
    return f"%{escaped}%"


def _scope_conditions(scope: TalentScope) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if scope.workstation_id is not None:
        conditions.append(Talent.workstation_id == scope.workstation_id)
    if scope.talent_id is not None:
        conditions.append(Talent.talent_id == scope.talent_id)
    if scope.visible_to_employer is not None:
        employer = scope.visible_to_employer
        consented = cast(Talent.consented_employer_ids, Text).like(_like_text(json.dumps(employer)), escape="!")
        known = or_(Talent.talent_id.in_(_linked_talents(employer)), Talent.talent_id.in_(_shown_talents(employer)))
        conditions.append(or_(consented, known))
    return conditions


def _linked_talents(employer_id: str):  # noqa: ANN202 - a SQLAlchemy Select
    return select(Event.talent_id).join(Job, Job.job_id == Event.job_id).where(Job.employer_id == employer_id)


def _shown_talents(employer_id: str):  # noqa: ANN202 - a SQLAlchemy Select
    """Talents the matcher proposed for a saved job to any current user of this employer (the audit log records
    each one shown). Keyed by user id, and only entries written since that user was created: SQLite may give
    a deleted user's id to the next user, who must not inherit what the old one was shown."""
    return (select(AuditLog.subject_id)
            .join(User, and_(User.id == AuditLog.actor_id, AuditLog.at >= User.created_at))
            .where(User.employer_id == employer_id, AuditLog.subject_kind == "talent", AuditLog.action == "search"))


def known_to_employer(session: Session, employer_id: str, talent_ids: list[str]) -> set[str]:
    """Those of ``talent_ids`` the employer has legitimately come across: linked to one of its jobs by an
    event, or shown to one of its users as a candidate. Any other talent id is, to them, unknown."""
    known: set[str] = set()
    for chunk in chunked(sorted(set(talent_ids)), 900):
        known.update(session.scalars(_linked_talents(employer_id).where(Event.talent_id.in_(chunk)).distinct()))
        known.update(session.scalars(_shown_talents(employer_id).where(AuditLog.subject_id.in_(chunk)).distinct()))
    return known
