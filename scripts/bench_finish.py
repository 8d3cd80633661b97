"""Benchmark the finish step of a bulk run (``matcher.bulk.outputs.finish_run``) on a finished run's part files.

Ranking is what a bulk run spends most of its time on, and it need not be repeated to time what comes after:
the part files of a finished run (``<run>/parts``) are read back, the shortlists rebuilt from them as a resumed
run does, the pool's frames read from the frame snapshots beside the indexes (``<data>/indexes/frames``), and
``finish_run`` writes every output into ``--out``. Printed: the finish seconds and the peak resident memory
of this process during the finish (its high-water mark reset just before), and the memory held before it.

    PYTHONPATH=$PWD .venv/bin/python scripts/bench_finish.py --run /tmp/scale-bench/talents100000-jobs243/bulk-local \
        --data /tmp/scale-bench/talents100000-jobs243 --out /tmp/finish-out
    ... --compare /tmp/finish-out-before   # every output file against another finish's (xlsx by cell values)
"""
from __future__ import annotations

import argparse
import json
import logging
import resource
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

TIMING_KEYS = ("peak_rss_mb",)
"""summary.json keys that differ from run to run even with a frozen clock; compared outputs leave them out."""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--run", type=Path, help="a finished bulk run's directory (its parts/ are read)")
    parser.add_argument("--data", type=Path, help="the run's data directory (indexes/frames/*.parquet read)")
    parser.add_argument("--out", type=Path, help="where the outputs go (created)")
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--shortlist", type=int, default=20)
    parser.add_argument("--parquet", action="store_true", help="also the Parquet copies")
    parser.add_argument("--profile", type=Path, help="cProfile finish_run into this file")
    parser.add_argument("--compare", type=Path, metavar="DIR", help="compare --out with another finish's outputs")
    parser.add_argument("--sample", action="store_true",
                        help="every 0.1 s note the resident memory and the matcher.bulk function running: "
                             "printed per function, seconds seen and the largest memory seen in it")
    parser.add_argument("--frozen-clock", action="store_true",
                        help="every duration the outputs print reads 0 and PDFs carry no date, so that two "
                             "finishes can be compared byte for byte")
    return parser.parse_args(argv)


def read_frame(path: Path, id_column: str) -> pd.DataFrame:
    """A frame snapshot as ``Matcher.open`` has it: JSON columns decoded, indexed by id (str)."""
    from matcher.side import indexed_by_id
    from matcher.store.frame_snapshot import JSON_COLUMNS, decoded

    frame = pq.read_table(path).to_pandas()
    for column in JSON_COLUMNS & set(frame.columns):
        frame[column] = decoded(frame[column].to_numpy(dtype=object))
    return indexed_by_id(frame, id_column)


