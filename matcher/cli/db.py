"""``matcher db upgrade``: bring the database schema to the newest migration."""
from __future__ import annotations

import argparse

from sqlalchemy.engine import make_url

from matcher.config import Settings
from matcher.store.db import make_engine, upgrade_database


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("db", help="Database schema management.")
    actions = parser.add_subparsers(dest="action", required=True)
    upgrade = actions.add_parser("upgrade", help="Apply every pending migration (safe to repeat).")
    upgrade.set_defaults(handler=run_upgrade)


def run_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    upgrade_database(settings, make_engine(settings))
    url = make_url(settings.resolved_database_url).render_as_string()  # the password stays hidden
    print(f"database schema is current: {url}")  # noqa: T201 - the command's own output
    return 0
