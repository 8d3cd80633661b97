"""Options shared by the matching subcommands: retrieval filters on the command line."""
from __future__ import annotations

import argparse

from matcher.retrieve.filters import RetrievalFilters


def add_filter_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("filters (all must hold)")
    group.add_argument("--region", action="append", default=[], metavar="CODE",
                       help="GB/T 2260 code of a province, city or county (repeatable)")
    group.add_argument("--industry", action="append", default=[], help="key industry or GB/T 4754 section")
    group.add_argument("--min-education", type=int, help="minimum education rank (1 初中 … 6 博士)")
    group.add_argument("--max-education", type=int, help="maximum education rank")
    group.add_argument("--willing-to-return", action="store_true", default=None, help="talents willing to return")
    group.add_argument("--workstation", action="append", default=[], help="workstation id or name (talents)")


def filters_from(args: argparse.Namespace) -> RetrievalFilters | None:
    filters = RetrievalFilters(
        region_codes=tuple(args.region), industries=tuple(args.industry),
        min_education_rank=args.min_education, max_education_rank=args.max_education,
        willing_to_return=args.willing_to_return, workstations=tuple(args.workstation))
    return None if filters.is_empty else filters
