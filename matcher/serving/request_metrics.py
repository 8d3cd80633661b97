"""Request counts and latencies per route (method and route template), kept for the metrics route."""
from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field

import numpy as np

LATENCY_WINDOW = 4096
"""Latest requests per route kept for percentiles: recent behaviour, bounded memory."""


@dataclass
class RouteStats:
    count: int = 0
    errors: int = 0
    total_ms: float = 0.0
    by_status: dict[int, int] = field(default_factory=dict)
    recent_ms: deque[float] = field(default_factory=lambda: deque(maxlen=LATENCY_WINDOW))

    def add(self, status: int, ms: float) -> None:
        self.count += 1
        self.errors += status >= 500
        self.total_ms += ms
        self.by_status[status] = self.by_status.get(status, 0) + 1
        self.recent_ms.append(ms)

    def summary(self) -> dict[str, object]:
        recent = np.fromiter(self.recent_ms, dtype=np.float64)
        p50, p99 = (np.percentile(recent, [50, 99]) if len(recent) else (None, None))
        return {"count": self.count, "server_errors": self.errors, "by_status": dict(sorted(self.by_status.items())),
                "total_ms": round(self.total_ms, 3),
                "mean_ms": round(self.total_ms / self.count, 2) if self.count else None,
                "p50_ms": None if p50 is None else round(float(p50), 2),
                "p99_ms": None if p99 is None else round(float(p99), 2)}


class RequestMetrics:
    """Thread-safe: recorded on the event loop, read from the metrics route in the threadpool."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._routes: dict[tuple[str, str], RouteStats] = {}
        self.started = time.time()

    def record(self, method: str, route: str, status: int, ms: float) -> None:
        with self._lock:
            self._routes.setdefault((method, route), RouteStats()).add(status, ms)

    def snapshot(self) -> list[dict[str, object]]:
        with self._lock:
            return [{"method": method, "route": route, **stats.summary()}
                    for (method, route), stats in sorted(self._routes.items(), key=lambda item: item[0][::-1])]
