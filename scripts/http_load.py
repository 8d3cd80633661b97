"""Load over loopback for scripts/bench_api.py: wrk and httpx drivers, paced runs, the CPU a request costs the
server and the client, and another tenant's load on the cores (``stolen_cpu``)."""
from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import re
import resource
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from multiprocessing.synchronize import Event
from pathlib import Path

import httpx
import numpy as np

ENDPOINTS = {"recommendations": "/api/v1/talents/{id}/recommendations",
             "candidates": "/api/v1/jobs/{id}/candidates"}
PACING_MARGIN = 1.03
STEAL_PERIOD_S = 0.01
WRK_DELAY = """\
function delay()  -- think time before each request: exponential, mean %(think_ms).3f ms
  return -%(think_ms).3f * math.log(1 - math.random())
end
"""
WRK_RESULT = re.compile(r"^WRK_RESULT (\{.*\})$", re.MULTILINE)
WRK_SCRIPT = """\
-- Written by scripts/bench_api.py: random saved ids, the API key, figures printed as one JSON line.
local ids = {%(ids)s}
local path = "%(path)s"
wrk.headers["X-API-Key"] = "%(key)s"
local thread_count = 0
function setup(thread)
  thread_count = thread_count + 1
  thread:set("seed", %(seed)d * 1000 + thread_count)
end
function init(args)
  math.randomseed(seed or %(seed)d)
end
function request()
  return wrk.format("GET", string.format(path, ids[math.random(#ids)]))
end
%(delay)sfunction done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests": %%d, "duration_us": %%d, "errors": %%d, "p50_us": %%d, "p99_us": %%d, "max_us": %%d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
"""


@dataclass(frozen=True)
class LoadResult:
    endpoint: str
    concurrency: int
    think_ms: float
    """Mean think time between a connection's requests (0: closed loop)."""
    requests: int
    errors: int
    seconds: float
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    server_cpu_ms: float | None = None
    """CPU time the server's processes spent per request (user + system, from /proc; None elsewhere): the
    cost of a request whatever the queueing, and the load two cores carry at most is 2000 / this."""
    client_cpu_ms: float | None = None
    host_steal_pct: float | None = None
    """Share of the machine's CPU time the hypervisor gave other guests during the run (/proc/stat "steal"):
    above a few percent the host, not the server, is slow."""
    """CPU time the load generator spent per request (wrk, or this process for httpx): it shares the two cores."""

    @classmethod
    def measured(cls, endpoint: str, concurrency: int, think_ms: float, requests: int, errors: int, seconds: float,
                 p50_ms: float, p99_ms: float, max_ms: float) -> LoadResult:
        """A run's figures, rounded as reported, with requests/s derived from the count and the duration."""
        return cls(endpoint, concurrency, round(think_ms, 1), requests, errors, round(seconds, 2),
                   round(requests / seconds, 1), round(p50_ms, 2), round(p99_ms, 2), round(max_ms, 2))


def _spin(fraction: float, stop: Event) -> None:
    """Busy for ``fraction`` of every period, asleep for the rest, until ``stop``."""
    while not stop.is_set():
        busy_until = time.perf_counter() + fraction * STEAL_PERIOD_S
        while time.perf_counter() < busy_until:
            pass
        time.sleep((1 - fraction) * STEAL_PERIOD_S)


@contextmanager
def stolen_cpu(fraction: float) -> Iterator[None]:
    """Another tenant taking ``fraction`` of every core (one spinning process each) for the block's duration."""
    if not fraction:
        yield
        return
    context = multiprocessing.get_context("spawn")
    stop = context.Event()
    spinners = [context.Process(target=_spin, args=(fraction, stop), daemon=True) for _ in range(os.cpu_count() or 1)]
    for spinner in spinners:
        spinner.start()
    try:
        yield
    finally:
        stop.set()
        for spinner in spinners:
            spinner.join(timeout=5)


