"""``matcher bulk``: every talent of a pool ranked against the event's jobs, for a recruitment event."""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from matcher.config import Settings
from matcher.retrieve.hybrid import RANK_DEPTH


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "bulk", help="rank a whole talent pool against all jobs; restartable, streamed to --out",
        description="Writes talent_top.csv, job_shortlists.csv, schedule.csv (the interview timetable), "
                    "unplaced.csv, summary.json, matches.xlsx (print-ready, a sheet per booth), booth_sheets.pdf, "
                    "interview_slips.pdf and report.html/.pdf (talent ids only unless --contacts). Rerun the same "
                    "command after an interruption to resume.")
    pool = parser.add_mutually_exclusive_group()
    pool.add_argument("--workstation", metavar="NAME_OR_ID", help="only this workstation's talents")
    pool.add_argument("--talents", type=Path, metavar="FILE",
                      help="a talents CSV/XLSX: imported (all or nothing), then only its talents are ranked")
    pool.add_argument("--talent-ids", type=Path, metavar="FILE", help="talent ids, one a line")
    parser.add_argument("--jobs", type=Path, metavar="FILE",
                        help="the event's positions as a jobs CSV/XLSX: imported, then only they are matched "
                             "(default: every loaded job)")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR")
    parser.add_argument("--top", type=int, default=20, help="jobs per talent (default 20)")
    parser.add_argument("--shortlist", type=int, default=20, help="talents per job (default 20)")
    parser.add_argument("--depth", type=int, default=RANK_DEPTH,
                        help=f"fused candidates ranked per talent (default {RANK_DEPTH}; 0 = all retrieved)")
    parser.add_argument("--batch", type=int, default=1024, help="talents per batch (default 1024)")
    parser.add_argument("--engine", choices=("local", "spark"), default="local")
    parser.add_argument("--workers", type=int, help="local engine: worker processes (default: one per core)")
    parser.add_argument("--spark-master", default="local[2]", help="spark engine: master URL (default local[2])")
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv",
                        help="tables for machines: CSV (always written) or also Parquet")
    parser.add_argument("--interviews-per-talent", type=int, default=3)
    parser.add_argument("--interviews-per-headcount", type=float, default=3.0,
                        help="a job interviews at most headcount × this many candidates (default 3)")
    parser.add_argument("--employer-slots", type=int, help="interviews each employer's booth can hold")
    event = parser.add_argument_group("event timetable")
    event.add_argument("--event-date", type=_date, metavar="YYYY-MM-DD", help="printed on sheets and slips")
    event.add_argument("--start", type=_clock, default=dt.time(9, 0), metavar="HH:MM",
                       help="first interview (default 09:00)")
    event.add_argument("--end", type=_clock, default=dt.time(12, 0), metavar="HH:MM",
                       help="interviews end (default 12:00)")
    event.add_argument("--slot-minutes", type=int, default=15, help="minutes an interview (default 15)")
    event.add_argument("--booths", choices=("employer", "job"), default="employer",
                       help="a booth per employer (default) or per job")
    event.add_argument("--interviewers", type=int, default=1,
                       help="interviews a booth holds at once (default 1)")
    event.add_argument("--venue", default="", help="printed on the slips, e.g. 郑州国际会展中心2号馆")
    parser.add_argument("--contacts", action="store_true",
                        help="put names and phones into the workbook (recorded in the audit log)")
    parser.add_argument("--restart", action="store_true", help="discard an existing checkpoint in --out")
    parser.set_defaults(handler=_run)


