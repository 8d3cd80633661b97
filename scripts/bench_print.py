"""Benchmark the event's printouts: timetable, booth sign-up sheets and interview slips (PDF), and the workbook.

A synthetic run's outputs stand in for a ranked pool: every talent's top N jobs with scores and reasons (as
talent_top.csv holds them), jobs spread over employers with headcounts and ★ urgency. Ranking is not timed
here (scripts/bench_bulk.py does); what is timed is what ``matcher bulk`` does after it for the printouts:

    .venv/bin/python scripts/bench_print.py --json bench_print.json           # 3,000 talents × 243 jobs
    .venv/bin/python scripts/bench_print.py --talents 20000 --booths job --interviewers 3

Target: a 3,000-talent × 243-job event prints its booth sheets and slips (PDF) in ≤ 30 s. Wall seconds
are given with the process's CPU seconds and the load average beside them: on a shared machine the wall
figure says as much about the neighbours as about this code.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from matcher.bulk.outputs import event_schedule, printout_of, write_printouts
from matcher.bulk.schedule import read_pairs
from matcher.bulk.timetable import EventPlan
from matcher.bulk.wording import ScoreScale
from matcher.bulk.workbook import write_workbook

TARGET_SECONDS = 30.0
REASONS = ("学历匹配（本科）", "专业对口：机械设计制造及其自动化", "籍贯与工作地同市", "持有焊工（四级）证书",
           "期望薪资在岗位范围内", "工作年限满足要求", "愿意返乡")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--talents", type=int, default=3000)
    parser.add_argument("--jobs", type=int, default=243)
    parser.add_argument("--employers", type=int, default=120, help="employers the jobs belong to (default 120)")
    parser.add_argument("--top", type=int, default=20, help="jobs per talent in talent_top.csv (default 20)")
    parser.add_argument("--booths", choices=("employer", "job"), default="employer")
    parser.add_argument("--interviewers", type=int, default=2, help="parallel interviews a booth (default 2)")
    parser.add_argument("--slot-minutes", type=int, default=15)
    parser.add_argument("--contacts", action="store_true", help="print names (synthetic) as staff would see them")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, help="keep the files here (default: a temporary directory)")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    return parser.parse_args(argv)


def synthetic_event(args: argparse.Namespace, out: Path) -> tuple[pd.DataFrame, Path, pd.DataFrame | None]:
    """Jobs (indexed by job_id), a talent_top.csv written into ``out`` and optional contacts."""
    rng = np.random.default_rng(args.seed)
    job_ids = [f"J{j:04d}" for j in range(args.jobs)]
    jobs = pd.DataFrame({"title": [f"岗位{j}（机械工程师）" for j in range(args.jobs)],
                         "employer": [f"河南省第{j % args.employers}号装备制造有限公司" for j in range(args.jobs)],
                         "headcount": rng.integers(1, 6, args.jobs).astype(float),
                         "urgency_stars": rng.choice([1.0, 2.0, 3.0, 4.0, 5.0], args.jobs),
                         "city": "郑州市"}, index=pd.Index(job_ids, name="job_id"))
    talent = np.repeat([f"T{t:06d}" for t in range(args.talents)], args.top)
    job = np.concatenate([rng.choice(args.jobs, args.top, replace=False) for _ in range(args.talents)])
    score = rng.normal(0.0, 1.5, len(talent))
    reasons = ["；".join(rng.choice(REASONS, 3, replace=False)) for _ in range(len(talent))]
    top = pd.DataFrame({"talent_id": talent, "job_id": np.asarray(job_ids)[job],
                        "rank": np.tile(np.arange(1, args.top + 1), args.talents), "score": score, "reasons": reasons})
    path = out / "talent_top.csv"
    top.to_csv(path, index=False)
    contacts = None
    if args.contacts:
        ids = pd.Index(np.unique(talent), name="talent_id")
        contacts = pd.DataFrame({"name": [f"张{i % 97}" for i in range(len(ids))], "phone": "13800000000"}, index=ids)
    return jobs, path, contacts


def run(args: argparse.Namespace, out: Path) -> dict:
    jobs, talent_top, contacts = synthetic_event(args, out)
    plan = EventPlan(date=dt.date(2026, 12, 20), slot_minutes=args.slot_minutes, booths=args.booths,
                     interviewers=args.interviewers, venue="郑州国际会展中心2号馆")
    started, cpu_started = time.perf_counter(), time.process_time()
    pairs = read_pairs(talent_top)
    scale = ScoreScale.of(pairs["score"])
    timetable, summary = event_schedule(pairs, jobs, None, plan, scale)
    printout = printout_of(timetable, plan, scale, talent_top)
    scheduled = time.perf_counter()
    pages = write_printouts(out, printout, contacts)
    printed, cpu_printed = time.perf_counter(), time.process_time()
    shortlists = pd.DataFrame(columns=["job_id", "rank", "talent_id", "score", "reasons"])
    run_summary = {"talents": args.talents, "jobs": args.jobs, "pairs": len(pairs), "schedule": summary,
                   "score_range": [scale.low, scale.high]}
    write_workbook(out / "matches.xlsx", shortlists, talent_top, [], run_summary, jobs, printout=printout,
                   contacts=contacts, scale=scale)
    done = time.perf_counter()
    pdf_seconds = printed - started
    return {"talents": args.talents, "jobs": args.jobs, "booths_by": args.booths, "interviewers": args.interviewers,
            "booths": summary["booth_count"], "interviews": summary["interviews"],
            "unplaced_talents": summary["unplaced_talents"], "greedy_interviews": summary["greedy"]["interviews"],
            "total_score": summary["total_score"], "greedy_total_score": summary["greedy"]["total_score"],
            "pages": pages, "timetable_seconds": round(scheduled - started, 2),
            "pdf_seconds": round(printed - scheduled, 2), "timetable_and_pdf_seconds": round(pdf_seconds, 2),
            "timetable_and_pdf_cpu_seconds": round(cpu_printed - cpu_started, 2),
            "workbook_seconds": round(done - printed, 2), "target_seconds": TARGET_SECONDS,
            "load_average_1min": round(os.getloadavg()[0], 1),
            "met": pdf_seconds <= TARGET_SECONDS}


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        figures = run(args, args.out)
    else:
        with tempfile.TemporaryDirectory() as scratch:
            figures = run(args, Path(scratch))
    text = json.dumps(figures, ensure_ascii=False, indent=1)
    print(text)  # noqa: T201 - the script's own output
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
