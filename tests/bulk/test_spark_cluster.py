"""A real Spark standalone cluster on this machine: scripts/spark_cluster.sh starts a master and two 1-core
workers, spark-submit runs scripts/spark_submit_bulk.py on a demo data dir with one executor on each worker, and
every output equals the local engine's on the same data.

Byte for byte: the CSVs, the part files and the checkpoint. The run's own facts are normalised and nothing else:
summary.json's engine, seconds and peak memory; the generation time and durations written into report.html,
report.pdf (compared as text: its streams are compressed) and the workbook's 汇总 sheet; the PDFs' and
workbook's creation timestamps (and the PDF /ID, a hash of that timestamp).

The cluster's daemons run without this process's PYTHONPATH and the installed matcher is another tree's
editable install, so the executors rank with the driver's code only because the engine ships it (a zip of
matcher and catalogs/); each executor's extracted catalogues prove it did. Slow: several JVMs.
"""
from __future__ import annotations

import io
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

pyspark = pytest.importorskip("pyspark", reason="the Spark engine needs pyspark (pip install -e .[spark])")
if shutil.which("java") is None:
    pytest.skip("the Spark engine needs Java 17+ on PATH", allow_module_level=True)

from matcher.bootstrap import DataFiles, prepare  # noqa: E402
from matcher.bulk import BulkParams, run_bulk  # noqa: E402
from matcher.config import Settings  # noqa: E402
from matcher.pipeline import Matcher  # noqa: E402

pytestmark = pytest.mark.slow
logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
CLUSTER_SCRIPT = ROOT / "scripts" / "spark_cluster.sh"
SPARK_SUBMIT = Path(pyspark.__file__).parent / "bin" / "spark-submit"
DEMO_TALENTS, DEMO_JOBS = 200, 24
PARAMS = BulkParams(top=20, shortlist=20, depth=100, batch=25, pool="all")
SUBMIT_ARGS = ["--top", "20", "--shortlist", "20", "--depth", "100", "--batch", "25"]
SUBMIT_CONF = {
    "spark.executor.memory": "512m",  # each worker offers 1g
    "spark.task.maxFailures": "1",  # a failing task fails the test at once, not after three retries
    # Both executors registered before the first job, so the batches are spread over both workers.
    "spark.scheduler.minRegisteredResourcesRatio": "1.0",
    "spark.scheduler.maxRegisteredResourcesWaitingTime": "300s",
}
RUN_FACT_KEYS = {"engine", "seconds", "seconds_with_outputs", "peak_rss_mb"}
DURATION = re.compile(r"不到1秒|(?:\d+小时)?(?:\d+分)?\d+秒")
GENERATED = re.compile(r"生成时间：[0-9: -]+")


@dataclass(frozen=True)
class Cluster:
    url: str
    dir: Path


