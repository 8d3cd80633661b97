"""Mount the web pages on the app: static files (the stylesheet, script, Swagger UI), page routers, error pages."""
from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.web import (
    admin,
    admin_rankers,
    admin_training,
    employer,
    employer_events,
    employer_jobs,
    fair,
    home,
    seeker,
    staff_bulk,
    staff_imports,
    staff_talents,
    timetable,
)
from api.web.errors import install_page_errors

STATIC = Path(__file__).resolve().parent.parent / "static"


def install_web(app: FastAPI) -> None:
    """Everything the pages need comes from the package: no CDN, so they and /docs work with no internet."""
    install_page_errors(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for router in (home.router, fair.router, staff_imports.router, staff_talents.router, staff_bulk.router,
                   employer_jobs.router, employer_events.router, employer.router, seeker.router, admin.router,
                   admin_rankers.router, admin_training.router, timetable.router):
        app.include_router(router)
