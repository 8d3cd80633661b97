"""Identity and bureau-sheet columns; the workstations that registered each talent.

Talents: keyed hashes of the ID number and of name + phone, every phone, school, current employer, remarks.
Jobs: an identity key (employer + title + place). talent_workstations: every workstation that sent a person.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TALENT_TEXT_COLUMNS = ("school", "current_employer", "remarks")


def upgrade() -> None:
    # Plain ADD COLUMN (no table rebuild): every new column is nullable.
    op.add_column("talents", sa.Column("phones", sa.JSON()))
    for name in ("id_hash", "contact_hash"):
        op.add_column("talents", sa.Column(name, sa.String(length=64)))
        op.create_index(op.f(f"ix_talents_{name}"), "talents", [name])
    for name in TALENT_TEXT_COLUMNS:
        op.add_column("talents", sa.Column(name, sa.Text()))
    op.add_column("jobs", sa.Column("identity_key", sa.String(length=64)))
    op.create_index(op.f("ix_jobs_identity_key"), "jobs", ["identity_key"])
    op.create_table(
        "talent_workstations",
        sa.Column("talent_id", sa.String(length=64), nullable=False),
        sa.Column("workstation", sa.Text(), nullable=False),
        sa.Column("first_file", sa.Text()),
        sa.Column("linked_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["talent_id"], ["talents.talent_id"], ondelete="CASCADE",
                                name=op.f("fk_talent_workstations_talent_id_talents")),
        sa.PrimaryKeyConstraint("talent_id", "workstation", name=op.f("pk_talent_workstations")),
    )


def downgrade() -> None:
    op.drop_table("talent_workstations")
    op.drop_index(op.f("ix_jobs_identity_key"), "jobs")
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("identity_key")
    for name in ("id_hash", "contact_hash"):
        op.drop_index(op.f(f"ix_talents_{name}"), "talents")
    with op.batch_alter_table("talents") as batch:
        for name in ("phones", "id_hash", "contact_hash", *TALENT_TEXT_COLUMNS):
            batch.drop_column(name)