def drive_wrk(base_url: str, key: str, endpoint: str, ids: list[str], args: argparse.Namespace,
              concurrency: int, think_ms: float = 0.0) -> LoadResult:
    """``concurrency`` wrk connections on one wrk thread for ``args.duration`` seconds, each waiting a random
    think time of mean ``think_ms`` before each request (0: none)."""
    path = ENDPOINTS[endpoint].replace("{id}", "%s") + f"?top={args.top}"
    if any(not re.fullmatch(r"[\w.-]+", i) for i in ids):
        raise SystemExit("ids with characters a Lua string or a URL path would need escaped: use --client httpx")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % {"ids": ",".join(f'"{i}"' for i in ids), "path": path, "key": key,
                                   "seed": args.seed, "delay": WRK_DELAY % {"think_ms": think_ms} if think_ms else ""})
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        done = subprocess.run(["wrk", "-t1", f"-c{concurrency}", f"-d{max(1, round(args.duration))}s",
                               "--timeout", "30s", "-s", script.name, base_url],
                              capture_output=True, text=True, check=False)
    finally:
        os.unlink(script.name)
    client_cpu_s = _cpu_seconds(resource.getrusage(resource.RUSAGE_CHILDREN)) - _cpu_seconds(before)
    found = WRK_RESULT.search(done.stdout)
    if done.returncode or found is None:
        raise SystemExit(f"wrk failed (exit {done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    figures = json.loads(found.group(1))
    seconds = figures["duration_us"] / 1e6
    result = LoadResult.measured(endpoint, concurrency, think_ms, figures["requests"], figures["errors"], seconds,
                                 figures["p50_us"] / 1000, figures["p99_us"] / 1000, figures["max_us"] / 1000)
    return with_client_cpu(result, client_cpu_s)


def _cpu_seconds(usage: resource.struct_rusage) -> float:
    return usage.ru_utime + usage.ru_stime


def with_client_cpu(result: LoadResult, seconds: float) -> LoadResult:
    return replace(result, client_cpu_ms=round(seconds * 1000 / result.requests, 2)) if result.requests else result


def drive_httpx(base_url: str, key: str, endpoint: str, ids: list[str], args: argparse.Namespace,
                concurrency: int, think_ms: float = 0.0) -> LoadResult:
    before = time.process_time()
    result = asyncio.run(drive(base_url, key, endpoint, ids, args, concurrency, think_ms))
    return with_client_cpu(result, time.process_time() - before)


async def drive(base_url: str, key: str, endpoint: str, ids: list[str], args: argparse.Namespace,
                concurrency: int, think_ms: float = 0.0) -> LoadResult:
    """``concurrency`` workers issue requests until ``args.requests`` are done or time runs out, each waiting
    a random think time of mean ``think_ms`` before each request."""
    latencies: list[float] = []
    errors = 0
    issued = 0
    path = ENDPOINTS[endpoint]
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base_url, headers={"X-API-Key": key}, limits=limits,
                                 timeout=30) as client:
        started = time.perf_counter()
        deadline = started + args.duration

        async def worker(worker_id: int) -> None:
            nonlocal errors, issued
            chooser = random.Random(args.seed * 1000 + worker_id)
            while issued < args.requests and time.perf_counter() < deadline:
                issued += 1
                if think_ms:
                    await asyncio.sleep(chooser.expovariate(1000 / think_ms))
                sent = time.perf_counter()
                response = await client.get(path.format(id=chooser.choice(ids)), params={"top": args.top})
                latencies.append((time.perf_counter() - sent) * 1000)
                errors += response.status_code != 200

        await asyncio.gather(*(worker(i) for i in range(concurrency)))
        seconds = time.perf_counter() - started
    values = np.asarray(latencies)
    p50, p99 = np.percentile(values, [50, 99])
    return LoadResult.measured(endpoint, concurrency, think_ms, len(latencies), errors, seconds, float(p50),
                               float(p99), float(values.max()))


