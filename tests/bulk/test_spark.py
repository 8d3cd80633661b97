"""The Spark engine on the tiny pipeline world: the same tables and files as the local engine, restartable.

One engine-owned session runs first (and must be stopped after), then one shared session serves the rest.
"""
from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

pytest.importorskip("pyspark", reason="the Spark engine needs pyspark (pip install -e .[spark])")
if shutil.which("java") is None:
    pytest.skip("the Spark engine needs Java 17+ on PATH", allow_module_level=True)

from pyspark.sql import SparkSession  # noqa: E402
from pyspark.sql.functions import spark_partition_id  # noqa: E402

from matcher.bulk import BulkParams, run_bulk  # noqa: E402
from matcher.bulk.spark import SparkEngine, batch_frame, start_session  # noqa: E402
from tests.bulk.conftest import ALL, Interrupted  # noqa: E402

PARAMS = BulkParams(top=6, shortlist=2, batch=2)
QUIET = {"spark.ui.enabled": "false", "spark.sql.shuffle.partitions": "2"}
OUTPUTS = ("talent_top.csv", "job_shortlists.csv")


@pytest.fixture(scope="module")
def local_run(matcher, tmp_path_factory):
    return run_bulk(matcher, ALL, tmp_path_factory.mktemp("bulk-local"), PARAMS)


@pytest.fixture(scope="module")
def owned_run(matcher, tmp_path_factory):
    """A run on a session the engine starts itself (in waves of 2 batches, so two waves are in flight);
    returns the result and whether a session was still active after it."""
    engine = SparkEngine(matcher, "local[2]", "matcher-bulk-test", QUIET, batches_per_wave=2)
    result = run_bulk(matcher, ALL, tmp_path_factory.mktemp("bulk-spark"), PARAMS, engine=engine)
    return result, SparkSession.getActiveSession() is not None


@pytest.fixture(scope="module")
def spark(owned_run):
    """Shared by the remaining tests; started after the owned run, since a process holds one session."""
    session = start_session("local[2]", "matcher-bulk-test", QUIET)
    yield session
    session.stop()


def test_spark_run_writes_the_local_runs_files_byte_for_byte(owned_run, local_run):
    result, still_active = owned_run
    assert not still_active
    assert result.summary["pairs"] == local_run.summary["pairs"] == 33  # all but test_run.UNFIT
    for name in OUTPUTS:
        assert (result.out_dir / name).read_bytes() == (local_run.out_dir / name).read_bytes()
    summary = json.loads((result.out_dir / "summary.json").read_text(encoding="utf-8"))
    assert summary["engine"] == "spark"


def test_every_batch_once_with_recommend_tables_for_depth_and_an_event_subset(matcher, spark):
    batches = [(0, ALL[:2]), (1, ALL[2:5]), (2, ALL[5:])]
    jobs = {"J-WELD-SS", "J-NURSE-ZK"}
    tables = dict(SparkEngine(matcher, session=spark).rank(batches, 3, 4, jobs))
    assert sorted(tables) == [0, 1, 2]
    for number, ids in batches:
        pd.testing.assert_frame_equal(tables[number], matcher.recommend_table(ids, 3, 4, jobs))
    assert set(pd.concat(tables.values())["job_id"]) <= jobs


def test_a_batch_without_rows_still_comes_back_once_and_empty(matcher, spark):
    assert matcher.recommend_table(ALL, 5, None, set()).empty  # no job allowed: no rows, locally too
    tables = list(SparkEngine(matcher, session=spark).rank([(0, ALL[:3]), (1, ALL[3:])], 5, None, set()))
    assert [number for number, _ in tables] == [0, 1]
    for _, table in tables:
        assert table.empty and list(table.columns) == ["talent_id", "job_id", "rank", "score", "reasons"]


def test_each_batch_is_one_partition(spark):
    frame = batch_frame(spark, [(n, bytes([n])) for n in range(5)])
    placed = frame.select("batch", spark_partition_id().alias("partition")).collect()
    assert frame.rdd.getNumPartitions() == 5 and sorted((r.batch, r.partition) for r in placed) == \
        [(n, n) for n in range(5)]


def test_interrupted_spark_run_resumes_to_identical_output(matcher, spark, local_run, tmp_path):
    def stop_after_first(batch: int) -> None:
        raise Interrupted(batch)

    engine = SparkEngine(matcher, session=spark, batches_per_wave=1)
    with pytest.raises(Interrupted):
        run_bulk(matcher, ALL, tmp_path, PARAMS, engine=engine, on_batch=stop_after_first)
    assert json.loads((tmp_path / "checkpoint.json").read_text())["completed"] == [0]
    ranked: list[int] = []
    resumed = run_bulk(matcher, ALL, tmp_path, PARAMS, engine=engine, on_batch=ranked.append)
    assert resumed.resumed_batches == 1 and ranked == [1, 2]
    for name in OUTPUTS:
        assert (tmp_path / name).read_bytes() == (local_run.out_dir / name).read_bytes()


def test_an_engine_refuses_to_start_a_second_session(matcher, spark):
    with pytest.raises(RuntimeError, match="already active"):
        list(SparkEngine(matcher, "local[1]").rank([(0, ALL[:1])], 1, None, None))
    assert SparkSession.getActiveSession() is spark
