"""The files a finished bulk run leaves for staff and machines, written from its part files.

talent_top.csv (every talent's top N), job_shortlists.csv, schedule.csv (interviews), summary.json,
matches.xlsx, report.html/.pdf, and Parquet copies of the tables when asked. Nothing here holds all
pairs in memory: the big table is streamed from the parts and read back in chunks.
"""
from __future__ import annotations

import csv
import json
import logging
import resource
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from matcher.bulk.event_report import write_event_report
from matcher.bulk.greedy import greedy_schedule
from matcher.bulk.parts import concatenate
from matcher.bulk.report import CHUNK_ROWS, candidates_above, median_score, urgent_gaps
from matcher.bulk.schedule import ScheduleLimits, compare, read_pairs, schedule_interviews
from matcher.bulk.shortlist import Shortlists
from matcher.bulk.workbook import write_workbook
from matcher.csv_safety import neutralise_csv, neutralised

logger = logging.getLogger(__name__)

SHORTLIST_COLUMNS = ("job_id", "rank", "talent_id", "score", "reasons")
FORMATS = ("csv", "parquet")
SCHEDULE_GAIN_FLOOR = 1e-3
"""Schedule gains are the run's scores rescaled to [floor, 1]: ranker scores are only comparable in
order and may be negative, while the solver maximises a sum and never takes a pair worth ≤ 0."""


@dataclass(frozen=True)
class RunFacts:
    """What the outputs describe: the pool's talent rows, the event's jobs and how the run went."""

    talents: pd.DataFrame
    jobs: pd.DataFrame
    top: int
    shortlist: int
    engine: str
    started: float


def finish_run(out_dir: Path, parts: list[Path], shortlists: Shortlists, facts: RunFacts, *,
               limits: ScheduleLimits | None = None, formats: tuple[str, ...] = ("csv",),
               contacts: pd.DataFrame | None = None) -> dict:
    """Write every output into ``out_dir``; returns the summary (also summary.json)."""
    talent_top = out_dir / "talent_top.csv"
    pairs = concatenate(parts, talent_top)
    shortlist_rows = pd.DataFrame(shortlists.rows(), columns=list(SHORTLIST_COLUMNS))
    _write_csv(shortlist_rows, out_dir / "job_shortlists.csv")
    written = read_pairs(talent_top)  # once, for the median, the gaps, the schedule and the report
    median = median_score(written)
    gaps = urgent_gaps(facts.jobs, candidates_above(written, median) if median is not None else {})
    assignments, schedule_summary = event_schedule(written, facts.jobs, limits)
    _write_csv(assignments, out_dir / "schedule.csv")
    summary = {"talents": len(facts.talents), "jobs": len(facts.jobs), "pairs": pairs, "top": facts.top,
               "engine": facts.engine, "shortlist": facts.shortlist, "median_score": median, "urgent_gaps": gaps,
               "schedule": schedule_summary, "seconds": round(time.monotonic() - facts.started, 3)}
    if "parquet" in formats:
        _parquet_copies(out_dir, shortlist_rows, assignments)
    write_workbook(out_dir / "matches.xlsx", shortlist_rows, talent_top, gaps, summary, facts.jobs,
                   schedule=assignments, contacts=contacts)
    write_event_report(out_dir, facts.talents, facts.jobs, summary, schedule_summary=schedule_summary, pairs=written)
    neutralise_csv(talent_top, checked=written[["talent_id", "job_id"]])  # after the copies that keep raw ids
    summary["seconds_with_outputs"] = round(time.monotonic() - facts.started, 3)
    summary["peak_rss_mb"] = peak_memory_mb()
    (out_dir / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    logger.info("bulk run done: %d talents, %d pairs, %d urgent gaps, %d interviews in %.1f s",
                len(facts.talents), pairs, len(gaps), schedule_summary["interviews"], summary["seconds_with_outputs"])
    return summary


def peak_memory_mb() -> dict[str, float]:
    """Peak resident memory of this process and of the largest finished child (a worker, a Spark JVM)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"main": round(own.ru_maxrss / 1024, 1), "largest_child": round(children.ru_maxrss / 1024, 1)}


def event_schedule(pairs: pd.DataFrame, jobs: pd.DataFrame, limits: ScheduleLimits | None) -> tuple[pd.DataFrame, dict]:
    """Interview assignments (scores as written) and a summary with the greedy top-N baseline beside it;
    ``pairs``: ``read_pairs`` of talent_top.csv."""
    if pairs.empty:
        return pd.DataFrame(columns=["talent_id", "job_id", "employer", "score", "talent_slot", "booth_queue"]), \
            {"interviews": 0, "total_score": 0.0, "greedy": None}
    gains = pairs.assign(score=_gains(pairs["score"]))
    schedule, greedy = schedule_interviews(gains, jobs, limits), greedy_schedule(gains, jobs, limits)
    summary = {**schedule.summary, "score_scale": "run scores rescaled to [0.001, 1]",
               "greedy": greedy.summary, "comparison": compare(schedule, greedy)}
    score = pairs.set_index(["talent_id", "job_id"])["score"]
    assignments = schedule.assignments.assign(
        score=score.reindex(pd.MultiIndex.from_frame(schedule.assignments[["talent_id", "job_id"]])).to_numpy())
    return assignments, summary


def _gains(scores: pd.Series) -> pd.Series:
    low, high = scores.min(), scores.max()
    spread = high - low if high > low else 1.0
    return SCHEDULE_GAIN_FLOOR + (1 - SCHEDULE_GAIN_FLOOR) * (scores - low) / spread


def _parquet_copies(out_dir: Path, shortlists: pd.DataFrame, assignments: pd.DataFrame) -> None:
    """talent_top.parquet streamed from the CSV one chunk per row group; the small tables whole."""
    dtypes = {"talent_id": str, "job_id": str, "reasons": str}
    writer = None
    try:
        for chunk in pd.read_csv(out_dir / "talent_top.csv", dtype=dtypes, keep_default_na=False,
                                 chunksize=CHUNK_ROWS):
            table = pa.Table.from_pandas(chunk, preserve_index=False)
            writer = writer or pq.ParquetWriter(out_dir / "talent_top.parquet", table.schema)
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()
    shortlists.to_parquet(out_dir / "job_shortlists.parquet", index=False)
    assignments.to_parquet(out_dir / "schedule.parquet", index=False)


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    neutralised(frame).to_csv(path, index=False, encoding="utf-8", quoting=csv.QUOTE_MINIMAL)
