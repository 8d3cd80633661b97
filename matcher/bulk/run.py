"""The local bulk engine: a talent pool ranked in batches through ``Matcher.recommend``, restartable.

Memory stays O(batch × top + jobs × shortlist): each batch's rows go straight to a part file, and per-job
shortlists live in bounded heaps that a resumed run rebuilds from the completed parts.
"""
from __future__ import annotations

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
from matcher.bulk.event_report import REPORT_TALENT_COLUMNS
from matcher.bulk.interview_event import ScheduleLimits
from matcher.bulk.outputs import RunFacts, finish_run
from matcher.bulk.parts import match_rows, part_path, read_part, write_part
from matcher.bulk.report import REGISTER_FIELDS, headcounts, urgent_jobs
from matcher.bulk.shortlist import Shortlists
from matcher.bulk.timetable import EventPlan
from matcher.memory import release_unused
from matcher.pipeline import Matcher

logger = logging.getLogger(__name__)
RUN_TALENT_COLUMNS = tuple(dict.fromkeys([*REPORT_TALENT_COLUMNS, *REGISTER_FIELDS]))
"""The talent columns a run reads besides what matching uses: the report's and the 暂无合适岗位 sheet's."""

RANKING_PARAMS = ("top", "shortlist", "depth", "batch", "pool")
"""The parameters a checkpoint's part files depend on; the schedule and formats only shape the outputs."""


@dataclass(frozen=True)
class BulkParams:
    """top: jobs per talent; shortlist: talents per job; depth: fused candidates ranked per talent (None: all
    retrieved, as the API does); batch: talents per ``recommend_table`` call;
    pool: how the pool was chosen (recorded in the checkpoint, e.g. ``all`` or ``workstation:WS-1``);
    jobs: the event's job ids (None: every loaded job); interviews: the schedule's limits (None: defaults);
    formats: "csv" always, "parquet" adds Parquet copies of the tables; event: the event's date, hours, slot
    length and booths for the timetable (None: ``EventPlan()``, 09:00–12:00 in 15-minute slots, a booth per
    employer)."""

    top: int = 20
    shortlist: int = 20
    depth: int | None = None
    batch: int = 512
    pool: str = "all"
    jobs: tuple[str, ...] | None = None
    interviews: ScheduleLimits | None = None
    formats: tuple[str, ...] = ("csv",)
    event: EventPlan | None = None


@dataclass(frozen=True)
class BulkResult:
    out_dir: Path
    summary: dict
    resumed_batches: int


