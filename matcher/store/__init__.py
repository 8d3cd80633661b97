"""Database access: SQLAlchemy models and sessions, Alembic migrations, imports, audit, DataFrame loaders."""
