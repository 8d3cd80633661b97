"""The one access-log line per request, and its count and latency in the app's RequestMetrics.

The log line holds method, route template, status and milliseconds only: never the concrete path
(ids), the query string (names, phones) or a body.
"""
from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from matcher.serving.request_metrics import RequestMetrics

access_log = logging.getLogger("matcher.api.access")


class MetricsMiddleware:
    """Pure ASGI (no BaseHTTPMiddleware task hop): times each HTTP request and logs one line."""

    def __init__(self, app: ASGIApp, metrics: RequestMetrics, prefix: str = "") -> None:
        self.app, self.metrics, self.prefix = app, metrics, prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        finally:
            ms = (time.perf_counter() - started) * 1000
            route = self._template(scope)
            self.metrics.record(scope["method"], route, status, ms)
            access_log.info("%s %s %d %.1fms", scope["method"], route, status, ms)

    def _template(self, scope: Scope) -> str:
        """The matched route's path template; an included router's routes report theirs without the prefix."""
        path = getattr(scope.get("route"), "path", None)
        if path is None:
            return "unmatched"
        if self.prefix and scope["path"].startswith(self.prefix) and not path.startswith(self.prefix):
            return self.prefix + path
        return path
