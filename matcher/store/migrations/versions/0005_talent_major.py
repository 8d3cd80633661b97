"""Talents carry their catalogue major: major_code (majors.csv) and major_occupations (大典 prefixes).

Rows stored before this revision keep nulls until they are imported or updated again.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("talents") as batch:
        batch.add_column(sa.Column("major_code", sa.String(length=16)))
        batch.add_column(sa.Column("major_occupations", sa.JSON()))


def downgrade() -> None:
    with op.batch_alter_table("talents") as batch:
        batch.drop_column("major_occupations")
        batch.drop_column("major_code")
