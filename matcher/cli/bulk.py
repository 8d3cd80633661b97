"""``matcher bulk``: every talent of a pool ranked against the loaded jobs, for a recruitment event."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from matcher.config import Settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "bulk", help="rank a whole talent pool against all jobs; restartable, streamed to --out",
        description="Writes talent_top.csv, job_shortlists.csv, summary.json and matches.xlsx (talent ids only, "
                    "no personal data). Rerun the same command after an interruption to resume.")
    pool = parser.add_mutually_exclusive_group()
    pool.add_argument("--workstation", metavar="NAME_OR_ID", help="only this workstation's talents")
    pool.add_argument("--talent-ids", type=Path, metavar="FILE", help="talent ids, one a line")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR")
    parser.add_argument("--top", type=int, default=20, help="jobs per talent (default 20)")
    parser.add_argument("--shortlist", type=int, default=20, help="talents per job (default 20)")
    parser.add_argument("--batch", type=int, default=512, help="talents per batch (default 512)")
    parser.add_argument("--restart", action="store_true", help="discard an existing checkpoint in --out")
    parser.set_defaults(handler=_run)


def _run(args: argparse.Namespace, settings: Settings) -> int:
    if min(args.top, args.shortlist, args.batch) < 1:
        print("matcher bulk: --top, --shortlist and --batch must be at least 1", file=sys.stderr)
        return 2
    from matcher.bulk import BulkParams, CheckpointMismatch, run_bulk  # heavy (torch, faiss): only when run
    from matcher.pipeline import Matcher

    matcher = Matcher.open(settings)
    try:
        ids, pool = _pool(matcher.talents.frame, args)
        params = BulkParams(top=args.top, shortlist=args.shortlist, batch=args.batch, pool=pool)
        result = run_bulk(matcher, ids, args.out, params, restart=args.restart, progress=sys.stdout.isatty())
    except (CheckpointMismatch, ValueError, OSError) as error:
        print(f"matcher bulk: {error}", file=sys.stderr)
        return 1
    s = result.summary
    print(f"{s['talents']} talents × {s['jobs']} jobs: {s['pairs']} rows, {len(s['urgent_gaps'])} urgent "
          f"positions short of candidates, {s['seconds']:.1f} s -> {result.out_dir}")
    return 0


def _pool(talents, args: argparse.Namespace) -> tuple[list[str], str]:
    """The talent ids to rank and how they were chosen; ValueError names what did not match."""
    if args.workstation:
        wanted = args.workstation
        chosen = talents[(talents["workstation_id"] == wanted) | (talents["workstation"] == wanted)]
        if chosen.empty:
            raise ValueError(f"no talents belong to workstation {wanted!r} (give its id or exact name)")
        return list(chosen.index), f"workstation:{wanted}"
    if args.talent_ids:
        lines = args.talent_ids.read_text(encoding="utf-8-sig").splitlines()
        ids = list(dict.fromkeys(line.strip() for line in lines if line.strip()))
        unknown = [i for i in ids if i not in talents.index]
        if unknown:
            raise ValueError(f"{args.talent_ids}: {len(unknown)} unknown talent id(s), e.g. {unknown[:5]}")
        return ids, "talent-ids"
    return list(talents.index), "all"
