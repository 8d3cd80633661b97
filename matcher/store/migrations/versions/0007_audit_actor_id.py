"""Audit entries name their actor by user id: what an employer's users were shown is theirs, not a name's.

A user deleted and re-created under the same name is a new user; keyed by name, the new one inherited
every talent shown to the old one as "known". Existing entries get the id of the user who bore the name
when the entry was written (created no later than it); the others stay without one.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("audit_log", sa.Column("actor_id", sa.Integer()))
    op.create_index(op.f("ix_audit_log_actor_id"), "audit_log", ["actor_id"])
    op.execute("UPDATE audit_log SET actor_id = (SELECT users.id FROM users WHERE users.name = audit_log.actor "
               "AND users.created_at <= audit_log.at)")


def downgrade() -> None:
    op.drop_index(op.f("ix_audit_log_actor_id"), table_name="audit_log")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("actor_id")
