"""``matcher import talents|jobs|employers|workstations|events FILE [--dry-run] [--report FILE] [--json]``."""
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
        description="Sheets are read as bureaus keep them: title and 填报单位 lines above the header, blank rows and "
                    "a 合计/填表人 footer are skipped; headers may be Chinese (姓名, 籍贯, 岗位名称 …) or the English "
                    "field names. Rows without 编号 are recognised by 身份证号, else 姓名 + 联系电话 (jobs: 单位 + "
                    "岗位名称 + 所在地). Errors name the spreadsheet row as Excel shows it.")
    kinds = parser.add_subparsers(dest="kind", required=True)
    for name in IMPORT_KIND_NAMES:
        kind = kinds.add_parser(name, help=f"Insert or update {name} from FILE.")
        kind.add_argument("file", type=Path, help="a .csv or .xlsx file (first sheet)")
        kind.add_argument("--dry-run", action="store_true",
                          help="report what would be inserted, updated and unchanged, and every warning; write nothing")
        kind.add_argument("--report", type=Path, metavar="FILE",
                          help="write an XLSX copy of the file with bad cells red, unresolved ones yellow, "
                               "each with a comment")
        kind.add_argument("--json", action="store_true",
                          help="print the outcome (counts, errors, warnings, notes) as JSON")
        kind.set_defaults(handler=run_import)


def run_import(args: argparse.Namespace, settings: Settings) -> int:
    # Imported here so `matcher --help` does not load the normalisers' catalogues and jieba.
    from matcher.store.db import make_engine, upgrade_database
    from matcher.store.identity import identity_secret
    from matcher.store.imports import ImportOptions, import_file

    engine = make_engine(settings)
    upgrade_database(settings, engine)
    options = ImportOptions(secret=identity_secret(settings), dry_run=args.dry_run, report=args.report)
    result = import_file(engine, args.kind, args.file, options)
    if args.json:
        _say(json.dumps(result.to_json(), ensure_ascii=False))
    else:
        _print_summary(result)
    return 0 if result.ok else 1


def _print_summary(result: ImportResult) -> None:
    from matcher.store.import_summary import summary_lines

    if not result.ok:
        messages = result.messages()
        for message in messages[:MAX_ERRORS_SHOWN]:
            _say(message, sys.stderr)
        if len(messages) > MAX_ERRORS_SHOWN:
            _say(f"… and {len(messages) - MAX_ERRORS_SHOWN} more errors", sys.stderr)
    stream = sys.stdout if result.ok else sys.stderr
    for line in summary_lines(result):
        _say(line, stream)


def _say(text: str, stream: IO[str] | None = None) -> None:
    print(text, file=stream or sys.stdout)  # noqa: T201 - the command's own output
