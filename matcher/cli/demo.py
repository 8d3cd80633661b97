"""``matcher demo generate``: write a seeded demo dataset (talents, jobs, events, employers, workstations)."""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from matcher.config import Settings
from matcher.demo import write_demo


def register(subparsers: argparse._SubParsersAction) -> None:
    demo = subparsers.add_parser("demo", help="seeded demo data")
    commands = demo.add_subparsers(dest="demo_command", required=True)
    generate = commands.add_parser("generate", help="write the five demo CSV files")
    generate.add_argument("--talents", type=int, default=10_000, help="talents to generate (1..2000000)")
    generate.add_argument("--jobs", type=int, default=243, help="positions (1..20000; 243 = Zhengzhou 2021)")
    generate.add_argument("--seed", type=int, default=0, help="random seed; same seed, same bytes")
    generate.add_argument("--out", type=Path, default=None, help="output directory (default <data_dir>/demo)")
    generate.add_argument("--chunk-size", type=int, default=100_000, help="talents per streamed chunk")
    generate.set_defaults(handler=_generate)


def _generate(args: argparse.Namespace, settings: Settings) -> int:
    out_dir = args.out or settings.data_dir / "demo"
    started = time.perf_counter()
    try:
        summary = write_demo(out_dir, args.talents, args.jobs, args.seed, args.chunk_size)
    except ValueError as error:
        print(f"matcher demo generate: {error}")  # noqa: T201 - CLI output
        return 2
    report = {"out": str(summary.out_dir), "rows": summary.rows, "events_by_kind": summary.events_by_kind,
              "seconds": round(time.perf_counter() - started, 1)}
    print(json.dumps(report, ensure_ascii=False, indent=2))  # noqa: T201 - CLI output
    return 0
