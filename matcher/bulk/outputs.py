"""The files a finished bulk run leaves for staff and machines, written from its part files.

talent_top.csv (every talent's top N), job_shortlists.csv, schedule.csv (the interview timetable),
unplaced.csv (who could not be placed, and why), summary.json, matches.xlsx, report.html/.pdf, the printable
booth_sheets.pdf and interview_slips.pdf, and Parquet copies of the tables when asked. The parts are read once
(``matcher.bulk.written``): talent_top.csv is copied from their bytes while every pair is kept as codes and a
score, the reasons text only for the rows the workbook shows; the interviews' reasons are read again from the
parts that hold those talents.
"""
from __future__ import annotations

import csv
import json
import logging
import resource
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from matcher.bulk.event_report import write_event_report
from matcher.bulk.greedy import greedy_schedule
from matcher.bulk.interview_event import PairCodes, ScheduleLimits
from matcher.bulk.print_pdf import write_booth_sheets, write_slips
from matcher.bulk.printed import Printout, booth_lists, event_line, talent_slips
from matcher.bulk.report import CHUNK_ROWS, median_score, no_fit_rows, urgent_gaps
from matcher.bulk.schedule import Schedule, compare
from matcher.bulk.shortlist import Shortlists
from matcher.bulk.timetable import (
    TIMETABLE_COLUMNS,
    UNPLACED_COLUMNS,
    EventPlan,
    Timetable,
    plan_limits,
    timetable_event,
)
from matcher.bulk.wording import ScoreScale
from matcher.bulk.workbook import TALENT_SHEET_ROWS, TALENT_SHEET_TOP, write_workbook
from matcher.bulk.written import assemble, pair_reasons
from matcher.csv_safety import neutralise_csv, neutralised

logger = logging.getLogger(__name__)

SHORTLIST_COLUMNS = ("job_id", "rank", "talent_id", "score", "reasons")
FORMATS = ("csv", "parquet")
SCHEDULE_COLUMNS = ("booth_no", "booth", "date", "start", "end", "desk", "talent_id", "job_id", "title", "employer",
                    "place", "score", "percent", "urgent")
BOOTH_SHEETS_PDF, SLIPS_PDF = "booth_sheets.pdf", "interview_slips.pdf"
UNPLACED_SLIPS_MAX = 10_000
"""Talents left out get a slip saying why up to this many (an event's pool); a province-wide run leaves tens of
thousands out, listed in unplaced.csv and the workbook rather than printed."""


@dataclass(frozen=True)
class RunFacts:
    """What the outputs describe: the pool's talent rows, the event's jobs and how the run went."""

    talents: pd.DataFrame
    jobs: pd.DataFrame
    top: int
    shortlist: int
    engine: str
    started: float
    plan: EventPlan = EventPlan()
    urgent_fitting: Mapping[str, int] = field(default_factory=dict)
    """Per ★4–5 job, the run's talents that fit it (Matcher.fitting_counts): the urgent gaps' counts."""


