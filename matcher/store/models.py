"""The ORM tables: organisations, talents, jobs, events, users, the import and audit logs, and the change log."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

EVENT_KINDS = ("viewed", "applied", "interviewed", "hired", "rejected")
CHANGE_KINDS = ("talent", "job", "rankers")

# Stable constraint names keep migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ID = String(64)
CODE = String(16)


def utcnow() -> datetime:
    """Naive UTC: SQLite drops time zones, so every timestamp is stored as naive UTC on every backend."""
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime, default=utcnow)


class Employer(Timestamps, Base):
    __tablename__ = "employers"

    employer_id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(Text, index=True)
    industry: Mapped[str | None] = mapped_column(Text)
    city: Mapped[str | None] = mapped_column(Text)
    county: Mapped[str | None] = mapped_column(Text)
    nature: Mapped[str | None] = mapped_column(Text)
    size: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    province_code: Mapped[str | None] = mapped_column(CODE)
    city_code: Mapped[str | None] = mapped_column(CODE)
    county_code: Mapped[str | None] = mapped_column(CODE)
    industry_key: Mapped[str | None] = mapped_column(String(32))
    industry_section: Mapped[str | None] = mapped_column(String(2))


class Workstation(Timestamps, Base):
    __tablename__ = "workstations"

    workstation_id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(Text, index=True)
    city: Mapped[str | None] = mapped_column(Text)
    host_organisation: Mapped[str | None] = mapped_column(Text)
    province_code: Mapped[str | None] = mapped_column(CODE)
    city_code: Mapped[str | None] = mapped_column(CODE)


class Talent(Timestamps, Base):
    """Raw fields as the source gave them, each normalised value beside its raw text."""

    __tablename__ = "talents"

    talent_id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    gender: Mapped[str | None] = mapped_column(String(4))
    birth_year: Mapped[int | None] = mapped_column(Integer)
    phone: Mapped[str | None] = mapped_column(String(20))
    """The primary number: the first of the cell's numbers (``phones`` holds them all)."""
    phones: Mapped[list | None] = mapped_column(JSON)
    id_number: Mapped[str | None] = mapped_column(String(18))
    id_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    """Keyed hash (HMAC-SHA256) of the ID number: how imports recognise a person (matcher.store.identity)."""
    contact_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    """Keyed hash of name + primary phone: the identity of a person registered without an ID number."""
    hometown: Mapped[str | None] = mapped_column(Text)
    current_city: Mapped[str | None] = mapped_column(Text)
    workstation: Mapped[str | None] = mapped_column(Text)
    school: Mapped[str | None] = mapped_column(Text)
    education: Mapped[str | None] = mapped_column(Text)
    major: Mapped[str | None] = mapped_column(Text)
    experience_years: Mapped[float | None] = mapped_column(Float)
    certificates: Mapped[str | None] = mapped_column(Text)
    skills: Mapped[str | None] = mapped_column(Text)
    industry: Mapped[str | None] = mapped_column(Text)
    current_employer: Mapped[str | None] = mapped_column(Text)
    current_title: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    expected_salary: Mapped[str | None] = mapped_column(Text)
    intent_cities: Mapped[str | None] = mapped_column(Text)
    willing_to_return: Mapped[bool | None] = mapped_column(Boolean)
    category: Mapped[str | None] = mapped_column(Text)
    remarks: Mapped[str | None] = mapped_column(Text)

    hometown_province_code: Mapped[str | None] = mapped_column(CODE, index=True)
    hometown_city_code: Mapped[str | None] = mapped_column(CODE, index=True)
    hometown_county_code: Mapped[str | None] = mapped_column(CODE)
    current_city_code: Mapped[str | None] = mapped_column(CODE)
    intent_city_codes: Mapped[list | None] = mapped_column(JSON)
    education_rank: Mapped[int | None] = mapped_column(Integer)
    expected_salary_min: Mapped[int | None] = mapped_column(Integer)
    expected_salary_max: Mapped[int | None] = mapped_column(Integer)
    certificates_norm: Mapped[list | None] = mapped_column(JSON)
    skills_norm: Mapped[list | None] = mapped_column(JSON)
    industry_key: Mapped[str | None] = mapped_column(String(32))
    industry_section: Mapped[str | None] = mapped_column(String(2))
    occupation_code: Mapped[str | None] = mapped_column(CODE, index=True)
    major_code: Mapped[str | None] = mapped_column(CODE)
    major_occupations: Mapped[list | None] = mapped_column(JSON)

    workstation_id: Mapped[str | None] = mapped_column(ForeignKey("workstations.workstation_id"), index=True)
    consented_employer_ids: Mapped[list] = mapped_column(JSON, default=list)


