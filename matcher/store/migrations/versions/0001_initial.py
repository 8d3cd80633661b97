"""Initial schema: organisations, talents, jobs, events, users, import and audit logs.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.String(length=64)
CODE = sa.String(length=16)


def _timestamps() -> list[sa.Column]:
    return [sa.Column("created_at", sa.DateTime(), nullable=False), sa.Column("updated_at", sa.DateTime())]


def _text(*names: str) -> list[sa.Column]:
    return [sa.Column(name, sa.Text()) for name in names]


def _codes(*names: str) -> list[sa.Column]:
    return [sa.Column(name, CODE) for name in names]


def _industry() -> list[sa.Column]:
    return [sa.Column("industry_key", sa.String(length=32)), sa.Column("industry_section", sa.String(length=2))]


def upgrade() -> None:
    _organisations()
    _talents()
    _jobs()
    _events_and_users()
    _logs()


def _organisations() -> None:
    op.create_table(
        "employers",
        sa.Column("employer_id", ID, nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        *_text("industry", "city", "county", "nature", "size", "description"),
        *_codes("province_code", "city_code", "county_code"),
        *_industry(),
        *_timestamps(),
        sa.PrimaryKeyConstraint("employer_id", name=op.f("pk_employers")),
    )
    op.create_index(op.f("ix_employers_name"), "employers", ["name"])
    op.create_table(
        "workstations",
        sa.Column("workstation_id", ID, nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        *_text("city", "host_organisation"),
        *_codes("province_code", "city_code"),
        *_timestamps(),
        sa.PrimaryKeyConstraint("workstation_id", name=op.f("pk_workstations")),
    )
    op.create_index(op.f("ix_workstations_name"), "workstations", ["name"])


def _talents() -> None:
    op.create_table(
        "talents",
        sa.Column("talent_id", ID, nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("gender", sa.String(length=4)),
        sa.Column("birth_year", sa.Integer()),
        sa.Column("phone", sa.String(length=20)),
        sa.Column("id_number", sa.String(length=18)),
        *_text("hometown", "current_city", "workstation", "education", "major"),
        sa.Column("experience_years", sa.Float()),
        *_text("certificates", "skills", "industry", "current_title", "summary", "expected_salary",
               "intent_cities"),
        sa.Column("willing_to_return", sa.Boolean()),
        sa.Column("category", sa.Text()),
        *_codes("hometown_province_code", "hometown_city_code", "hometown_county_code", "current_city_code"),
        sa.Column("intent_city_codes", sa.JSON()),
        sa.Column("education_rank", sa.Integer()),
        sa.Column("expected_salary_min", sa.Integer()),
        sa.Column("expected_salary_max", sa.Integer()),
        sa.Column("certificates_norm", sa.JSON()),
        sa.Column("skills_norm", sa.JSON()),
        *_industry(),
        sa.Column("occupation_code", CODE),
        sa.Column("workstation_id", ID),
        sa.Column("consented_employer_ids", sa.JSON(), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(["workstation_id"], ["workstations.workstation_id"],
                                name=op.f("fk_talents_workstation_id_workstations")),
        sa.PrimaryKeyConstraint("talent_id", name=op.f("pk_talents")),
    )
    for column in ("hometown_province_code", "hometown_city_code", "occupation_code", "workstation_id"):
        op.create_index(op.f(f"ix_talents_{column}"), "talents", [column])


def _jobs() -> None:
    op.create_table(
        "jobs",
        sa.Column("job_id", ID, nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("employer", sa.Text(), nullable=False),
        sa.Column("industry", sa.Text()),
        sa.Column("city", sa.Text(), nullable=False),
        *_text("county", "education", "experience", "certificates", "skills", "description", "salary"),
        sa.Column("headcount", sa.Integer()),
        sa.Column("urgency_stars", sa.Integer()),
        sa.Column("urgency_index", sa.Float()),
        sa.Column("benefits", sa.Text()),
        *_codes("province_code", "city_code", "county_code"),
        sa.Column("education_rank", sa.Integer()),
        sa.Column("experience_min", sa.Float()),
        sa.Column("experience_max", sa.Float()),
        sa.Column("salary_min", sa.Integer()),
        sa.Column("salary_max", sa.Integer()),
        sa.Column("certificates_norm", sa.JSON()),
        sa.Column("skills_norm", sa.JSON()),
        *_industry(),
        sa.Column("occupation_code", CODE),
        sa.Column("employer_id", ID),
        *_timestamps(),
        sa.ForeignKeyConstraint(["employer_id"], ["employers.employer_id"],
                                name=op.f("fk_jobs_employer_id_employers")),
        sa.PrimaryKeyConstraint("job_id", name=op.f("pk_jobs")),
    )
    for column in ("city_code", "employer_id", "occupation_code"):
        op.create_index(op.f(f"ix_jobs_{column}"), "jobs", [column])


def _events_and_users() -> None:
    op.create_table(
        "events",
        sa.Column("event_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("talent_id", ID, nullable=False),
        sa.Column("job_id", ID, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("source", sa.String(length=32)),
        sa.CheckConstraint("kind IN ('viewed', 'applied', 'interviewed', 'hired', 'rejected')",
                           name=op.f("ck_events_kind")),
        sa.ForeignKeyConstraint(["job_id"], ["jobs.job_id"], name=op.f("fk_events_job_id_jobs")),
        sa.ForeignKeyConstraint(["talent_id"], ["talents.talent_id"], name=op.f("fk_events_talent_id_talents")),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_events")),
        sa.UniqueConstraint("talent_id", "job_id", "kind", "occurred_at", name="uq_events_natural_key"),
    )
    op.create_index("ix_events_job_id", "events", ["job_id"])
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("workstation_id", ID),
        sa.Column("employer_id", ID),
        sa.Column("api_key_hash", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["employer_id"], ["employers.employer_id"],
                                name=op.f("fk_users_employer_id_employers")),
        sa.ForeignKeyConstraint(["workstation_id"], ["workstations.workstation_id"],
                                name=op.f("fk_users_workstation_id_workstations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("api_key_hash", name=op.f("uq_users_api_key_hash")),
        sa.UniqueConstraint("name", name=op.f("uq_users_name")),
    )


def _logs() -> None:
    op.create_table(
        "import_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64)),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime()),
        *[sa.Column(name, sa.Integer(), nullable=False)
          for name in ("rows", "inserted", "updated", "unchanged", "rejected")],
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("error_summary", sa.Text()),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_log")),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=32)),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("subject_kind", sa.String(length=32), nullable=False),
        sa.Column("subject_id", ID),
        sa.Column("detail", sa.JSON()),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"])
    op.create_index("ix_audit_log_subject", "audit_log", ["subject_kind", "subject_id"])


def downgrade() -> None:
    for table in ("audit_log", "import_log", "users", "events", "jobs", "talents", "workstations", "employers"):
        op.drop_table(table)