@pytest.fixture(scope="module")
def demo_settings(tmp_path_factory, tiny_model_dir) -> Settings:
    """Demo talents and jobs imported, indexes built and rankers trained from the demo outcomes."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("demo-data"), model_path=tiny_model_dir)
    report = prepare(settings, DataFiles(), demo_talents=DEMO_TALENTS, demo_jobs=DEMO_JOBS, seed=0)
    assert report.trained, "the demo outcomes should train at least one ranker, so executors run LightGBM"
    return settings


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Cluster:
    directory = tmp_path_factory.mktemp("spark-cluster")
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable}
    started = subprocess.run(["bash", str(CLUSTER_SCRIPT), "start", str(directory)], env=env, capture_output=True,
                             text=True, timeout=600, check=False)
    try:
        assert started.returncode == 0, started.stderr[-3000:]
        yield Cluster(started.stdout.strip().splitlines()[-1], directory)
    finally:
        subprocess.run(["bash", str(CLUSTER_SCRIPT), "stop", str(directory)], env=env, capture_output=True,
                       timeout=300, check=False)


@pytest.fixture(scope="module")
def local_run(demo_settings, tmp_path_factory) -> tuple[Path, float]:
    started = time.monotonic()
    matcher = Matcher.open(demo_settings)
    result = run_bulk(matcher, list(matcher.talents.frame.index), tmp_path_factory.mktemp("local-out"), PARAMS)
    return result.out_dir, time.monotonic() - started


@pytest.fixture(scope="module")
def cluster_run(demo_settings, cluster, tmp_path_factory) -> tuple[Path, float]:
    out = tmp_path_factory.mktemp("cluster-out")
    conf = [arg for key, value in SUBMIT_CONF.items() for arg in ("--conf", f"{key}={value}")]
    command = [str(SPARK_SUBMIT), "--master", cluster.url, *conf, str(ROOT / "scripts" / "spark_submit_bulk.py"),
               "--data-dir", str(demo_settings.data_dir), "--out", str(out), *SUBMIT_ARGS]
    # The driver runs from this checkout (PYTHONPATH) with the data dir's model; executors get nothing of it.
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYSPARK_PYTHON": sys.executable, "SPARK_LOCAL_IP": "127.0.0.1",
           "MATCHER_MODEL_PATH": str(demo_settings.resolved_model_path)}
    started = time.monotonic()
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=1800, check=False)
    assert done.returncode == 0, done.stderr[-5000:]
    return out, time.monotonic() - started


def test_the_cluster_run_writes_the_local_runs_files(cluster_run, local_run):
    (cluster_out, cluster_seconds), (local_out, local_seconds) = cluster_run, local_run
    names = sorted(str(p.relative_to(local_out)) for p in local_out.rglob("*") if p.is_file())
    assert names == sorted(str(p.relative_to(cluster_out)) for p in cluster_out.rglob("*") if p.is_file())
    assert {"talent_top.csv", "job_shortlists.csv", "schedule.csv", "matches.xlsx", "report.pdf"} <= set(names)
    for name in names:
        assert comparable(cluster_out / name) == comparable(local_out / name), name
    summary = json.loads((cluster_out / "summary.json").read_text(encoding="utf-8"))
    assert summary["engine"] == "spark" and summary["talents"] == DEMO_TALENTS
    assert summary["pairs"] == DEMO_TALENTS * PARAMS.top
    local = json.loads((local_out / "summary.json").read_text(encoding="utf-8"))
    logger.info("wall time: cluster spark-submit %.1f s (ranking %.1f s), local engine %.1f s (ranking %.1f s)",
                cluster_seconds, summary["seconds"], local_seconds, local["seconds"])


def test_both_workers_ran_executors_on_the_shipped_package(cluster_run, cluster):
    executors = [d for worker in ("1", "2") for d in (cluster.dir / "work" / worker).glob("app-*/*") if d.is_dir()]
    assert sorted({d.parents[1].name for d in executors}) == ["1", "2"]
    for executor in executors:
        assert "Finished task" in (executor / "stderr").read_text(encoding="utf-8", errors="replace")
        assert list(executor.glob("matcher-*.zip.catalogs/catalogs/regions.csv")), executor


def test_stop_leaves_no_process_behind(cluster_run, cluster):
    pids = [int(p.read_text()) for p in (cluster.dir / "pids").glob("*.pid")]
    assert len(pids) == 3 and all(_alive(pid) for pid in pids)
    subprocess.run(["bash", str(CLUSTER_SCRIPT), "stop", str(cluster.dir)], capture_output=True, timeout=300,
                   check=True)
    assert [pid for pid in pids if _alive(pid)] == []
    assert _processes_under(cluster.dir) == []
    status = subprocess.run(["bash", str(CLUSTER_SCRIPT), "status", str(cluster.dir)], capture_output=True)
    assert status.returncode != 0


def comparable(path: Path) -> bytes:
    """The file's bytes with the run's own facts (timings, engine, creation times) replaced by placeholders."""
    data = path.read_bytes()
    if path.name == "summary.json":
        return json.dumps(_without_run_facts(json.loads(data)), ensure_ascii=False, sort_keys=True).encode()
    if path.suffix == ".html":
        return _normalised_text(data.decode("utf-8")).encode()
    if path.name == "report.pdf":
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True).stdout
        return _normalised_text(text.decode("utf-8")).encode()
    if path.suffix == ".pdf":
        data = re.sub(rb"/(CreationDate|ModDate) \(D:[^)]*\)", rb"/\1 (D:)", data)
        return re.sub(rb"/ID\s*\[<[0-9a-fA-F]+>\s*<[0-9a-fA-F]+>\]", b"/ID []", data)
    if path.suffix == ".xlsx":
        return _normalised_workbook(data)
    return data


def _without_run_facts(value):
    if isinstance(value, dict):
        return {k: _without_run_facts(v) for k, v in value.items() if k not in RUN_FACT_KEYS}
    return [_without_run_facts(v) for v in value] if isinstance(value, list) else value


def _normalised_text(text: str) -> str:
    return DURATION.sub("<duration>", GENERATED.sub("生成时间：<time>", text))


def _normalised_workbook(data: bytes) -> bytes:
    """Every member's content in name order (zip entry times left out), the creation times and durations
    replaced."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    members = []
    for name in sorted(archive.namelist()):
        text = archive.read(name).decode("utf-8")
        text = re.sub(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*", r"\1", text)
        members.append(f"{name}\n{_normalised_text(text)}")
    return "\n".join(members).encode()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"


def _processes_under(directory: Path) -> list[int]:
    """Processes whose working directory is inside ``directory`` (executors and their Python workers)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cwd = os.readlink(proc / "cwd")
            except OSError:
                continue
            if cwd.startswith(str(directory)):
                found.append(int(proc.name))
    return found
