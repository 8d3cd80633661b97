"""Abuse limits for anonymous forms: who the client is (its address) and a memory-bounded sliding-window count.

The counts live in each worker process: with N workers a client may get up to N times the limit, which is
still a limit; a shared store would cost a database write per anonymous form.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable

from fastapi import Request

UNKNOWN_ADDRESS = "unknown"


def client_address(request: Request) -> str:
    """The client's IP address as the server saw it (behind a proxy, uvicorn's --forwarded-allow-ips decides
    whether X-Forwarded-For replaces it)."""
    return request.client.host if request.client is not None else UNKNOWN_ADDRESS


class SlidingWindowLimit:
    """At most ``limit`` hits per key in any ``window_seconds``; at most ``max_keys`` keys remembered.

    Each key keeps the times of its last ``limit`` hits (a deque of that length), and the least recently used
    key is forgotten first, so memory stays within max_keys × limit times whatever clients send.
    """

    def __init__(self, limit: int, window_seconds: float, max_keys: int,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if limit < 1 or window_seconds <= 0 or max_keys < 1:
            raise ValueError("limit and max_keys must be at least 1 and the window longer than 0 seconds")
        self.limit, self.window, self.max_keys, self.clock = limit, window_seconds, max_keys, clock
        self._hits: OrderedDict[Hashable, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._hits)

    def wait_seconds(self, key: Hashable) -> float:
        """0 when ``key`` may hit now, else the seconds until its oldest hit in the window leaves it."""
        now = self.clock()
        with self._lock:
            hits = self._hits.get(key)
            if hits is None:
                return 0.0
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            return 0.0 if len(hits) < self.limit else hits[0] + self.window - now

    def record(self, key: Hashable) -> None:
        """Count one hit for ``key`` now (the oldest key is forgotten past max_keys)."""
        now = self.clock()
        with self._lock:
            hits = self._hits.pop(key, None) or deque(maxlen=self.limit)
            hits.append(now)
            self._hits[key] = hits
            while len(self._hits) > self.max_keys:
                self._hits.popitem(last=False)