class Job(Timestamps, Base):
    __tablename__ = "jobs"

    job_id: Mapped[str] = mapped_column(ID, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    employer: Mapped[str] = mapped_column(Text)
    industry: Mapped[str | None] = mapped_column(Text)
    city: Mapped[str] = mapped_column(Text)
    county: Mapped[str | None] = mapped_column(Text)
    education: Mapped[str | None] = mapped_column(Text)
    experience: Mapped[str | None] = mapped_column(Text)
    certificates: Mapped[str | None] = mapped_column(Text)
    skills: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    salary: Mapped[str | None] = mapped_column(Text)
    headcount: Mapped[int | None] = mapped_column(Integer)
    urgency_stars: Mapped[int | None] = mapped_column(Integer)
    urgency_index: Mapped[float | None] = mapped_column(Float)
    benefits: Mapped[str | None] = mapped_column(Text)

    province_code: Mapped[str | None] = mapped_column(CODE)
    city_code: Mapped[str | None] = mapped_column(CODE, index=True)
    county_code: Mapped[str | None] = mapped_column(CODE)
    education_rank: Mapped[int | None] = mapped_column(Integer)
    experience_min: Mapped[float | None] = mapped_column(Float)
    experience_max: Mapped[float | None] = mapped_column(Float)
    salary_min: Mapped[int | None] = mapped_column(Integer)
    salary_max: Mapped[int | None] = mapped_column(Integer)
    certificates_norm: Mapped[list | None] = mapped_column(JSON)
    skills_norm: Mapped[list | None] = mapped_column(JSON)
    industry_key: Mapped[str | None] = mapped_column(String(32))
    industry_section: Mapped[str | None] = mapped_column(String(2))
    occupation_code: Mapped[str | None] = mapped_column(CODE, index=True)

    employer_id: Mapped[str | None] = mapped_column(ForeignKey("employers.employer_id"), index=True)
    identity_key: Mapped[str | None] = mapped_column(String(64), index=True)
    """Hash of employer + title + place: how a sheet without 岗位编号 finds the position again."""


class TalentWorkstation(Base):
    """Every workstation that registered a talent: a person sent in by two workstations keeps both links."""

    __tablename__ = "talent_workstations"

    talent_id: Mapped[str] = mapped_column(ForeignKey("talents.talent_id", ondelete="CASCADE"), primary_key=True)
    workstation: Mapped[str] = mapped_column(Text, primary_key=True)
    """The workstation as the sheet named it (its id or name)."""
    first_file: Mapped[str | None] = mapped_column(Text)
    linked_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Event(Base):
    """One interaction between a talent and a job; the natural key makes event imports idempotent."""

    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint(f"kind IN ({', '.join(repr(k) for k in EVENT_KINDS)})", name="kind"),
        UniqueConstraint("talent_id", "job_id", "kind", "occurred_at", name="uq_events_natural_key"),
        Index("ix_events_job_id", "job_id"),
    )

    event_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    talent_id: Mapped[str] = mapped_column(ForeignKey("talents.talent_id"))
    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.job_id"))
    kind: Mapped[str] = mapped_column(String(16))
    occurred_at: Mapped[datetime] = mapped_column(DateTime)
    source: Mapped[str | None] = mapped_column(String(32))


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(32))
    workstation_id: Mapped[str | None] = mapped_column(ForeignKey("workstations.workstation_id"))
    employer_id: Mapped[str | None] = mapped_column(ForeignKey("employers.employer_id"))
    talent_id: Mapped[str | None] = mapped_column(ForeignKey("talents.talent_id", ondelete="SET NULL"))
    api_key_hash: Mapped[str] = mapped_column(String(128), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    """argon2id, for signing in to the web pages; None: this user has an API key only."""
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)


class LoginFailure(Base):
    """Failed sign-ins in a row for one user name from one client address, and that pair's lockout.

    Keyed by (name, address) so guessing from one address locks that address out, never the real user
    signing in from theirs; the per-name slowdown lives on ``users`` (failed_logins, locked_until)."""

    __tablename__ = "login_failures"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    address: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)


class ImportLog(Base):
    __tablename__ = "import_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32))
    file_name: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    inserted: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16))
    error_summary: Mapped[str | None] = mapped_column(Text)


class AuditLog(Base):
    """Who read or exported whose personal data; ``detail`` never holds the personal data itself."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_subject", "subject_kind", "subject_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(100))
    actor_id: Mapped[int | None] = mapped_column(Integer, index=True)
    """The user's id (API users); entries from the CLI or a bulk run have none."""
    role: Mapped[str | None] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(32))
    subject_kind: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[str | None] = mapped_column(ID)
    detail: Mapped[dict | None] = mapped_column(JSON)


class Change(Base):
    """One entry of the change log: a talent or job written (or deleted), or a ranker activated.

    ``seq`` orders entries as their transactions committed; each serving process applies the entries
    after the last one it saw (matcher.follower). Rankers have no entity id: the active set is reloaded.
    """

    __tablename__ = "changes"
    __table_args__ = (
        CheckConstraint(f"kind IN ({', '.join(repr(k) for k in CHANGE_KINDS)})", name="kind"),
        # AUTOINCREMENT: SQLite never reuses a seq, even one of a deleted last row.
        {"sqlite_autoincrement": True},
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))
    entity_id: Mapped[str | None] = mapped_column(ID)
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
