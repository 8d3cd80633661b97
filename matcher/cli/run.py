"""``matcher run``: the main job — data in, model, indexes and rankers ready, a sample match, then serve."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from matcher.cli.serve import add_worker_option, serve
from matcher.config import Settings

if TYPE_CHECKING:
    from matcher.pipeline import Matcher

KINDS = ("talents", "jobs", "events", "employers", "workstations")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("run", help="the main job: import (or demo data), build, train, serve")
    for kind in KINDS:
        parser.add_argument(f"--{kind}", type=Path, help=f"{kind} CSV/XLSX to import")
    parser.add_argument("--demo-talents", type=int, default=10_000, help="demo pool size when no data is given")
    parser.add_argument("--demo-jobs", type=int, default=243)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-serve", dest="serve", action="store_false", help="prepare only, do not serve")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    add_worker_option(parser)
    parser.set_defaults(handler=_run)


def _run(args: argparse.Namespace, settings: Settings) -> int:
    from matcher.bootstrap import DataFiles, ImportRejected, prepare

    files = DataFiles(**{kind: getattr(args, kind) for kind in KINDS})
    try:
        report = prepare(settings, files, args.demo_talents, args.demo_jobs, args.seed)
    except ImportRejected as rejected:
        print(str(rejected), file=sys.stderr)
        print(f"{rejected.result.file}: nothing imported from it; fix the errors and run again", file=sys.stderr)
        return 1
    if report.demo_dir:
        print(f"demo data generated in {report.demo_dir}")
    for kind, counts in report.imported.items():
        print(f"imported {kind}: {counts['inserted']} new, {counts['updated']} updated")
    for trained in report.trained:
        ranker, hybrid = trained["metrics"]["ranker"], trained["metrics"]["hybrid"]
        print(f"trained {trained['direction']} ranker {trained['version']}: held-out NDCG@10 "
              f"{ranker['ndcg@10']:.3f} (hybrid retrieval {hybrid['ndcg@10']:.3f}); "
              f"activated: {trained['promotion']['activated']}")
    _sample(report.matcher)
    if not args.serve:
        return 0
    workers = "1 worker" if args.workers == 1 else f"{args.workers} workers"
    print(f"serving on http://{args.host}:{args.port}/docs with {workers}  (Ctrl-C stops)")
    report.matcher.flush()  # the service opens its own Matcher: let it reuse the pools just built
    report.matcher = None  # the service loads its own; this copy would only hold memory while serving
    serve(settings, args.host, args.port, args.workers)
    return 0


def _sample(matcher: Matcher) -> None:
    if matcher.talents.frame.empty:
        return
    talent_id = str(matcher.talents.frame.index[0])
    matches = matcher.recommend([talent_id], top=3)[talent_id]
    print(f"sample: top jobs for talent {talent_id}")
    print(json.dumps([m.to_dict() for m in matches], ensure_ascii=False, indent=2))
