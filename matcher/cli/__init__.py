"""The ``matcher`` command: thin subcommands over the same core the API uses."""
from __future__ import annotations

import argparse
import importlib
import logging
import sys

from matcher.config import Settings, get_settings
from matcher.personal_data import install_log_scrubbing

# Each module registers its subcommands with ``register(subparsers)`` and sets
# ``handler(args, settings) -> int`` as the parser default.
COMMAND_MODULES: tuple[str, ...] = (
    "db", "imports", "template", "normalize", "demo", "model", "index", "match", "bulk", "train", "run", "serve",
    "users",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="matcher", description="Talent–job matching for Henan's talent programmes.")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(f"matcher.cli.{name}").register(subparsers)
    return parser


def main(argv: list[str] | None = None, settings: Settings | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = settings or get_settings()
    configure_logging(settings)
    return int(args.handler(args, settings) or 0)


def configure_logging(settings: Settings) -> None:
    """The commands' logging (also each API worker process's, which starts without the CLI's)."""
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    install_log_scrubbing()
    # jieba logs its dictionary loading at DEBUG through its own stderr handler: keep it to warnings.
    logging.getLogger("jieba").setLevel(logging.WARNING)


if __name__ == "__main__":
    sys.exit(main())
