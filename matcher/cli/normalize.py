"""``matcher normalize KIND [TEXT ...]``: run one normaliser over values given as arguments or on stdin."""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from matcher.config import Settings
from matcher.normalize.values import NORMALISERS, normalise_values


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "normalize", help="Normalise free-text values (regions, certificates, salaries, job titles, ...).",
        description="Normalise each TEXT (or each stdin line when no TEXT is given); one result per input.")
    parser.add_argument("kind", choices=sorted(NORMALISERS), help="which normaliser to run")
    parser.add_argument("texts", nargs="*", metavar="TEXT", help="values to normalise (default: stdin lines)")
    parser.add_argument("--json", action="store_true", help="print one JSON list with an object per input")
    parser.add_argument("--top", type=int, default=3, help="occupation only: how many matches per title")
    parser.set_defaults(handler=run_normalize)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return " ".join(_cell(v) for v in value.values() if v is not None)
    if isinstance(value, list):
        return "; ".join(_cell(item) for item in value)
    return str(value)


def _line(result: dict[str, Any]) -> str:
    return "\t".join(_cell(value) for value in result.values())


def run_normalize(args: argparse.Namespace, settings: Settings) -> int:
    texts = args.texts or [line.rstrip("\r\n") for line in sys.stdin]
    try:
        results = normalise_values(args.kind, texts, top=args.top)
    except ModuleNotFoundError as error:
        sys.stderr.write(f"matcher normalize {args.kind}: normaliser not available ({error})\n")
        return 2
    if args.json:
        sys.stdout.write(json.dumps(results, ensure_ascii=False) + "\n")
    else:
        sys.stdout.writelines(_line(result) + "\n" for result in results)
    return 0
