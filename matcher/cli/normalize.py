"""``matcher normalize KIND [TEXT ...]``: run one normaliser over values given as arguments or on stdin."""
from __future__ import annotations

import argparse
import dataclasses
import importlib
import json
import sys
from collections.abc import Callable
from typing import Any, NamedTuple

from matcher.config import Settings


class NormaliserSpec(NamedTuple):
    module: str
    function: str
    list_field: str | None  # results that are lists are wrapped as {"raw": text, list_field: [...]}


NORMALISERS: dict[str, NormaliserSpec] = {
    "region": NormaliserSpec("matcher.normalize.region", "normalize_region", None),
    "certificate": NormaliserSpec("matcher.normalize.certificate", "normalize_certificates", "certificates"),
    "education": NormaliserSpec("matcher.normalize.education", "normalize_education", None),
    "salary": NormaliserSpec("matcher.normalize.salary", "normalize_salary", None),
    "experience": NormaliserSpec("matcher.normalize.experience", "normalize_experience", None),
    "occupation": NormaliserSpec("matcher.normalize.occupation", "match_occupations", "matches"),
    "industry": NormaliserSpec("matcher.normalize.industry", "normalize_industry", None),
    "skills": NormaliserSpec("matcher.normalize.skills", "tokenize_skills", "skills"),
}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "normalize", help="Normalise free-text values (regions, certificates, salaries, job titles, ...).",
        description="Normalise each TEXT (or each stdin line when no TEXT is given); one result per input.")
    parser.add_argument("kind", choices=sorted(NORMALISERS), help="which normaliser to run")
    parser.add_argument("texts", nargs="*", metavar="TEXT", help="values to normalise (default: stdin lines)")
    parser.add_argument("--json", action="store_true", help="print one JSON list with an object per input")
    parser.add_argument("--top", type=int, default=3, help="occupation only: how many matches per title")
    parser.set_defaults(handler=run_normalize)


def _load(kind: str) -> Callable[..., Any]:
    spec = NORMALISERS[kind]
    return getattr(importlib.import_module(spec.module), spec.function)


def _as_json(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, list | tuple):
        return [_as_json(item) for item in value]
    return value


def normalise_values(kind: str, texts: list[str], top: int = 3) -> list[dict[str, Any]]:
    """The JSON form of each text's result, in input order."""
    spec = NORMALISERS[kind]
    normaliser = _load(kind)
    results = []
    for text in texts:
        result = normaliser(text, top=top) if kind == "occupation" else normaliser(text)
        as_json = _as_json(result)
        results.append({"raw": text, spec.list_field: as_json} if spec.list_field else as_json)
    return results


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
