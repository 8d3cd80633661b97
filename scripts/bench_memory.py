"""Memory of ``matcher serve --workers N``: RSS, PSS and USS of the parent and each worker, summed.

Starts the server on an already prepared data directory (``scripts/bench_api.py`` prepares one), waits until
every worker serves, sends ``--warm`` recommendation and candidate requests for random saved ids (so the
pages a query reads are resident, as on a serving machine), then reads ``/proc/<pid>/smaps_rollup`` of the
parent and each of its children. PSS (proportional set size) counts a page shared by k processes as 1/k in
each, so the sum of PSS is what the process tree costs the machine; RSS counts shared pages in every process
(its sum overstates); USS (private clean + dirty) is what a process alone holds.

    .venv/bin/python scripts/bench_memory.py --data-dir /tmp/matcher-bench/t100000-j243 \\
        --model-path /tmp/matcher-bench/models/static-zh --workers 2 --json memory.json

With ``--other-run`` (this script's JSON at another pool size) the sum of PSS is projected linearly in the
number of talents to ``--project-to`` (default 1M): the shape of the cost, not a measurement.

The data directory's indexes may be rebuilt or resaved by the server (it is the server's own), so point it
at a copy when the original must stay as it is.
"""
from __future__ import annotations

import argparse
import json
import logging
import sqlite3
import statistics
import sys
import time
from pathlib import Path

import httpx
from bench_api import HOST, admin_key, matcher_env, sample_ids, start_server, stop_server
from http_load import process_tree as pids_in_tree

from matcher.cli.serve import add_worker_option

log = logging.getLogger("bench_memory")

FIELDS = {"Rss": "rss_mb", "Pss": "pss_mb", "Private_Clean": "private_clean_mb", "Private_Dirty": "private_dirty_mb",
          "Shared_Clean": "shared_clean_mb", "Shared_Dirty": "shared_dirty_mb"}
ENDPOINTS = {"recommendations": ("talents", "talent_id", "/api/v1/talents/{id}/recommendations"),
             "candidates": ("jobs", "job_id", "/api/v1/jobs/{id}/candidates")}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, required=True, help="a prepared data directory (imported, indexed)")
    parser.add_argument("--model-path", type=Path, help="the embedding model directory (default: the data dir's)")
    add_worker_option(parser)
    parser.add_argument("--port", type=int, default=8766, help="loopback port for the server (default 8766)")
    parser.add_argument("--warm", type=int, default=200,
                        help="requests per endpoint sent before measuring (default 200)")
    parser.add_argument("--startup-timeout", type=float, default=1800, help="seconds to wait for the server")
    parser.add_argument("--write", action="store_true",
                        help="after warming, add one talent through the API (deleted at the end) and measure again "
                             "once every worker has applied it (a write rebuilds each worker's frame)")
    parser.add_argument("--label", default="", help="a name for this run in the JSON (e.g. before, after)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--other-run", type=Path,
                        help="the JSON of a run at another pool size: the sum of PSS is then projected linearly "
                             "in the number of talents to --project-to talents")
    parser.add_argument("--project-to", type=int, default=1_000_000,
                        help="talents to project the sum of PSS to (default 1000000)")
    return parser.parse_args(argv)


def smaps_rollup(pid: int) -> dict[str, float]:
    """The memory figures of one process in MB (FIELDS), from /proc/<pid>/smaps_rollup."""
    figures: dict[str, float] = {}
    with open(f"/proc/{pid}/smaps_rollup") as rollup:
        for line in rollup:
            parts = line.split()
            name = parts[0].rstrip(":")
            if name in FIELDS and len(parts) >= 2:
                figures[FIELDS[name]] = round(int(parts[1]) / 1024, 1)
    figures["uss_mb"] = round(figures.get("private_clean_mb", 0) + figures.get("private_dirty_mb", 0), 1)
    return figures


def process_tree(pid: int) -> dict[str, object]:
    """The parent's and every descendant's figures (the supervisor ``matcher serve --workers N`` spawns, the
    workers it forks), and their sums."""
    processes = [{"pid": pid, "role": "parent", **smaps_rollup(pid)}]
    processes += [{"pid": p, "role": _role(p), **smaps_rollup(p)} for p in pids_in_tree(pid)[1:]]
    totals = {name: round(sum(p[name] for p in processes), 1) for name in (*FIELDS.values(), "uss_mb")}
    return {"processes": processes, "total": totals}


def _role(pid: int) -> str:
    """'tracker' for multiprocessing's resource tracker, 'supervisor' for the process the workers are forked from
    (it has children), else 'worker'."""
    command = Path(f"/proc/{pid}/cmdline").read_bytes()
    if b"resource_tracker" in command:
        return "tracker"
    return "supervisor" if len(pids_in_tree(pid)) > 1 else "worker"


def warm(base_url: str, key: str, data_dir: Path, count: int, seed: int) -> tuple[dict[str, int], dict[str, float]]:
    """``count`` requests per endpoint, one after another on one connection: the number of answers that were not
    200, and the median latency in ms of each endpoint (the first requests included: a cold worker shows)."""
    failures: dict[str, int] = {}
    p50_ms: dict[str, float] = {}
    with httpx.Client(base_url=base_url, headers={"X-API-Key": key}, timeout=60) as client:
        for endpoint, (table, column, path) in ENDPOINTS.items():
            latencies, failures[endpoint] = [], 0
            for talent_or_job in sample_ids(data_dir, table, column, count, seed):
                started = time.perf_counter()
                failures[endpoint] += client.get(path.format(id=talent_or_job)).status_code != 200
                latencies.append((time.perf_counter() - started) * 1000)
            p50_ms[endpoint] = round(statistics.median(latencies), 2) if latencies else 0.0
    return failures, p50_ms