def _run(args: argparse.Namespace, settings: Settings) -> int:
    if min(args.top, args.shortlist, args.batch, args.interviews_per_talent) < 1 or args.depth < 0:
        print("matcher bulk: --top, --shortlist, --batch and --interviews-per-talent must be at least 1, "
              "--depth at least 0", file=sys.stderr)
        return 2
    from matcher.bulk import BulkParams, CheckpointMismatch, run_bulk  # heavy (torch, faiss): only when run
    from matcher.bulk.interview_event import ScheduleLimits
    from matcher.bulk.run import RUN_TALENT_COLUMNS
    from matcher.bulk.timetable import EventPlan
    from matcher.pipeline import Matcher

    try:
        limits = ScheduleLimits(args.interviews_per_talent, args.interviews_per_headcount, args.employer_slots)
        event = EventPlan(date=args.event_date, start=args.start, end=args.end, slot_minutes=args.slot_minutes,
                          booths=args.booths, interviewers=args.interviewers, venue=args.venue)
        talent_ids, pool = _imported(settings, "talents", args.talents)  # after the checks: it writes
        job_ids, _ = _imported(settings, "jobs", args.jobs)
    except ValueError as error:
        print(f"matcher bulk: {error}", file=sys.stderr)
        return 1
    matcher = Matcher.open(settings)
    try:
        ids, pool = (talent_ids, pool) if talent_ids is not None else _pool(matcher.talents.frame, args)
        matcher.keep_talent_columns(RUN_TALENT_COLUMNS)  # this process only ranks: the rest of the rows can go
        params = BulkParams(top=args.top, shortlist=args.shortlist, depth=args.depth or None, batch=args.batch,
                            pool=pool, jobs=job_ids, interviews=limits, formats=("csv", args.format),
                            event=event)
        engine = _engine(matcher, args, batches=-(-len(ids) // args.batch))
        contacts = _contacts(settings, ids) if args.contacts else None
        result = run_bulk(matcher, ids, args.out, params, engine=engine, contacts=contacts,
                          restart=args.restart, progress=sys.stderr.isatty(), release_mapped=True)
    except (CheckpointMismatch, ValueError, KeyError, OSError) as error:
        print(f"matcher bulk: {error}", file=sys.stderr)
        return 1
    s = result.summary
    schedule = s["schedule"]
    print(f"{s['talents']} talents × {s['jobs']} jobs: {s['pairs']} rows, {len(s['urgent_gaps'])} urgent "
          f"positions short of candidates, {schedule['interviews']} interviews timetabled at "
          f"{schedule.get('booth_count', 0)} booths, {schedule.get('unplaced_talents', 0)} talents not placed "
          f"(see unplaced.csv), {s['seconds']:.1f} s ranking, {s['seconds_with_outputs']:.1f} s in all "
          f"-> {result.out_dir}")
    return 0


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, e.g. 2026-12-20, got {text!r}") from None


def _clock(text: str) -> dt.time:
    try:
        return dt.datetime.strptime(text, "%H:%M").time()
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a time as HH:MM, e.g. 09:00, got {text!r}") from None


def _imported(settings: Settings, kind: str, path: Path | None) -> tuple[tuple[str, ...] | None, str]:
    """Import ``path`` (all or nothing) and return its ids; (None, "all") without a file."""
    if path is None:
        return None, "all"
    from matcher.store.db import make_engine, upgrade_database
    from matcher.store.imports import import_file

    engine = make_engine(settings)
    upgrade_database(settings, engine)
    result = import_file(engine, kind, path)
    if not result.ok:
        first = result.errors[0]
        raise ValueError(f"{path}: {len(result.errors)} error(s), nothing imported; first: row {first.row}, "
                         f"column {first.column}: {first.message}")
    return result.ids, f"file:{path.name}"


def _engine(matcher, args: argparse.Namespace, batches: int):
    if args.engine == "spark":
        from matcher.bulk.spark import SparkEngine

        return SparkEngine(matcher, master=args.spark_master)
    from matcher.bulk.engine import choose_engine

    return choose_engine(matcher, args.workers, batches)


def _contacts(settings: Settings, ids: list[str]):
    """Names and phones for the workbook; the export itself goes to the audit log, the values never to a log."""
    from sqlalchemy.orm import Session

    from matcher.store.audit import record_export
    from matcher.store.db import make_engine
    from matcher.store.frames import load_talents

    engine = make_engine(settings)
    frame = load_talents(engine, talent_ids=ids, include_personal=True)
    with Session(engine) as session, session.begin():
        record_export(session, actor=f"cli:{os.environ.get('USER', 'unknown')}", role="admin",
                      subject_kind="talent", subject_ids=list(frame["talent_id"]),
                      detail={"purpose": "bulk workbook contacts"})
    return frame.set_index("talent_id")[["name", "phone"]]


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
