"""The local bulk engine: a talent pool ranked in batches through ``Matcher.recommend``, restartable.

Memory stays O(batch × top + jobs × shortlist): each batch's rows go straight to a part file, and per-job
shortlists live in bounded heaps that a resumed run rebuilds from the completed parts.
"""
from __future__ import annotations

import csv
import json
import logging
import math
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from matcher.bulk.checkpoint import Checkpoint, ids_hash
from matcher.bulk.engine import BatchEngine, LocalEngine
from matcher.bulk.parts import concatenate, match_rows, part_path, read_part, write_part
from matcher.bulk.report import candidates_above, median_score, urgent_gaps
from matcher.bulk.shortlist import Shortlists
from matcher.bulk.workbook import write_workbook
from matcher.pipeline import Matcher

logger = logging.getLogger(__name__)

SHORTLIST_COLUMNS = ("job_id", "rank", "talent_id", "score", "reasons")


@dataclass(frozen=True)
class BulkParams:
    """top: jobs per talent; shortlist: talents per job; depth: fused candidates ranked per talent (None: all
    retrieved, as the API does); batch: talents per ``recommend_table`` call;
    pool: how the pool was chosen (recorded in the checkpoint, e.g. ``all`` or ``workstation:WS-1``);
    jobs: the event's job ids (None: every loaded job)."""

    top: int = 20
    shortlist: int = 20
    depth: int | None = None
    batch: int = 512
    pool: str = "all"
    jobs: tuple[str, ...] | None = None


@dataclass(frozen=True)
class BulkResult:
    out_dir: Path
    summary: dict
    resumed_batches: int


def run_bulk(matcher: Matcher, talent_ids: Sequence[str], out_dir: Path, params: BulkParams, *,
             engine: BatchEngine | None = None, restart: bool = False, progress: bool = False,
             on_batch: Callable[[int], None] | None = None,
             on_progress: Callable[[int, int], None] | None = None) -> BulkResult:
    """Rank every talent in ``talent_ids`` (in that order) and write the outputs into ``out_dir``.

    ``engine`` ranks the batches (default: :class:`LocalEngine` over ``matcher``). ``on_batch(number)``
    runs after each newly completed batch is checkpointed (an exception there interrupts the run like a
    crash would); ``on_progress(done, total)`` after every batch, resumed ones included. Raises
    CheckpointMismatch for another run's checkpoint, KeyError for a job id in ``params.jobs`` not loaded.
    """
    started = time.monotonic()
    ids = list(dict.fromkeys(map(str, talent_ids)))
    engine = engine or LocalEngine(matcher)
    out_dir.mkdir(parents=True, exist_ok=True)
    checkpoint = Checkpoint.open(out_dir, _snapshot(matcher, ids, params), restart)
    parts_dir = out_dir / "parts"
    if restart and parts_dir.exists():
        shutil.rmtree(parts_dir)
    parts_dir.mkdir(exist_ok=True)
    shortlists = Shortlists(params.shortlist, {t: i for i, t in enumerate(ids)})
    batches = range(math.ceil(len(ids) / params.batch))
    done = [b for b in batches if b in checkpoint.completed and part_path(parts_dir, b).exists()]
    if done:
        logger.info("resuming: %d of %d batches already done in %s", len(done), len(batches), out_dir)
    bar = tqdm(total=len(batches), desc="matching", unit="batch", disable=not progress)
    for batch in done:
        _offer(shortlists, read_part(part_path(parts_dir, batch)))
        _advance(bar, on_progress, len(batches))
    pending = [(b, ids[b * params.batch:(b + 1) * params.batch]) for b in batches if b not in set(done)]
    for batch, table in engine.rank(pending, params.top, params.depth, _allowed_jobs(matcher, params)):
        rows = match_rows(table)
        write_part(part_path(parts_dir, batch), rows)
        checkpoint.mark_done(batch)
        _offer(shortlists, rows)
        _advance(bar, on_progress, len(batches))
        if on_batch is not None:
            on_batch(batch)
    bar.close()
    summary = _finish(matcher, out_dir, [part_path(parts_dir, b) for b in batches], shortlists, params,
                      talents=len(ids), started=started, engine=engine.name)
    return BulkResult(out_dir, summary, len(done))


def _offer(shortlists: Shortlists, rows: list) -> None:
    for talent_id, job_id, _, score, reasons in rows:
        shortlists.offer(job_id, talent_id, score, reasons)


def _advance(bar: tqdm, on_progress: Callable[[int, int], None] | None, total: int) -> None:
    bar.update(1)
    if on_progress is not None:
        on_progress(bar.n, total)


def _allowed_jobs(matcher: Matcher, params: BulkParams) -> set[str] | None:
    if params.jobs is None:
        return None
    unknown = [j for j in params.jobs if j not in matcher.jobs.frame.index]
    if unknown:
        raise KeyError(f"{len(unknown)} job id(s) of the event are not loaded, e.g. {unknown[:5]}")
    return set(params.jobs)


def _event_jobs(matcher: Matcher, params: BulkParams) -> pd.DataFrame:
    frame = matcher.jobs.frame
    return frame if params.jobs is None else frame.loc[list(params.jobs)]


def _snapshot(matcher: Matcher, ids: list[str], params: BulkParams) -> dict:
    """What a checkpoint is valid for: the exact pool, the loaded jobs and the parameters."""
    job_ids = [str(j) for j in _event_jobs(matcher, params).index]
    return {"talents_hash": ids_hash(ids), "talents": len(ids), "jobs_hash": ids_hash(job_ids),
            "jobs": len(job_ids), **{k: v for k, v in asdict(params).items() if k != "jobs"}}


def _finish(matcher: Matcher, out_dir: Path, parts: list[Path], shortlists: Shortlists, params: BulkParams,
            talents: int, started: float, engine: str) -> dict:
    """talent_top.csv, job_shortlists.csv, summary.json and matches.xlsx; returns the summary."""
    talent_top = out_dir / "talent_top.csv"
    pairs = concatenate(parts, talent_top)
    shortlist_rows = pd.DataFrame(shortlists.rows(), columns=list(SHORTLIST_COLUMNS))
    _write_csv(shortlist_rows, out_dir / "job_shortlists.csv")
    median = median_score(talent_top)
    counts = candidates_above(talent_top, median) if median is not None else {}
    jobs = _event_jobs(matcher, params)
    gaps = urgent_gaps(jobs, counts)
    summary = {"talents": talents, "jobs": len(jobs), "pairs": pairs, "top": params.top, "engine": engine,
               "shortlist": params.shortlist, "median_score": median, "urgent_gaps": gaps,
               "seconds": round(time.monotonic() - started, 3)}
    (out_dir / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    write_workbook(out_dir / "matches.xlsx", shortlist_rows, talent_top, gaps, summary, jobs)
    logger.info("bulk run done: %d talents, %d pairs, %d urgent gaps in %.1f s",
                talents, pairs, len(gaps), summary["seconds"])
    return summary


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, encoding="utf-8", quoting=csv.QUOTE_MINIMAL)
