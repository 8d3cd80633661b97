"""The Spark bulk engine: talent batches ranked on Spark executors against a broadcast job side.

The job side (candidate pool with FAISS and BM25, profiles, ranker, retrieval settings) is broadcast once;
each Python worker unpickles it on first use and keeps it for the tasks it runs. Talent batches are cut on
the driver (``Matcher.talent_batch``) and shipped as rows, so the data dir is needed on the driver only. The
driver's own ``matcher`` package goes to the executors as a zip (``matcher.bulk.spark_package``), so they rank
with the driver's code whatever they have installed.

Batches and partitions: batches go to Spark in waves of ``batches_per_wave`` (default twice the default
parallelism). A wave is one DataFrame of one row per batch (batch number, pickled ``TalentBatch``) made by
``parallelize(rows, len(rows))``, so every partition holds exactly one batch and one ``mapInPandas`` call
ranks it whole. The wave's rows come back as one Arrow table, at most ``batches_per_wave × batch × top``
rows, and are split into tables by batch number on the driver. Two waves are in flight at a time, so
executors start the next wave while the driver writes the last one.

Why waves and not ``toLocalIterator``: ``toLocalIterator`` runs one Spark job per partition, one after
another (two with ``prefetchPartitions``), so it would rank one batch at a time however many executors
there are. Waves keep every core busy and still never hold more than two waves of pairs on the driver.
"""
from __future__ import annotations

import logging
import os
import pickle
import sys
import threading
import uuid
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from functools import partial

import pandas as pd
import pyarrow as pa
from pyspark.broadcast import Broadcast
from pyspark.sql import DataFrame, SparkSession

from matcher.bulk.engine import Batch
from matcher.bulk.parts import REASON_SEPARATOR
from matcher.bulk.spark_package import ship_package
from matcher.index.slots import Allowed
from matcher.pipeline import Matcher
from matcher.rank.batch import RECOMMEND_TABLE_COLUMNS, rank_jobs
from matcher.threads import one_thread_per_process

logger = logging.getLogger(__name__)

BATCH_SCHEMA = "batch long, talents binary"
"""One row per talent batch: its number and the pickled ``TalentBatch``."""
RANKED_SCHEMA = "batch long, talent_id string, job_id string, rank long, score double, reasons string"
"""Rows ranked on the executors; reasons joined with REASON_SEPARATOR (Arrow has no tuple of str)."""
WAVES_IN_FLIGHT = 2


def start_session(master: str = "local[2]", app_name: str = "matcher-bulk",
                  conf: Mapping[str, str] | None = None) -> SparkSession:
    """A new Spark session (RuntimeError if one is already active in this process: pass that one instead).

    ``PYSPARK_PYTHON`` and ``PYSPARK_DRIVER_PYTHON`` default to this interpreter, so local executors run
    the Python that has matcher installed. They are set in ``os.environ`` here, when a session is
    started, because the SparkContext reads them from there; values already set are kept.
    """
    if SparkSession.getActiveSession() is not None:
        raise RuntimeError("a Spark session is already active in this process; pass it as SparkEngine(session=...)")
    for variable in ("PYSPARK_PYTHON", "PYSPARK_DRIVER_PYTHON"):
        os.environ.setdefault(variable, sys.executable)
    builder = SparkSession.builder.master(master).appName(app_name)
    for key, value in {"spark.ui.showConsoleProgress": "false", **(conf or {})}.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


