"""Alembic environment and revisions, configured in code by matcher.store.db (no alembic.ini)."""