def finish_run(out_dir: Path, parts: list[Path], shortlists: Shortlists, facts: RunFacts, *,
               limits: ScheduleLimits | None = None, formats: tuple[str, ...] = ("csv",),
               contacts: pd.DataFrame | None = None) -> dict:
    """Write every output into ``out_dir``; returns the summary (also summary.json)."""
    talent_top = out_dir / "talent_top.csv"
    pairs = assemble(parts, talent_top, TALENT_SHEET_TOP, TALENT_SHEET_ROWS)  # the one read of the parts
    shortlist_rows = pd.DataFrame(shortlists.rows(), columns=list(SHORTLIST_COLUMNS))
    _write_csv(shortlist_rows, out_dir / "job_shortlists.csv")
    median = median_score(pairs.score)
    gaps = urgent_gaps(facts.jobs, facts.urgent_fitting)
    scale = ScoreScale.of(pd.Series(pairs.score))
    timetable, schedule_summary = event_schedule(pairs.codes(), facts.jobs, limits, facts.plan, scale)
    interviewed = timetable.interviews["talent_id"] if timetable is not None else pd.Series(dtype=object)
    printout = printout_of(timetable, facts.plan, scale, pairs.parts_holding(interviewed))
    assignments = schedule_table(printout)
    _write_csv(assignments, out_dir / "schedule.csv")
    _write_csv(printout.unplaced, out_dir / "unplaced.csv")
    unmatched = no_fit_rows(facts.talents, pd.Series(pairs.talent_ids))
    summary = {"talents": len(facts.talents), "jobs": len(facts.jobs), "pairs": pairs.rows, "top": facts.top,
               "no_fit_talents": len(unmatched),
               "engine": facts.engine, "shortlist": facts.shortlist, "median_score": median, "urgent_gaps": gaps,
               "urgent_fitting": dict(facts.urgent_fitting),
               "score_range": [scale.low, scale.high], "schedule": schedule_summary,
               "seconds": round(time.monotonic() - facts.started, 3)}
    if "parquet" in formats:
        _parquet_copies(out_dir, shortlist_rows, assignments)
    write_workbook(out_dir / "matches.xlsx", shortlist_rows, talent_top, gaps, summary, facts.jobs,
                   printout=printout, contacts=contacts, scale=scale, unmatched=unmatched, best_rows=pairs.best)
    summary["printed_pages"] = write_printouts(out_dir, printout, contacts)
    write_event_report(out_dir, facts.talents, facts.jobs, summary, schedule_summary=schedule_summary,
                       pairs=pairs.job_scores())
    ids = pd.DataFrame({"id": np.concatenate([pairs.talent_ids, pairs.job_ids])})  # each id once, not per row
    neutralise_csv(talent_top, checked=ids)  # after the copies that keep raw ids
    summary["seconds_with_outputs"] = round(time.monotonic() - facts.started, 3)
    summary["peak_rss_mb"] = peak_memory_mb()
    (out_dir / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    logger.info("bulk run done: %d talents, %d pairs, %d urgent gaps, %d interviews in %.1f s",
                len(facts.talents), pairs.rows, len(gaps), schedule_summary["interviews"],
                summary["seconds_with_outputs"])
    return summary


def peak_memory_mb() -> dict[str, float]:
    """Peak resident memory of this process and of the largest finished child (a worker, a Spark JVM)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"main": round(own.ru_maxrss / 1024, 1), "largest_child": round(children.ru_maxrss / 1024, 1)}


def event_schedule(pairs: pd.DataFrame | PairCodes, jobs: pd.DataFrame, limits: ScheduleLimits | None,
                   plan: EventPlan, scale: ScoreScale) -> tuple[Timetable | None, dict]:
    """The event's timetable (interview scores as written) and its summary, the greedy baseline's choice under
    the same caps beside it; ``pairs``: ``read_pairs`` of talent_top.csv, or the same coded
    (``WrittenPairs.codes``). The solvers maximise ``scale.gains``; the totals reported are sums of 匹配度
    (0–100)."""
    coded = pairs if isinstance(pairs, PairCodes) else PairCodes.of(pairs)
    if not len(coded.score):
        return None, {"interviews": 0, "total_score": 0, "greedy": None, "plan": plan.describe()}
    gains = coded.with_scores(scale.gains(pd.Series(coded.score)).to_numpy())
    table = timetable_event(gains, jobs, plan, limits)
    greedy = greedy_schedule(gains, jobs, plan_limits(limits or ScheduleLimits(), plan, jobs))
    interviews = table.interviews.assign(score=_written_scores(table.interviews, coded))
    table.summary["total_score"] = int(scale.percent(interviews["score"]).sum())
    greedy.summary["total_score"] = int(scale.percent(_written_scores(greedy.assignments, coded)).sum())
    comparison = compare(Schedule(table.schedule.assignments, table.summary), greedy)
    summary = {**table.summary, "greedy": greedy.summary, "comparison": comparison}
    return Timetable(interviews, table.unplaced, table.booths, table.summary, table.schedule), summary


def _written_scores(chosen: pd.DataFrame, pairs: PairCodes) -> np.ndarray:
    """(n,) the run's own score of each chosen talent–job pair (the solvers saw rescaled gains)."""
    named = np.zeros(len(pairs.talent_ids), bool)
    codes = pairs.talent_ids.get_indexer(chosen["talent_id"].unique())
    named[codes[codes >= 0]] = True
    rows = np.flatnonzero(named[pairs.talent])
    keys = pd.MultiIndex.from_arrays([pairs.talent_ids[pairs.talent[rows]], pairs.job_names[pairs.job[rows]]])
    mine = pd.Series(pairs.score[rows], index=keys)
    return mine.reindex(pd.MultiIndex.from_frame(chosen[["talent_id", "job_id"]])).to_numpy()


def printout_of(timetable: Timetable | None, plan: EventPlan, scale: ScoreScale, sources: Sequence[Path]) -> Printout:
    """The timetable with 匹配度 (0–100) and the run's reasons for each interview, read from ``sources`` (the
    run's talent_top.csv, or the parts holding the interviewed talents); empty tables without a timetable."""
    if timetable is None:
        empty = pd.DataFrame(columns=[*TIMETABLE_COLUMNS, "percent", "reasons"])
        return Printout(empty, pd.DataFrame(columns=list(UNPLACED_COLUMNS)), pd.DataFrame(
            columns=["key", "name", "jobs", "capacity", "interviews"]), plan)
    interviews = timetable.interviews.assign(percent=scale.percent(timetable.interviews["score"]))
    reasons = pair_reasons(sources, interviews[["talent_id", "job_id"]])
    interviews = interviews.merge(reasons, on=["talent_id", "job_id"], how="left")
    return Printout(interviews, timetable.unplaced, timetable.booths, plan)


def schedule_table(printout: Printout) -> pd.DataFrame:
    """schedule.csv: SCHEDULE_COLUMNS, one row per interview by booth and time."""
    date = printout.plan.date.isoformat() if printout.plan.date else ""
    return printout.interviews.assign(date=date)[list(SCHEDULE_COLUMNS)]


def write_printouts(out_dir: Path, printout: Printout, contacts: pd.DataFrame | None) -> dict[str, int]:
    """booth_sheets.pdf and interview_slips.pdf (slips for the talents left out too, up to UNPLACED_SLIPS_MAX);
    names (never phones) only with ``contacts``. Pages of each."""
    line = event_line(printout.plan)
    booths = write_booth_sheets(out_dir / BOOTH_SHEETS_PDF,
                                booth_lists(printout.interviews, printout.booths, printout.plan, contacts), line)
    left_out = printout.unplaced if (printout.unplaced["kind"] == "人才").sum() <= UNPLACED_SLIPS_MAX else None
    slips = write_slips(out_dir / SLIPS_PDF, talent_slips(printout.interviews, left_out, contacts), line)
    return {BOOTH_SHEETS_PDF: booths, SLIPS_PDF: slips}


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
