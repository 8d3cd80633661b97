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
    pool: how the pool was chosen (recorded in the checkpoint, e.g. ``all`` or ``workstation:WS-1``)."""

    top: int = 20
    shortlist: int = 20
    depth: int | None = None
    batch: int = 512
    pool: str = "all"


@dataclass(frozen=True)
class BulkResult:
    out_dir: Path
    summary: dict
    resumed_batches: int


def run_bulk(matcher: Matcher, talent_ids: Sequence[str], out_dir: Path, params: BulkParams, *,
             restart: bool = False, progress: bool = False,
             on_batch: Callable[[int], None] | None = None) -> BulkResult:
    """Rank every talent in ``talent_ids`` (in that order) and write the outputs into ``out_dir``.

    ``on_batch(batch_number)`` runs after each newly completed batch is checkpointed (an exception there
    interrupts the run like a crash would). Raises CheckpointMismatch for another run's checkpoint.
    """
    started = time.monotonic()
    ids = list(dict.fromkeys(map(str, talent_ids)))
    out_dir.mkdir(parents=True, exist_ok=True)
    checkpoint = Checkpoint.open(out_dir, _snapshot(matcher, ids, params), restart)
    parts_dir = out_dir / "parts"
    if restart and parts_dir.exists():
        shutil.rmtree(parts_dir)
    parts_dir.mkdir(exist_ok=True)
    shortlists = Shortlists(params.shortlist, {t: i for i, t in enumerate(ids)})
    batches = range(math.ceil(len(ids) / params.batch))
    resumed = len(checkpoint.completed & set(batches))
    if resumed:
        logger.info("resuming: %d of %d batches already done in %s", resumed, len(batches), out_dir)
    for batch in tqdm(batches, desc="matching", unit="batch", disable=not progress):
        path = part_path(parts_dir, batch)
        fresh = batch not in checkpoint.completed or not path.exists()
        if fresh:
            chunk = ids[batch * params.batch:(batch + 1) * params.batch]
            rows = match_rows(matcher.recommend_table(chunk, params.top, params.depth))
            write_part(path, rows)
            checkpoint.mark_done(batch)
        else:
            rows = read_part(path)
        for talent_id, job_id, _, score, reasons in rows:
            shortlists.offer(job_id, talent_id, score, reasons)
        if fresh and on_batch is not None:
            on_batch(batch)
    summary = _finish(matcher, out_dir, [part_path(parts_dir, b) for b in batches], shortlists, params,
                      talents=len(ids), started=started)
    return BulkResult(out_dir, summary, resumed)


def _snapshot(matcher: Matcher, ids: list[str], params: BulkParams) -> dict:
    """What a checkpoint is valid for: the exact pool, the loaded jobs and the parameters."""
    job_ids = [str(j) for j in matcher.jobs.frame.index]
    return {"talents_hash": ids_hash(ids), "talents": len(ids), "jobs_hash": ids_hash(job_ids),
            "jobs": len(job_ids), **asdict(params)}


def _finish(matcher: Matcher, out_dir: Path, parts: list[Path], shortlists: Shortlists, params: BulkParams,
            talents: int, started: float) -> dict:
    """talent_top.csv, job_shortlists.csv, summary.json and matches.xlsx; returns the summary."""
    talent_top = out_dir / "talent_top.csv"
    pairs = concatenate(parts, talent_top)
    shortlist_rows = pd.DataFrame(shortlists.rows(), columns=list(SHORTLIST_COLUMNS))
    _write_csv(shortlist_rows, out_dir / "job_shortlists.csv")
    median = median_score(talent_top)
    counts = candidates_above(talent_top, median) if median is not None else {}
    gaps = urgent_gaps(matcher.jobs.frame, counts)
    summary = {"talents": talents, "jobs": len(matcher.jobs.frame), "pairs": pairs, "top": params.top,
               "shortlist": params.shortlist, "median_score": median, "urgent_gaps": gaps,
               "seconds": round(time.monotonic() - started, 3)}
    (out_dir / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    write_workbook(out_dir / "matches.xlsx", shortlist_rows, talent_top, gaps, summary, matcher.jobs.frame)
    logger.info("bulk run done: %d talents, %d pairs, %d urgent gaps in %.1f s",
                talents, pairs, len(gaps), summary["seconds"])
    return summary


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, encoding="utf-8", quoting=csv.QUOTE_MINIMAL)
