"""``matcher db upgrade``: bring the database schema to the newest migration; ``matcher db prune-changes``:
delete old change-log entries."""
from __future__ import annotations

import argparse
from datetime import timedelta

from sqlalchemy.engine import make_url

from matcher.config import Settings
from matcher.store.changes import prune_changes
from matcher.store.db import make_engine, upgrade_database
from matcher.store.models import utcnow


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("db", help="Database schema and change-log maintenance.")
    actions = parser.add_subparsers(dest="action", required=True)
    upgrade = actions.add_parser("upgrade", help="Apply every pending migration (safe to repeat).")
    upgrade.set_defaults(handler=run_upgrade)
    prune = actions.add_parser(
        "prune-changes", help="Delete change-log entries older than --keep-days (the newest is always kept).",
        description="Every write of a talent or job adds a change-log entry, which serving processes apply to "
                    "their indexes; applied entries are only history. A process that had not applied a deleted "
                    "entry (idle all that time) re-reads every record at its next request instead. Run it from "
                    "cron, say weekly.")
    prune.add_argument("--keep-days", type=_positive_days, default=KEEP_DAYS,
                       help=f"keep the entries of the last N days (default {KEEP_DAYS})")
    prune.set_defaults(handler=run_prune)


KEEP_DAYS = 30


def _positive_days(text: str) -> float:
    days = float(text)
    if not days > 0:
        raise argparse.ArgumentTypeError(f"--keep-days must be more than 0, got {text}")
    return days


def run_prune(args: argparse.Namespace, settings: Settings) -> int:
    engine = make_engine(settings)
    upgrade_database(settings, engine)
    before = utcnow() - timedelta(days=args.keep_days)
    deleted = prune_changes(engine, before)
    print(f"deleted {deleted} change-log entries committed before {before:%Y-%m-%d %H:%M} UTC")  # noqa: T201
    return 0


def run_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    upgrade_database(settings, make_engine(settings))
    url = make_url(settings.resolved_database_url).render_as_string()  # the password stays hidden
    print(f"database schema is current: {url}")  # noqa: T201 - the command's own output
    return 0
