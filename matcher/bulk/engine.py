"""Bulk engines: what ranks the batches of a bulk run. The run loop (checkpoint, parts, outputs) is shared.

An engine turns pending batches of talent ids into ``Matcher.recommend_table`` tables, yielding each
batch as it completes (in any order); ``run_bulk`` writes and checkpoints them. ``LocalEngine`` ranks in
this process, ``ProcessEngine`` in spawned workers on this machine, and the Spark engine
(``matcher.bulk.spark``) on executors over talent partitions. All give the same tables.
"""
from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from multiprocessing import get_context
from typing import Protocol

import pandas as pd

from matcher.index.slots import Allowed
from matcher.pipeline import Matcher
from matcher.rank.batch import JobSide, TalentBatch, rank_jobs
from matcher.threads import one_thread_per_process

Batch = tuple[int, list[str]]
"""(batch number, talent ids of the batch in pool order)."""


class BatchEngine(Protocol):
    name: str

    def rank(self, batches: Sequence[Batch], top: int, depth: int | None,
             jobs: Allowed) -> Iterator[tuple[int, pd.DataFrame]]:
        """(batch number, table with columns RECOMMEND_TABLE_COLUMNS) for every batch, each exactly once."""
        ...


class LocalEngine:
    """Batches ranked one after another through the Matcher in this process."""

    name = "local"

    def __init__(self, matcher: Matcher):
        self.matcher = matcher

    def rank(self, batches: Sequence[Batch], top: int, depth: int | None,
             jobs: Allowed) -> Iterator[tuple[int, pd.DataFrame]]:
        for number, ids in batches:
            yield number, self.matcher.recommend_table(ids, top, depth, jobs)


class ProcessEngine:
    """Batches ranked by ``workers`` spawned processes, each holding one copy of the job side.

    This process only cuts talent batches (ids, texts, vectors, profiles) and collects tables, so the
    pool's frames and indexes are never copied into the workers. Spawned, not forked: FAISS and
    LightGBM use OpenMP, whose thread pool does not survive a fork. Workers rank single-threaded.
    """

    name = "local"

    def __init__(self, matcher: Matcher, workers: int):
        if workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        self.matcher, self.workers = matcher, workers

    def rank(self, batches: Sequence[Batch], top: int, depth: int | None,
             jobs: Allowed) -> Iterator[tuple[int, pd.DataFrame]]:
        side = self.matcher.job_side().single_threaded()
        pool = ProcessPoolExecutor(self.workers, mp_context=get_context("spawn"), initializer=_start_worker,
                                   initargs=(side,))
        queue = iter(batches)
        in_flight: dict[Future, int] = {}
        try:
            for _ in range(2 * self.workers):
                self._submit(pool, queue, in_flight, top, depth, jobs)
            while in_flight:
                finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in finished:
                    number = in_flight.pop(future)
                    self._submit(pool, queue, in_flight, top, depth, jobs)
                    yield number, future.result()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def _submit(self, pool: ProcessPoolExecutor, queue: Iterator[Batch], in_flight: dict[Future, int], top: int,
                depth: int | None, jobs: Allowed) -> None:
        batch = next(queue, None)
        if batch is not None:
            number, ids = batch
            in_flight[pool.submit(_rank_in_worker, self.matcher.talent_batch(ids), top, depth, jobs)] = number


_WORKER_JOBS: JobSide | None = None


def _start_worker(jobs: JobSide) -> None:
    global _WORKER_JOBS
    one_thread_per_process()
    _WORKER_JOBS = jobs


def _rank_in_worker(talents: TalentBatch, top: int, depth: int | None, allowed: Allowed) -> pd.DataFrame:
    assert _WORKER_JOBS is not None, "worker started without the job side"
    return rank_jobs(_WORKER_JOBS, talents, top, depth, allowed)


def choose_engine(matcher: Matcher, workers: int | None, batches: int) -> BatchEngine:
    """Worker processes when there are cores and enough batches to keep them busy; else in-process."""
    workers = (os.cpu_count() or 1) if workers is None else workers
    return ProcessEngine(matcher, workers) if workers > 1 and batches > workers else LocalEngine(matcher)
