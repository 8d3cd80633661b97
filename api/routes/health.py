"""Liveness for load balancers (no key needed) and metrics for operators."""
from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import text

from api.auth import StaffOrAdminDep
from api.deps import MatcherDep, SessionDep
from api.problems import Problem
from api.schemas.common import PROBLEM_RESPONSES
from matcher.serving.worker_metrics import combined_routes

router = APIRouter(tags=["health"], responses=PROBLEM_RESPONSES)


@router.get("/health")
def health(session: SessionDep) -> dict[str, str]:
    """200 when the database answers; says nothing about the data."""
    try:
        session.execute(text("SELECT 1"))
    except Exception as error:  # any driver error means the same thing here: not ready
        raise Problem(503, f"the database does not answer ({type(error).__name__})") from None
    return {"status": "ok"}


@router.get("/metrics")
def metrics(request: Request, account: StaffOrAdminDep, matcher: MatcherDep) -> dict[str, Any]:
    """Request counts and latencies per route; index sizes; active models.

    ``routes`` and ``uptime_s`` are the answering worker's (``worker``), p50/p99 over its latest requests.
    ``workers`` sums counts, statuses and mean latency over every live worker process (each publishes its
    figures every few seconds); percentiles do not add up across workers, so it has none.
    """
    recorder, board = request.app.state.metrics, request.app.state.worker_metrics
    live = board.live_workers()
    return {"uptime_s": round(time.time() - recorder.started, 1), "routes": recorder.snapshot(),
            "worker": {"id": board.id, "pid": board.pid},
            "workers": {"count": len(live), "routes": combined_routes(live)},
            "matcher": matcher.status()}