class SparkEngine:
    """Batches ranked on Spark executors; the same tables as ``LocalEngine``.

    With ``session`` the engine uses that session (e.g. the one ``spark-submit`` made) and leaves it
    running; otherwise each ``rank`` starts a session from ``master``, ``app_name`` and ``conf`` and stops it
    when the batches are done, on error, or when the caller abandons the iterator.
    """

    name = "spark"

    def __init__(self, matcher: Matcher, master: str = "local[2]", app_name: str = "matcher-bulk",
                 conf: Mapping[str, str] | None = None, *, session: SparkSession | None = None,
                 batches_per_wave: int | None = None):
        if batches_per_wave is not None and batches_per_wave < 1:
            raise ValueError(f"batches_per_wave must be at least 1, got {batches_per_wave}")
        self.matcher, self.master, self.app_name, self.conf = matcher, master, app_name, dict(conf or {})
        self.session, self.batches_per_wave = session, batches_per_wave
        self._owned: SparkSession | None = None

    def rank(self, batches: Sequence[Batch], top: int, depth: int | None,
             jobs: Allowed) -> Iterator[tuple[int, pd.DataFrame]]:
        if not batches:
            return
        spark = self.session if self.session is not None else self._start()
        try:
            ship_package(spark.sparkContext)
            side = spark.sparkContext.broadcast(self.matcher.job_side().single_threaded())
            try:
                ranker = partial(_rank_partition, side, top, depth, jobs)
                yield from self._rank_waves(spark, batches, ranker)
            finally:
                side.destroy()
        finally:
            self._release(spark)

    def _rank_waves(self, spark: SparkSession, batches: Sequence[Batch],
                    ranker: partial) -> Iterator[tuple[int, pd.DataFrame]]:
        size = self.batches_per_wave or 2 * spark.sparkContext.defaultParallelism
        waves = [batches[i:i + size] for i in range(0, len(batches), size)]
        group, abandoned = f"matcher-bulk-{uuid.uuid4().hex}", threading.Event()
        pool = ThreadPoolExecutor(WAVES_IN_FLIGHT, thread_name_prefix="spark-wave")
        in_flight: deque[tuple[Sequence[Batch], Future]] = deque()
        logger.info("ranking %d batches on Spark in %d waves of up to %d", len(batches), len(waves), size)
        try:
            for wave in waves:
                in_flight.append((wave, pool.submit(self._rank_wave, spark, group, wave, ranker, abandoned)))
                if len(in_flight) == WAVES_IN_FLIGHT:
                    yield from _tables(*_result(in_flight.popleft()))
            while in_flight:
                yield from _tables(*_result(in_flight.popleft()))
        finally:
            _abandon(spark, group, abandoned, [future for _, future in in_flight])
            pool.shutdown(wait=True)

    def _rank_wave(self, spark: SparkSession, group: str, wave: Sequence[Batch], ranker: partial,
                   abandoned: threading.Event) -> pa.Table | None:
        """Runs in a wave thread: the job group is a property of the thread that starts the job."""
        rows = [(number, pickle.dumps(self.matcher.talent_batch(ids), pickle.HIGHEST_PROTOCOL))
                for number, ids in wave]
        if abandoned.is_set():
            return None
        spark.sparkContext.setJobGroup(group, f"matcher bulk: batches {wave[0][0]}..{wave[-1][0]}", True)
        return batch_frame(spark, rows).mapInPandas(ranker, RANKED_SCHEMA).toArrow()

    def _start(self) -> SparkSession:
        if self._owned is not None:  # a previous rank() whose iterator was dropped without being closed
            self._release(self._owned)
        self._owned = start_session(self.master, self.app_name, self.conf)
        return self._owned

    def _release(self, spark: SparkSession) -> None:
        """Stops ``spark`` if this engine started it and has not stopped it yet (stopping twice would clear
        whichever session is active now)."""
        if spark is self._owned:
            spark.stop()
            self._owned = None


def batch_frame(spark: SparkSession, rows: Sequence[tuple[int, bytes]]) -> DataFrame:
    """Columns BATCH_SCHEMA, one partition per row: ``parallelize`` with as many slices as rows puts one
    row in each, and ``mapInPandas`` keeps partitions, so each batch is ranked in one call."""
    return spark.createDataFrame(spark.sparkContext.parallelize(list(rows), len(rows)), BATCH_SCHEMA)


def _rank_partition(side: Broadcast, top: int, depth: int | None, allowed: Allowed,
                    frames: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """``mapInPandas`` body on an executor: frames of BATCH_SCHEMA in, one RANKED_SCHEMA frame per batch out."""
    one_thread_per_process()
    for frame in frames:
        for number, payload in zip(frame["batch"].tolist(), frame["talents"].tolist(), strict=True):
            table = rank_jobs(side.value, pickle.loads(payload), top, depth, allowed)
            if table.empty:  # Arrow cannot convert an empty frame of pandas 3 strings; the driver fills it in
                continue
            reasons = [REASON_SEPARATOR.join(r) for r in table["reasons"]]
            yield table.assign(batch=number, reasons=reasons)[["batch", *RECOMMEND_TABLE_COLUMNS]]


def _result(entry: tuple[Sequence[Batch], Future]) -> tuple[Sequence[Batch], pa.Table]:
    wave, future = entry
    return wave, future.result()


def _tables(wave: Sequence[Batch], ranked: pa.Table) -> Iterator[tuple[int, pd.DataFrame]]:
    """A wave's rows as one table per batch of the wave, empty for a batch without rows."""
    frame = ranked.to_pandas()
    groups = {int(number): rows for number, rows in frame.groupby("batch", sort=False)}
    for number, _ in wave:
        rows = groups.get(number, frame.iloc[:0])
        table = rows[list(RECOMMEND_TABLE_COLUMNS)].reset_index(drop=True)
        for column in ("talent_id", "job_id"):  # object ids, as rank_jobs returns them (not pandas strings)
            table[column] = pd.Series(table[column].to_numpy(dtype=object), dtype=object)
        table["reasons"] = pd.Series([tuple(r.split(REASON_SEPARATOR)) if r else () for r in table["reasons"]],
                                     dtype=object)
        yield number, table


def _abandon(spark: SparkSession, group: str, abandoned: threading.Event, futures: list[Future]) -> None:
    """Cancels the waves still running when the caller stops early or a wave failed. A wave thread may start
    its job just after a cancel, so cancel until every wave has finished."""
    abandoned.set()
    while not all(future.done() for future in futures):
        spark.sparkContext.cancelJobGroup(group)
        wait(futures, timeout=0.5)
