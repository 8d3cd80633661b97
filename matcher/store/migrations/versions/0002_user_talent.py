"""Bind a seeker's user account to their own talent profile: users.talent_id.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Deleting a talent unbinds the account rather than failing: the seeker may create a new profile.
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("talent_id", sa.String(length=64)))
        batch.create_foreign_key(op.f("fk_users_talent_id_talents"), "talents", ["talent_id"], ["talent_id"],
                                 ondelete="SET NULL")


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint(op.f("fk_users_talent_id_talents"), type_="foreignkey")
        batch.drop_column("talent_id")
