"""``matcher import talents|jobs|employers|workstations|events FILE [--json]``."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING

from matcher.config import Settings
from matcher.store.columns import IMPORT_KIND_NAMES

if TYPE_CHECKING:
    from matcher.store.imports import ImportResult

MAX_ERRORS_SHOWN = 200


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "import", help="Import a CSV (UTF-8 or GBK) or XLSX file; any bad row rejects the whole file.",
        description="Headers may be Chinese (姓名, 籍贯, 岗位名称 …) or the English field names. Errors name the "
                    "spreadsheet row as Excel shows it (header row = 1, first data row = 2).")
    kinds = parser.add_subparsers(dest="kind", required=True)
    for name in IMPORT_KIND_NAMES:
        kind = kinds.add_parser(name, help=f"Insert or update {name} by id from FILE.")
        kind.add_argument("file", type=Path, help="a .csv or .xlsx file (first sheet)")
        kind.add_argument("--json", action="store_true",
                          help='print {"inserted", "updated", "rejected", "errors"} as JSON')
        kind.set_defaults(handler=run_import)


def run_import(args: argparse.Namespace, settings: Settings) -> int:
    # Imported here so `matcher --help` does not load the normalisers' catalogues and jieba.
    from matcher.store.db import make_engine, upgrade_database
    from matcher.store.imports import import_file

    engine = make_engine(settings)
    upgrade_database(settings, engine)
    result = import_file(engine, args.kind, args.file)
    if args.json:
        _say(json.dumps(result.to_json(), ensure_ascii=False))
    else:
        _print_summary(result)
    return 0 if result.ok else 1


def _print_summary(result: ImportResult) -> None:
    if result.ok:
        _say(f"{result.file}: {result.inserted} inserted, {result.updated} updated "
             f"({result.changed} changed, {result.unchanged} unchanged)")
        return
    messages = result.messages()
    for message in messages[:MAX_ERRORS_SHOWN]:
        _say(message, sys.stderr)
    if len(messages) > MAX_ERRORS_SHOWN:
        _say(f"… and {len(messages) - MAX_ERRORS_SHOWN} more errors", sys.stderr)
    _say(f"{result.file}: nothing imported — {_count(len(messages), 'error')} in {_count(result.rejected, 'row')}; "
         "fix them and import the file again", sys.stderr)


def _say(text: str, stream: IO[str] | None = None) -> None:
    print(text, file=stream or sys.stdout)  # noqa: T201 - the command's own output


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
