"""Load-test the HTTP API over loopback: requests/s and p50/p99 latency for recommendations and candidates.

For each job count (default 243 and 20,000) beside 100k talents, the script prepares a data directory
with the demo generator, the importer and the trainer (the same commands a user runs), starts ``matcher serve`` as a
subprocess on 127.0.0.1, and drives it with a fixed number of concurrent keep-alive connections, each
sending its next request when the last one is answered, against randomly chosen saved ids.

Two kinds of run per endpoint. Closed loop (``--concurrency``, default 1 and 8): each connection sends
its next request as soon as the last is answered, giving the service time (1) and the most the server
carries (8, where latency is mostly queueing: 8 requests always waiting on 2 cores). Paced (``--rate``,
default 200 a second): ``--paced-connections`` connections each wait an exponentially distributed think
time between requests, calibrated by a short run so the load is about ``--rate``; the targets are judged
on this run, the latency of a server carrying that load.

Each run also reports the server's CPU time per request (``cpu ms``: its processes' user + system time over
the run, from /proc, divided by the requests answered). Unlike latency it does not depend on queueing: two
cores carry at most 2000 / ``cpu ms`` requests a second. It does follow the machine's speed, which on shared
hosts drifts by a third or more between minutes for the same code, so compare builds in alternating runs.
``client`` is the load generator's CPU per request (wrk's, or this process's for httpx), taken from the same
two cores. ``steal%`` is the share of the machine's CPU time the hypervisor gave to other guests during the
run (/proc/stat): when it is more than a few percent, a slow run says more about the host than the server.

Headroom (``--steal F``): while loading, one process per core spins for F of every 10 ms, as another tenant
of the host would; the server keeps about 1 − F of each core, so ``--steal 0.33`` shows the latency on a
host half as slow again (the slow phases of a shared machine) with the load unchanged.

Two load generators: ``wrk`` (Debian's package; ``scripts/setup.sh`` installs it), the default where it
is installed, a C client whose own CPU use leaves the server most of the two cores; or an asyncio httpx
client in this process (``--client httpx``, stopping at ``--requests`` or ``--duration``), which spends
about as much CPU per request as the server does and so understates what the server can carry.

    .venv/bin/python scripts/bench_api.py --json bench_api.json
    .venv/bin/python scripts/bench_api.py --talents 20000 --jobs 243 --requests 500   # a quick look
    .venv/bin/python scripts/bench_api.py --jobs 20000 --endpoints candidates --concurrency 1   # one endpoint
    .venv/bin/python scripts/bench_api.py --steal 0.33 --concurrency 1   # the targets on a slower host

Targets (2 cores): p99 <= 50 ms at 100k talents and >= 200 requests/s (judged on the paced runs).
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

import httpx
from http_load import ENDPOINTS, drive_httpx, drive_wrk, load_endpoints, stolen_cpu, with_server_cpu

from matcher.cli.serve import add_worker_option

log = logging.getLogger("bench_api")

HOST = "127.0.0.1"  # loopback only: the benchmark never listens on or calls another interface
MATCHER = [sys.executable, "-c", "import sys; from matcher.cli import main; sys.exit(main())"]
IMPORT_ORDER = ("workstations", "employers", "jobs", "talents", "events")
OPTIONAL_IMPORTS = frozenset({"workstations", "employers"})
"""Matching works without them; a rejected organisations file is reported, not fatal."""
TARGET_P99_MS, TARGET_RPS = 50.0, 200.0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--talents", type=int, default=100_000, help="demo talents (default 100000)")
    parser.add_argument("--jobs", type=int, nargs="+", default=[243, 20_000],
                        help="job counts to run, each against the same talent count (default 243 20000)")
    parser.add_argument("--base-dir", type=Path, default=Path(tempfile.gettempdir()) / "matcher-bench",
                        help="where the data directories live; reused when already prepared "
                             "(default <tmp>/matcher-bench)")
    parser.add_argument("--model-path", type=Path,
                        help="an existing embedding model directory (default: build the standard one, minutes)")
    parser.add_argument("--client", choices=("wrk", "httpx"),
                        help="load generator (default wrk where installed, else httpx)")
    parser.add_argument("--requests", type=int, default=3000,
                        help="requests per endpoint at most, httpx client only (default 3000)")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds per endpoint at most (default 30)")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8],
                        help="concurrent client workers; one load run per value (default 1 8: service time, "
                             "then throughput under load)")
    parser.add_argument("--rate", type=float, default=TARGET_RPS,
                        help=f"requests/s of the paced run the targets are judged on (default {TARGET_RPS:g}; 0: none)")
    parser.add_argument("--paced-connections", type=int, default=16,
                        help="connections of the paced run (default 16)")
    parser.add_argument("--top", type=int, default=10, help="matches per request (default 10)")
    parser.add_argument("--endpoints", nargs="+", choices=tuple(ENDPOINTS), default=list(ENDPOINTS),
                        help="endpoints to load, in this order (default both)")
    add_worker_option(parser)  # `matcher serve --workers`: the same default and check
    parser.add_argument("--port", type=int, default=8765, help="loopback port for the server (default 8765)")
    parser.add_argument("--startup-timeout", type=float, default=1800, help="seconds to wait for the server")
    parser.add_argument("--steal", type=_fraction, default=0.0,
                        help="share of every core another process takes while loading, 0..0.9 (default 0)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    return parser.parse_args(argv)


def _fraction(value: str) -> float:
    fraction = float(value)
    if not 0 <= fraction <= 0.9:
        raise argparse.ArgumentTypeError(f"expected a share between 0 and 0.9, got {value}")
    return fraction


def matcher_env(data_dir: Path, model_path: Path | None) -> dict[str, str]:
    env = {**os.environ, "MATCHER_DATA_DIR": str(data_dir), "MATCHER_LOG_LEVEL": "WARNING"}
    if model_path is not None:
        env["MATCHER_MODEL_PATH"] = str(model_path)
    return env


def run_matcher(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    started = time.perf_counter()
    done = subprocess.run([*MATCHER, *args], env=env, capture_output=True, text=True, check=False)
    log.info("matcher %s: exit %d in %.0f s", " ".join(args[:3]), done.returncode, time.perf_counter() - started)
    return done


def prepare(data_dir: Path, talents: int, jobs: int, seed: int, env: dict[str, str]) -> None:
    """Demo data generated and imported once per directory (a marker file records success)."""
    marker = data_dir / "bench-prepared.json"
    if marker.is_file():
        prepared = json.loads(marker.read_text())
        if not prepared.get("trained"):  # prepared by an earlier version of this script
            train(env)
            marker.write_text(json.dumps({**prepared, "trained": True}))
        log.info("%s already prepared", data_dir)
        return
    demo = data_dir / "demo"
    done = run_matcher(["demo", "generate", "--talents", str(talents), "--jobs", str(jobs), "--seed", str(seed),
                        "--out", str(demo)], env)
    if done.returncode:
        raise SystemExit(f"demo generate failed:\n{done.stdout}\n{done.stderr}")
    for kind in IMPORT_ORDER:
        done = run_matcher(["import", kind, str(demo / f"{kind}.csv"), "--json"], env)
        if done.returncode and kind in OPTIONAL_IMPORTS:
            log.warning("import %s rejected (continuing without it): %s", kind, done.stdout.strip()[:300])
        elif done.returncode:
            raise SystemExit(f"import {kind} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    # Indexes built here, not on the first server start, so start-up time is not mistaken for a hang.
    done = run_matcher(["index", "build"], env)
    if done.returncode:
        raise SystemExit(f"index build failed:\n{done.stderr[-2000:]}")
    train(env)
    marker.write_text(json.dumps({"talents": talents, "jobs": jobs, "seed": seed, "trained": True}))


def train(env: dict[str, str]) -> None:
    """Rankers trained on the imported outcomes, as ``matcher run`` does: the served scorer is then LightGBM
    (its two predictions a request: scores, then the contributions behind the reasons), not the rules."""
    done = run_matcher(["train"], env)
    if done.returncode:
        raise SystemExit(f"train failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")


def admin_key(env: dict[str, str]) -> str:
    name = f"bench-{int(time.time())}-{random.randrange(10**6)}"
    done = run_matcher(["users", "add", "--name", name, "--role", "admin"], env)
    if done.returncode:
        raise SystemExit(f"users add failed: {done.stderr}")
    return done.stdout.strip().splitlines()[-1]


def sample_ids(data_dir: Path, table: str, column: str, count: int, seed: int) -> list[str]:
    import sqlite3

    with sqlite3.connect(data_dir / "matcher.db") as connection:
        ids = [row[0] for row in connection.execute(f"SELECT {column} FROM {table}")]  # noqa: S608 - constants
    return random.Random(seed).sample(ids, min(count, len(ids)))


def start_server(port: int, env: dict[str, str], timeout: float, key: str, workers: int) -> subprocess.Popen:
    """``matcher serve`` with ``workers`` worker processes, returned once every worker serves: the first answers
    health while the others still load, and load started then would measure one worker."""
    server = subprocess.Popen([*MATCHER, "serve", "--host", HOST, "--port", str(port), "--workers", str(workers)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"matcher serve exited with {server.returncode}:\n{server.stderr.read()[-3000:]}")
        try:
            metrics = httpx.get(f"http://{HOST}:{port}/api/v1/metrics", headers={"X-API-Key": key}, timeout=5)
            if metrics.status_code == 200 and metrics.json()["workers"]["count"] >= workers:
                return server
        except httpx.TransportError:
            pass
        time.sleep(1)
    stop_server(server)
    raise SystemExit(f"matcher serve did not bring up {workers} workers within {timeout:.0f} s")


def stop_server(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=120)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def bench_one(jobs: int, args: argparse.Namespace) -> dict[str, object]:
    data_dir = args.base_dir / f"t{args.talents}-j{jobs}"
    data_dir.mkdir(parents=True, exist_ok=True)
    env = matcher_env(data_dir, args.model_path)
    prepare(data_dir, args.talents, jobs, args.seed, env)
    key = admin_key(env)
    ids = {"recommendations": sample_ids(data_dir, "talents", "talent_id", 5000, args.seed),
           "candidates": sample_ids(data_dir, "jobs", "job_id", 5000, args.seed)}
    started = time.perf_counter()
    server = start_server(args.port, env, args.startup_timeout, key, args.workers)
    startup_s = round(time.perf_counter() - started, 1)
    base_url = f"http://{HOST}:{args.port}"
    load = with_server_cpu(drive_wrk if args.client == "wrk" else drive_httpx, server.pid)
    try:
        with stolen_cpu(args.steal):
            results = load_endpoints(load, base_url, key, ids, args)
        server_side = httpx.get(f"{base_url}/api/v1/metrics", headers={"X-API-Key": key}, timeout=10).json()
    finally:
        stop_server(server)
    routes = {r["route"]: {k: r[k] for k in ("count", "p50_ms", "p99_ms")} for r in server_side["routes"]
              if r["route"].endswith(("/recommendations", "/candidates"))}
    return {"talents": args.talents, "jobs": jobs, "client": args.client, "workers": args.workers,
            "server_startup_s": startup_s, "stolen_cpu_fraction": args.steal,
            "matcher": server_side["matcher"], "load": [asdict(r) for r in results], "server": routes}


def report(runs: list[dict[str, object]]) -> None:
    lines = [f"{'talents':>8} {'jobs':>6} {'endpoint':<16} {'conc':>4} {'think':>6} {'requests':>8} {'errors':>6} "
             f"{'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'cpu ms':>6} {'client':>6} {'steal%':>6}  "
             f"targets (paced: p99 <= {TARGET_P99_MS:g} ms at >= {TARGET_RPS:g} req/s)"]
    for run in runs:
        for r in run["load"]:
            met = r["p99_ms"] <= TARGET_P99_MS and r["requests_per_s"] >= TARGET_RPS and not r["errors"]
            verdict = ("met" if met else "MISSED") if r["think_ms"] else "(closed loop)"
            lines.append(f"{run['talents']:>8} {run['jobs']:>6} {r['endpoint']:<16} {r['concurrency']:>4} "
                         f"{r['think_ms']:>6.1f} {r['requests']:>8} {r['errors']:>6} {r['requests_per_s']:>7.1f} "
                         f"{r['p50_ms']:>7.1f} {r['p99_ms']:>7.1f} {_cpu(r['server_cpu_ms'])} "
                         f"{_cpu(r['client_cpu_ms'])} {_cpu(r['host_steal_pct'])}  {verdict}")
    sys.stdout.write("\n".join(lines) + "\n")


def _cpu(ms: float | None) -> str:
    return f"{ms:>6.1f}" if ms is not None else f"{'-':>6}"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request would drown the figures
    if args.model_path is not None and not args.model_path.is_dir():
        raise SystemExit(f"--model-path {args.model_path} is not a directory")
    if args.client is None:
        args.client = "wrk" if shutil.which("wrk") else "httpx"
        if args.client == "httpx":
            log.warning("wrk is not installed (apt-get install wrk): loading with httpx from this process")
    elif args.client == "wrk" and not shutil.which("wrk"):
        raise SystemExit("--client wrk: wrk is not installed (apt-get install wrk, or scripts/setup.sh)")
    runs = [bench_one(jobs, args) for jobs in args.jobs]
    report(runs)
    if args.json:
        payload = {"cpus": os.cpu_count(), "top": args.top, "client": args.client, "runs": runs,
                   "targets": {"p99_ms": TARGET_P99_MS, "requests_per_s": TARGET_RPS}}
        args.json.write_text(json.dumps(payload, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
