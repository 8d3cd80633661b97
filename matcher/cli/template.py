"""``matcher template talents|jobs|events [--out FILE]``: a blank import sheet with drop-downs and a 说明 sheet."""
from __future__ import annotations

import argparse
from pathlib import Path

from matcher.config import Settings

TEMPLATE_KINDS = ("talents", "jobs", "events")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "template", help="Write a blank XLSX import sheet (headers, drop-down lists, an example row, notes).",
        description="The sheet imports as it is once filled in: its headers are the importer's, its drop-down "
                    "choices values the row checks accept; the example row (序号 示例) is never imported.")
    parser.add_argument("kind", choices=TEMPLATE_KINDS)
    parser.add_argument("--out", type=Path, help="where to write it (default: 人才信息登记表模板.xlsx etc. here)")
    parser.set_defaults(handler=run_template)


def run_template(args: argparse.Namespace, settings: Settings) -> int:
    from matcher.store.templates import template_file_name, template_workbook

    path = args.out or Path(template_file_name(args.kind))
    path.parent.mkdir(parents=True, exist_ok=True)
    template_workbook(args.kind).save(path)
    print(path)  # noqa: T201 - the command's own output
    return 0
