"""Benchmark bulk runs: seconds, rows/s and peak memory per engine and pool size.

Each case (talents × jobs) gets a data directory prepared once with the demo generator, the importer,
``matcher index build`` and ``matcher train`` (the same commands a user runs; reused when present). Each
measurement runs ``matcher bulk`` in a fresh subprocess so peak memory is its own:

    .venv/bin/python scripts/bench_bulk.py --json bench_bulk.json                   # 100k × 243 and 100k × 20k
    .venv/bin/python scripts/bench_bulk.py --talents 1000000 --jobs 243 --engines local
    .venv/bin/python scripts/bench_bulk.py --talents 20000 --jobs 243 --engines local spark   # a quick look

Targets (2 cores): 100k talents × 243 jobs, re-ranked, top 20 per talent and per-job shortlists, in
<= 60 s and <= 4 GB; 1M × 243 completes.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench_api import MATCHER, matcher_env, prepare, run_matcher
from http_load import process_tree

log = logging.getLogger("bench_bulk")
TARGET_SECONDS, TARGET_GB = 60.0, 4.0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--talents", type=int, nargs="+", default=[100_000], help="pool sizes (default 100000)")
    parser.add_argument("--jobs", type=int, nargs="+", default=[243, 20_000], help="job counts (default 243 20000)")
    parser.add_argument("--engines", nargs="+", choices=("local", "spark"), default=["local", "spark"])
    parser.add_argument("--spark-master", default="local[2]")
    parser.add_argument("--workers", type=int, help="local engine worker processes (default: one per core)")
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--depth", type=int, default=100)
    parser.add_argument("--batch", type=int, default=1024)
    parser.add_argument("--base-dir", type=Path, default=Path(tempfile.gettempdir()) / "matcher-bench",
                        help="data directories live here, one per case; reused when prepared")
    parser.add_argument("--model-path", type=Path, help="an existing embedding model directory (default: build)")
    parser.add_argument("--no-train", action="store_true", help="rank with the rule score (no ranker training)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    return parser.parse_args(argv)


def prepared(talents: int, jobs: int, args: argparse.Namespace) -> tuple[Path, dict[str, str]]:
    data_dir = args.base_dir / f"talents{talents}-jobs{jobs}"
    env = matcher_env(data_dir, args.model_path)
    prepare(data_dir, talents, jobs, args.seed, env)
    trained = data_dir / "bench-trained.json"
    if not args.no_train and not trained.is_file():
        done = run_matcher(["train"], env)
        if done.returncode:
            raise SystemExit(f"matcher train failed:\n{done.stderr[-2000:]}")
        trained.write_text(done.stdout[-4000:])
    return data_dir, env


def measure(data_dir: Path, env: dict[str, str], engine: str, args: argparse.Namespace) -> dict:
    """One ``matcher bulk`` in a subprocess; wall time, the run's own summary and peak memory: the summed RSS
    of its process tree, sampled (``peak_tree_rss_mb``), beside the older upper bound from getrusage."""
    out = data_dir / f"bulk-{engine}"
    command = ["bulk", "--out", str(out), "--restart", "--engine", engine, "--top", str(args.top),
               "--depth", str(args.depth), "--batch", str(args.batch), "--spark-master", args.spark_master]
    if args.workers:
        command += ["--workers", str(args.workers)]
    started = time.perf_counter()
    done, tree_peak_mb = run_sampled(command, env)
    wall = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"matcher bulk --engine {engine} failed:\n{done.stderr[-3000:]}")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    peak = summary["peak_rss_mb"]
    schedule = summary["schedule"]
    return {"engine": engine, "talents": summary["talents"], "jobs": summary["jobs"], "pairs": summary["pairs"],
            "ranking_seconds": summary["seconds"], "seconds_with_outputs": summary["seconds_with_outputs"],
            "wall_seconds_with_start_up": round(wall, 1),
            "talents_per_s": round(summary["talents"] / summary["seconds"], 1),
            "rows_per_s": round(summary["pairs"] / summary["seconds"], 1), "peak_rss_mb": peak,
            "peak_rss_bound_mb": round(peak["main"] + _workers(engine, args) * peak["largest_child"], 1),
            "peak_tree_rss_mb": tree_peak_mb,
            "schedule": {k: schedule.get(k) for k in ("interviews", "total_score", "urgent_covered", "urgent_filled",
                                                     "urgent_positions", "seconds")},
            "greedy": {k: (schedule.get("greedy") or {}).get(k) for k in ("interviews", "total_score",
                                                                          "urgent_covered", "urgent_filled")}}


def run_sampled(args: list[str], env: dict[str, str], every: float = 0.2,
                prefix: list[str] | None = None) -> tuple[subprocess.CompletedProcess, float]:
    """``matcher <args>`` (or ``prefix + args``) in a subprocess, with the peak of the summed RSS of it and all its
    descendants (workers, the Spark JVM and its Python workers), sampled from /proc every ``every`` seconds."""
    command = [*(MATCHER if prefix is None else prefix), *args]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak, stop = [0.0], threading.Event()

    def sample() -> None:
        while not stop.wait(every):
            peak[0] = max(peak[0], tree_rss_mb(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    stop.set()
    sampler.join()
    log.info("matcher %s: exit %d", " ".join(args[:3]), process.returncode)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr), round(peak[0], 1)


def tree_rss_mb(root: int) -> float:
    """Summed VmRSS of ``root`` and its descendants, in MB (0 for processes that exit while being read)."""
    total = 0.0
    for pid in process_tree(root):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0) / 1024
    return total


def _workers(engine: str, args: argparse.Namespace) -> int:
    """Child processes that may peak at once: local workers, or the one Spark JVM (its Python workers are
    its children, not ours, and are not counted)."""
    return 1 if engine == "spark" else (args.workers or os.cpu_count() or 1)


def report(results: list[dict]) -> None:
    print(f"\n{'engine':7} {'talents':>9} {'jobs':>6} {'rank s':>8} {'all s':>8} {'talents/s':>10} "
          f"{'rows/s':>10} {'peak MB':>8}  (peak: summed RSS of the run's process tree, sampled)")
    for r in results:
        print(f"{r['engine']:7} {r['talents']:>9} {r['jobs']:>6} {r['ranking_seconds']:>8.1f} "
              f"{r['seconds_with_outputs']:>8.1f} {r['talents_per_s']:>10.0f} {r['rows_per_s']:>10.0f} "
              f"{r['peak_tree_rss_mb']:>8.0f}")
    print(f"targets: 100k × 243 in <= {TARGET_SECONDS:.0f} s and <= {TARGET_GB:.0f} GB")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    results = []
    for talents in args.talents:
        for jobs in args.jobs:
            data_dir, env = prepared(talents, jobs, args)
            for engine in args.engines:
                results.append(measure(data_dir, env, engine, args))
                log.info("%s", results[-1])
    report(results)
    if args.json:
        payload = {"cpus": os.cpu_count(), "top": args.top, "depth": args.depth, "batch": args.batch,
                   "results": results, "targets": {"seconds": TARGET_SECONDS, "gb": TARGET_GB}}
        args.json.write_text(json.dumps(payload, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