def load_endpoints(load: Callable[..., LoadResult], base_url: str, key: str, ids: dict[str, list[str]],
                   args: argparse.Namespace) -> list[LoadResult]:
    """Each endpoint: a warm-up, the closed-loop runs, then the paced run."""
    warm = argparse.Namespace(**{**vars(args), "requests": 50, "duration": 2})
    results = []
    for endpoint in args.endpoints:
        load(base_url, key, endpoint, ids[endpoint], warm, 2)
        closed = [load(base_url, key, endpoint, ids[endpoint], args, c) for c in args.concurrency]
        results.extend(closed)
        if args.rate:
            results.append(paced(load, base_url, key, endpoint, ids[endpoint], args, closed))
    return results


def process_tree(root: int) -> list[int]:
    """``root`` and every live descendant, depth first (``matcher serve --workers N`` spawns a supervisor that
    forks the workers: grandchildren; a bulk run's worker pools, a Spark JVM), from /proc's parent ids."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rpartition(")")[2].split()[1])
        except (OSError, IndexError, ValueError):  # the process ended meanwhile
            continue
        children.setdefault(ppid, []).append(int(stat.parent.name))
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(sorted(children.get(pid, []), reverse=True))
    return found


def server_cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of process ``pid`` and all its live descendants, from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for node in process_tree(pid):
        try:
            fields = Path(f"/proc/{node}/stat").read_text().rpartition(")")[2].split()
        except OSError:  # the process ended meanwhile
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # fields: state, ppid, ... utime (12), stime (13)
    return total if Path(f"/proc/{pid}").exists() else None


def host_cpu_ticks() -> tuple[int, int] | None:
    """(steal, total) clock ticks of all CPUs since boot, from /proc/stat; None where there is none."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return None
    # user nice system idle iowait irq softirq steal [guest guest_nice, already counted in user and nice]
    return (fields[7], sum(fields[:8])) if len(fields) >= 8 else None


def with_server_cpu(load: Callable[..., LoadResult], pid: int) -> Callable[..., LoadResult]:
    """``load`` whose result also says how much server CPU each request took, and how much the host stole."""
    def measured(*args: object) -> LoadResult:
        before, ticks_before = server_cpu_seconds(pid), host_cpu_ticks()
        result = load(*args)
        after, ticks_after = server_cpu_seconds(pid), host_cpu_ticks()
        if ticks_before is not None and ticks_after is not None and ticks_after[1] > ticks_before[1]:
            stolen = (ticks_after[0] - ticks_before[0]) / (ticks_after[1] - ticks_before[1])
            result = replace(result, host_steal_pct=round(100 * stolen, 1))
        if before is None or after is None or not result.requests:
            return result
        return replace(result, server_cpu_ms=round((after - before) * 1000 / result.requests, 2))
    return measured


def paced(load: Callable[..., LoadResult], base_url: str, key: str, endpoint: str, ids: list[str],
          args: argparse.Namespace, closed: list[LoadResult]) -> LoadResult:
    """The paced run: a calibration run with think times from the one-connection latency, then the reported
    run with think times corrected by the response time the calibration saw under load (responses slow down
    as load rises, so the first guess offers less than ``args.rate``)."""
    # Aimed 3% above the rate: think times are random, and a run landing just under it would read as a miss.
    connections, cycle_ms = args.paced_connections, args.paced_connections * 1000 / (args.rate * PACING_MARGIN)
    single = [r for r in closed if r.concurrency == 1]
    response_ms = single[0].seconds * 1000 / max(1, single[0].requests) if single else 0.0
    think_ms = max(0.1, cycle_ms - response_ms)
    calibration = load(base_url, key, endpoint, ids, argparse.Namespace(**{**vars(args), "duration": 5}),
                       connections, think_ms)
    response_ms = connections * 1000 / max(calibration.requests_per_s, 1e-9) - think_ms
    return load(base_url, key, endpoint, ids, args, connections, max(0.1, cycle_ms - response_ms))