def peak_rss_mb() -> float:
    """This process's resident high-water mark (VmHWM)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def finish(args: argparse.Namespace) -> dict:
    from matcher.bulk.event_report import REPORT_TALENT_COLUMNS
    from matcher.bulk.interview_event import ScheduleLimits
    from matcher.bulk.outputs import RunFacts, finish_run
    from matcher.bulk.parts import read_part
    from matcher.bulk.report import REGISTER_FIELDS
    from matcher.bulk.run import _offer
    from matcher.bulk.shortlist import Shortlists
    from matcher.bulk.timetable import EventPlan

    frames = args.data / "indexes" / "frames"
    talents, jobs = read_frame(frames / "talents.parquet", "talent_id"), read_frame(frames / "jobs.parquet", "job_id")
    ids = list(talents.index)
    parts = sorted((args.run / "parts").glob("part-*.csv"))
    shortlists = Shortlists(args.shortlist, {t: i for i, t in enumerate(ids)})
    for part in parts:
        _offer(shortlists, read_part(part))
    columns = list(dict.fromkeys([*REPORT_TALENT_COLUMNS, *REGISTER_FIELDS]))
    args.out.mkdir(parents=True, exist_ok=True)
    facts = RunFacts(talents.loc[ids, columns], jobs, args.top, args.shortlist, "local", time.monotonic(), EventPlan())
    del talents
    clock = time.perf_counter
    if args.frozen_clock:
        freeze_clock(facts.started)
    held = current_rss_mb()
    Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM: the peak below is the finish's own
    started = clock()
    call = lambda: finish_run(args.out, parts, shortlists, facts, limits=ScheduleLimits(),  # noqa: E731
                              formats=("csv", "parquet") if args.parquet else ("csv",))
    sampler = Sampler() if args.sample else None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.runcall(call)
        profiler.dump_stats(args.profile)
    else:
        call()
    seconds = clock() - started
    if sampler is not None:
        sampler.stop()
        sampler.report()
    return {"finish_seconds": round(seconds, 2), "rss_before_mb": round(held),
            "finish_peak_rss_mb": round(peak_rss_mb())}


class Sampler:
    """The main thread's innermost matcher.bulk frame and this process's RSS, every ``every`` seconds."""

    def __init__(self, every: float = 0.1):
        import threading

        self.seen: dict[str, list[float]] = {}
        self.main, self.every = threading.get_ident(), every
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.done.wait(self.every):
            frame, where = sys._current_frames().get(self.main), "?"
            while frame is not None:
                if "matcher/bulk/" in frame.f_code.co_filename:
                    where = f"{Path(frame.f_code.co_filename).stem}.{frame.f_code.co_name}"
                    break
                frame = frame.f_back
            self.seen.setdefault(where, []).append(current_rss_mb())

    def stop(self) -> None:
        self.done.set()
        self.thread.join()

    def report(self) -> None:
        for where, rss in sorted(self.seen.items(), key=lambda item: -len(item[1])):
            print(f"{where:45} {len(rss) * self.every:7.1f} s  max {max(rss):7.0f} MB", file=sys.stderr)


def freeze_clock(at: float) -> None:
    """time.monotonic and time.perf_counter stand still at ``at``, the report's generation time is fixed and
    ReportLab and Matplotlib write no dates."""
    import datetime as dt
    import os

    from reportlab import rl_config

    from matcher.bulk import event_report

    class FixedTime(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return cls(2026, 1, 1, 9, 0)

    event_report.datetime = FixedTime

    os.environ["SOURCE_DATE_EPOCH"] = "0"
    rl_config.invariant = 1
    time.monotonic = time.perf_counter = lambda: at


def compare(mine: Path, other: Path) -> list[str]:
    """Differences between two finishes' outputs: bytes, except summary.json (its peak memory left out),
    matches.xlsx (cell values) and report.html (its generation minute). Run both with --frozen-clock."""
    names = sorted({p.name for p in mine.iterdir() if p.is_file()} | {p.name for p in other.iterdir() if p.is_file()})
    differences = []
    for name in names:
        a, b = mine / name, other / name
        if not (a.exists() and b.exists()):
            differences.append(f"{name}: only in {'--out' if a.exists() else '--compare'}")
        elif not _same(a, b):
            differences.append(f"{name}: differs")
    return differences


def _same(a: Path, b: Path) -> bool:
    if a.name == "summary.json":
        def strip(path: Path) -> dict:
            return {k: v for k, v in json.loads(path.read_text(encoding="utf-8")).items() if k not in TIMING_KEYS}
        return strip(a) == strip(b)
    if a.suffix == ".xlsx":
        return _cells(a) == _cells(b)
    if a.name == "report.html":
        return _without_generated(a.read_text(encoding="utf-8")) == _without_generated(b.read_text(encoding="utf-8"))
    return a.read_bytes() == b.read_bytes()


def _without_generated(html: str) -> str:
    import re

    return re.sub(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", "", html)


def _cells(path: Path) -> dict:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    return {sheet.title: [tuple(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    if args.run is not None:
        print(json.dumps(finish(args)))
    if args.compare is not None:
        differences = compare(args.out, args.compare)
        print("\n".join(differences) or "outputs equal")
        return 1 if differences else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
