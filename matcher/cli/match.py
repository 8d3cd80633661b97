"""``matcher recommend`` (talent -> jobs) and ``matcher candidates`` (job -> talents): the API's pipeline."""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pandas as pd

from matcher.cli.options import add_filter_options, filters_from
from matcher.config import Settings

if TYPE_CHECKING:
    from matcher.pipeline import Match

BATCH = 256
"""Ids ranked per call with --all: output streams in batches, never the whole pool at once."""


def register(subparsers: argparse._SubParsersAction) -> None:
    commands = (("recommend", "--talent", "jobs for talents"), ("candidates", "--job", "talents for jobs"))
    for name, flag, what in commands:
        parser = subparsers.add_parser(name, help=f"ranked {what}, with reasons")
        parser.add_argument(flag, dest="ids", action="append", default=[], metavar="ID", help="repeatable")
        parser.add_argument("--all", action="store_true", help="every saved record (one JSON object keyed by id)")
        parser.add_argument("--top", type=int, default=10)
        parser.add_argument("--json", action="store_true", help="JSON output")
        add_filter_options(parser)
        parser.set_defaults(handler=_run, direction=name)


def _run(args: argparse.Namespace, settings: Settings) -> int:
    if not args.ids and not args.all:
        print(f"matcher {args.direction}: give ids ({'--talent' if args.direction == 'recommend' else '--job'} ID) "
              "or --all", file=sys.stderr)
        return 2
    from matcher.pipeline import Matcher  # heavy (torch, faiss): only when matching

    matcher = Matcher.open(settings)
    frame = matcher.talents.frame if args.direction == "recommend" else matcher.jobs.frame
    ids = list(frame.index) if args.all else args.ids
    rank = matcher.recommend if args.direction == "recommend" else matcher.candidates
    filters = filters_from(args)
    try:
        batches = (rank(ids[i:i + BATCH], args.top, filters) for i in range(0, len(ids), BATCH))
        if args.json:
            _write_json(batches, keyed=args.all or len(ids) > 1)
        else:
            other = matcher.jobs.frame if args.direction == "recommend" else matcher.talents.frame
            _write_text(batches, other, args.direction)
    except KeyError as error:
        print(f"matcher {args.direction}: {error.args[0]}", file=sys.stderr)
        return 1
    return 0


def _write_json(batches: Iterator[dict[str, list[Match]]], keyed: bool) -> None:
    out = sys.stdout
    if not keyed:
        (result,) = next(batches).values()
        out.write(json.dumps([m.to_dict() for m in result], ensure_ascii=False) + "\n")
        return
    out.write("{")
    first = True
    for batch in batches:
        for key, matches in batch.items():
            out.write(("" if first else ",") + "\n" + json.dumps(key, ensure_ascii=False) + ": "
                      + json.dumps([m.to_dict() for m in matches], ensure_ascii=False))
            first = False
    out.write("\n}\n")


def _write_text(batches: Iterator[dict[str, list[Match]]], candidates: pd.DataFrame, direction: str) -> None:
    """Readable lines: jobs by title, employer and city; talents by id and current title (no personal data)."""
    from matcher.rank.relevance import NO_JOB, NO_TALENT

    columns = ("title", "employer", "city") if direction == "recommend" else ("current_title",)
    for batch in batches:
        for key, matches in batch.items():
            print(f"== {key}")
            if not matches:
                nothing = NO_JOB if direction == "recommend" else NO_TALENT
                lacking = "；".join(getattr(matches, "missing", ()))
                print(f"  {nothing}" + (f"（最接近的：{lacking}）" if lacking else ""))
            for m in matches:
                label = " ".join(str(candidates.at[m.id, c]) for c in columns if c in candidates)
                print(f"{m.rank:>3}. {m.id} {label}  score {m.score:.3f}  " + "；".join(m.reasons[:4]))