def run_bulk(matcher: Matcher, talent_ids: Sequence[str], out_dir: Path, params: BulkParams, *,
             engine: BatchEngine | None = None, contacts: pd.DataFrame | None = None, restart: bool = False,
             progress: bool = False, release_mapped: bool = False,
             on_batch: Callable[[int], None] | None = None,
             on_progress: Callable[[int, int], None] | None = None) -> BulkResult:
    """Rank every talent in ``talent_ids`` (in that order) and write the outputs into ``out_dir``.

    ``engine`` ranks the batches (default: :class:`LocalEngine` over ``matcher``). ``contacts`` (indexed by
    talent id: name, phone) goes into the workbook only; pass it only for a caller allowed to see it.
    ``release_mapped``: nothing else runs in this process (``matcher bulk``), so the pages of mapped index files
    each batch read are dropped as the run goes (:mod:`matcher.memory`); never where another thread may write
    into those maps (the API's runs).
    ``on_batch(number)`` runs after each newly completed batch is checkpointed (an exception there
    interrupts the run like a crash would); ``on_progress(done, total)`` after every batch, resumed ones
    included. Raises
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
    bar = _Progress(len(batches), progress, on_progress)
    for batch in done:
        _offer(shortlists, read_part(part_path(parts_dir, batch)))
        bar.advance()
    pending = [(b, ids[b * params.batch:(b + 1) * params.batch]) for b in batches if b not in set(done)]
    for batch, table in engine.rank(pending, params.top, params.depth, _allowed_jobs(matcher, params)):
        rows = match_rows(table)
        write_part(part_path(parts_dir, batch), rows)
        checkpoint.mark_done(batch)
        _offer(shortlists, rows)
        _release(matcher, release_mapped)  # each batch's talents are read once
        bar.advance()
        if on_batch is not None:
            on_batch(batch)
    bar.close()
    jobs = _event_jobs(matcher, params)
    facts = RunFacts(_run_talents(matcher, ids), jobs, params.top, params.shortlist,
                     engine.name, started, params.event or EventPlan(), _urgent_fitting(matcher, jobs, ids))
    _release(matcher, release_mapped)  # the urgent counts searched every talent's postings and vectors
    summary = finish_run(out_dir, [part_path(parts_dir, b) for b in batches], shortlists, facts,
                         limits=params.interviews, formats=params.formats, contacts=contacts)
    return BulkResult(out_dir, summary, len(done))


def _run_talents(matcher: Matcher, ids: list[str]) -> pd.DataFrame:
    """The run's talents with the columns its outputs read: the pool's own frame where it is just that (``matcher
    bulk`` keeps only these columns, and a whole-pool run asks for every row in order), else a copy of them."""
    frame, columns = matcher.talents.frame, list(RUN_TALENT_COLUMNS)
    if list(frame.columns) == columns and frame.index.equals(pd.Index(ids)):
        return frame
    return frame.loc[ids, columns]


def _release(matcher: Matcher, mapped: bool) -> None:
    release_unused(matcher.settings.index_dir if mapped and matcher.settings is not None else None)


def _offer(shortlists: Shortlists, rows: list) -> None:
    for talent_id, job_id, _, score, reasons in rows:
        shortlists.offer(job_id, talent_id, score, reasons)


class _Progress:
    """Batches done: a terminal bar when asked for, and the caller's ``on_progress(done, total)``."""

    def __init__(self, total: int, show: bool, callback: Callable[[int, int], None] | None):
        self.done, self.total, self.callback = 0, total, callback
        self.bar = tqdm(total=total, desc="matching", unit="batch", disable=not show)

    def advance(self) -> None:
        self.done += 1
        self.bar.update(1)
        if self.callback is not None:
            self.callback(self.done, self.total)

    def close(self) -> None:
        self.bar.close()


def _allowed_jobs(matcher: Matcher, params: BulkParams) -> set[str] | None:
    if params.jobs is None:
        return None
    unknown = [j for j in params.jobs if j not in matcher.jobs.frame.index]
    if unknown:
        raise KeyError(f"{len(unknown)} job id(s) of the event are not loaded, e.g. {unknown[:5]}")
    return set(params.jobs)


def _urgent_fitting(matcher: Matcher, jobs: pd.DataFrame, ids: list[str]) -> dict[str, int]:
    """Per ★4–5 job, the run's talents that fit it (Matcher.fitting_counts): what its gap is counted against,
    independent of ``top``. Retrieval reaches at least twice the largest headcount."""
    urgent = urgent_jobs(jobs)
    if urgent.empty:
        return {}
    return matcher.fitting_counts(urgent.index.astype(str).tolist(), ids, least=2 * int(headcounts(urgent).max()))


def _event_jobs(matcher: Matcher, params: BulkParams) -> pd.DataFrame:
    frame = matcher.jobs.frame
    return frame if params.jobs is None else frame.loc[list(params.jobs)]


def _snapshot(matcher: Matcher, ids: list[str], params: BulkParams) -> dict:
    """What a checkpoint is valid for: the exact pool, the loaded jobs and the parameters."""
    job_ids = [str(j) for j in _event_jobs(matcher, params).index]
    return {"talents_hash": ids_hash(ids), "talents": len(ids), "jobs_hash": ids_hash(job_ids),
            "jobs": len(job_ids), **{k: v for k, v in asdict(params).items() if k in RANKING_PARAMS}}