def measure(args: argparse.Namespace) -> dict[str, object]:
    env = matcher_env(args.data_dir, args.model_path)
    key = admin_key(env)
    started = time.perf_counter()
    server = start_server(args.port, env, args.startup_timeout, key, args.workers)
    startup_s = round(time.perf_counter() - started, 1)
    try:
        loaded = process_tree(server.pid)
        failures, p50_ms = warm(f"http://{HOST}:{args.port}", key, args.data_dir, args.warm, args.seed)
        time.sleep(1)
        warmed = process_tree(server.pid)
        written = (after_one_write(f"http://{HOST}:{args.port}", key, args.data_dir, args.workers, server.pid)
                   if args.write else None)
    finally:
        stop_server(server)
    talents = talent_count(args.data_dir)
    return {"label": args.label, "data_dir": str(args.data_dir), "talents": talents, "workers": args.workers,
            "startup_s": startup_s,
            "warm_requests": args.warm, "warm_failures": failures, "warm_p50_ms": p50_ms,
            "after_start": loaded, "after_warm": warmed, **({"after_write": written} if written else {})}


WRITTEN_TALENT = {"talent_id": "BENCH-MEMORY-WRITE", "name": "测试焊工", "current_title": "焊工",
                  "skills": "氩弧焊、二保焊", "certificates": "焊工证", "education": "高中", "experience_years": 5}


def after_one_write(base_url: str, key: str, data_dir: Path, workers: int, pid: int) -> dict[str, object]:
    """Add one talent, send candidate requests on new connections until every worker answered one (so each has
    applied the change), measure, then delete the talent again."""
    headers = {"X-API-Key": key}
    talent = WRITTEN_TALENT["talent_id"]
    job = sample_ids(data_dir, "jobs", "job_id", 1, 0)[0]
    answered: set[int] = set()
    try:
        response = httpx.post(f"{base_url}/api/v1/talents", json=WRITTEN_TALENT, headers=headers, timeout=120)
        response.raise_for_status()
        for _ in range(50 * workers):
            with httpx.Client(base_url=base_url, headers=headers, timeout=120) as client:
                client.get(ENDPOINTS["candidates"][2].format(id=job)).raise_for_status()
                answered.add(client.get("/api/v1/metrics").json()["worker"]["pid"])
            if len(answered) == workers:
                break
        time.sleep(1)
        return {**process_tree(pid), "workers_applied": len(answered)}
    finally:
        httpx.delete(f"{base_url}/api/v1/talents/{talent}", headers=headers, timeout=120)


def talent_count(data_dir: Path) -> int:
    with sqlite3.connect(data_dir / "matcher.db") as connection:
        return int(connection.execute("SELECT COUNT(*) FROM talents").fetchone()[0])


def projection(run: dict, other: dict, talents: int) -> dict[str, float]:
    """Sum of PSS after warming at ``talents``, on the line through the two runs' (talents, PSS) points."""
    (n1, p1), (n2, p2) = sorted((r["talents"], r["after_warm"]["total"]["pss_mb"]) for r in (run, other))
    if n1 == n2:
        raise SystemExit("--other-run was measured at the same number of talents: nothing to project from")
    per_talent = (p2 - p1) / (n2 - n1)
    return {"talents": talents, "pss_mb": round(p2 + per_talent * (talents - n2), 1),
            "pss_kb_per_talent": round(per_talent * 1024, 2), "from_talents": [n1, n2]}


def report(run: dict[str, object]) -> None:
    lines = [f"{'state':<12} {'pid':>8} {'role':<10} {'RSS MB':>8} {'PSS MB':>8} {'USS MB':>8} {'dirty MB':>8}"]
    for state in ("after_start", "after_warm", "after_write"):
        if state not in run:
            continue
        tree = run[state]
        for p in tree["processes"]:
            lines.append(f"{state:<12} {p['pid']:>8} {p['role']:<10} {p['rss_mb']:>8.1f} {p['pss_mb']:>8.1f} "
                         f"{p['uss_mb']:>8.1f} {p['private_dirty_mb']:>8.1f}")
        total = tree["total"]
        lines.append(f"{state:<12} {'':>8} {'total':<10} {total['rss_mb']:>8.1f} {total['pss_mb']:>8.1f} "
                     f"{total['uss_mb']:>8.1f}")
    if "warm_p50_ms" in run:
        lines.append("warm p50 (one connection): " + ", ".join(f"{e} {ms} ms" for e, ms in run["warm_p50_ms"].items()))
    if "projection" in run:
        p = run["projection"]
        lines.append(f"sum of PSS projected to {p['talents']} talents: {p['pss_mb']:.0f} MB "
                     f"({p['pss_kb_per_talent']} KB a talent, from {p['from_talents']})")
    sys.stdout.write("\n".join(lines) + "\n")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if not (args.data_dir / "matcher.db").is_file():
        raise SystemExit(f"--data-dir {args.data_dir} holds no matcher.db: prepare it with scripts/bench_api.py")
    run = measure(args)
    if args.other_run is not None:
        run["projection"] = projection(run, json.loads(args.other_run.read_text()), args.project_to)
    report(run)
    if args.json:
        args.json.write_text(json.dumps(run, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
