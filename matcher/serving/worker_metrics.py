"""Request metrics across API worker processes: each worker publishes its own to a small file.

Every PUBLISH_SECONDS a worker replaces ``<data_dir>/metrics/<worker>.json`` with its per-route counts;
the metrics route sums the files written within STALE_SECONDS (a stopped worker removes its file, a
crashed one's goes stale). Counts, statuses and mean latency add up across workers; p50/p99 do not,
so those stay per worker.
"""
from __future__ import annotations

import json
import logging
import os
import secrets
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from matcher.files import write_text_atomic
from matcher.serving.request_metrics import RequestMetrics

log = logging.getLogger(__name__)

PUBLISH_SECONDS = 2.0
STALE_SECONDS = 10.0


class WorkerMetrics:
    """This worker's identity and published metrics, and the sum over every live worker's."""

    def __init__(self, directory: Path, metrics: RequestMetrics, publish_seconds: float = PUBLISH_SECONDS) -> None:
        self.directory, self.metrics, self.publish_seconds = Path(directory), metrics, publish_seconds
        self.pid = os.getpid()
        self.id = f"{self.pid}-{secrets.token_hex(3)}"  # two apps in one process (tests) stay apart
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def path(self) -> Path:
        return self.directory / f"{self.id}.json"

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self.publish()
        self._thread = threading.Thread(target=self._publish_periodically, name="metrics-publish", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join()
        self.path.unlink(missing_ok=True)

    def publish(self) -> None:
        """Replace this worker's file with its current counts (atomically: readers never see half)."""
        body = {"worker": self.id, "pid": self.pid, "written_at": time.time(), "routes": self.metrics.snapshot()}
        write_text_atomic(self.path, json.dumps(body))

    def _publish_periodically(self) -> None:
        while not self._stopping.wait(self.publish_seconds):
            try:
                self.publish()
            except OSError as error:  # a full disk must not stop the worker; the figures just age
                log.warning("could not publish worker metrics: %s", type(error).__name__)

    def live_workers(self) -> list[dict]:
        """Every worker's latest published metrics (this one's fresh), skipping stale and unreadable files."""
        self.publish()
        now, found = time.time(), []
        for path in sorted(self.directory.glob("*.json")):
            try:
                body = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue  # removed or replaced meanwhile
            if now - float(body.get("written_at", 0)) <= STALE_SECONDS:
                found.append(body)
        return found


def combined_routes(workers: Iterable[dict]) -> list[dict[str, object]]:
    """Per route: counts, server errors and statuses summed over workers, mean latency over all requests."""
    totals: dict[tuple[str, str], dict] = {}
    for worker in workers:
        for route in worker["routes"]:
            total = totals.setdefault((route["method"], route["route"]),
                                      {"count": 0, "server_errors": 0, "total_ms": 0.0, "by_status": {}})
            total["count"] += route["count"]
            total["server_errors"] += route["server_errors"]
            total["total_ms"] += route["total_ms"]
            for status, count in route["by_status"].items():
                total["by_status"][int(status)] = total["by_status"].get(int(status), 0) + count
    return [{"method": method, "route": route, "count": t["count"], "server_errors": t["server_errors"],
             "by_status": dict(sorted(t["by_status"].items())),
             "mean_ms": round(t["total_ms"] / t["count"], 2) if t["count"] else None}
            for (method, route), t in sorted(totals.items(), key=lambda item: item[0][::-1])]
