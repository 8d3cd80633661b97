"""The limit on "我要应聘" at a fair: applications per client address and event, from the settings.

Only stored applications count (a form sent back for a missing field does not), so a visitor correcting
a typo is never refused; a script posting profiles is, after ``fair_applications_per_window``.
"""
from __future__ import annotations

import math
import threading

from fastapi import Request
from fastapi.responses import HTMLResponse

from api.web.pages import page
from api.web.throttle import SlidingWindowLimit

_CREATING = threading.Lock()


def fair_limit(request: Request) -> SlidingWindowLimit:
    """This process's limit, made from the app's settings at the first application."""
    state = request.app.state
    with _CREATING:
        if getattr(state, "fair_limit", None) is None:
            settings = state.settings
            state.fair_limit = SlidingWindowLimit(settings.fair_applications_per_window,
                                                  settings.fair_application_window_minutes * 60,
                                                  settings.fair_limit_clients)
    return state.fair_limit


def too_many_applications(request: Request, limit: SlidingWindowLimit, wait_seconds: float) -> HTMLResponse:
    """429 with Retry-After, and in Chinese what happened, when to try again and what to do meanwhile."""
    minutes = max(1, math.ceil(wait_seconds / 60))
    window = f"{limit.window / 60:g}"
    detail = (f"这台设备在本次招聘会提交应聘太频繁了（每 {window} 分钟最多 {limit.limit} 次）。"
              f"请 {minutes} 分钟后再试，或直接到展位现场报名。")
    response = page(request, "error.html", {"title": "提交太频繁 · 应聘", "status": 429, "detail": detail},
                    status_code=429)
    response.headers["Retry-After"] = str(math.ceil(wait_seconds))
    return response
