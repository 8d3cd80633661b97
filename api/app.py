"""The FastAPI application: lifespan (database, Matcher), middleware, problem handlers, /api/v1 routers."""
from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from fastapi import FastAPI
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool

from api.limits import BodyLimitMiddleware
from api.metrics import MetricsMiddleware
from api.routes import (
    bulk_matches,
    catalogs,
    employers,
    events,
    health,
    imports,
    jobs,
    matching,
    talents,
    users,
    workstations,
)
from api.web.site import install_web
from matcher import __version__
from matcher.config import Settings, get_settings
from matcher.follower import ChangeFollower
from matcher.locks import FileLock
from matcher.personal_data import install_log_scrubbing
from matcher.pipeline import Matcher
from matcher.serving.bulk_runs import BulkRuns
from matcher.serving.request_metrics import RequestMetrics
from matcher.serving.worker_metrics import WorkerMetrics
from matcher.store.db import make_engine, session_factory, upgrade_database
from matcher.threads import one_thread_per_process

log = logging.getLogger(__name__)

API_PREFIX = "/api/v1"
MEGABYTE = 1024 * 1024
INDEX_LOCK = "indexes.lock"
"""Held (in the data dir) by the worker loading or saving the indexes, so workers never write them at once."""


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Settings are read once, here: those given to :func:`create_app`, else the environment's."""
    settings: Settings = app.state.settings or get_settings()
    app.state.settings = settings
    engine = make_engine(settings)
    app.state.engine = engine
    app.state.sessions = session_factory(settings, engine)
    preloaded: Preloaded | None = app.state.preloaded
    if preloaded is None:
        app.state.follower, app.state.matcher = await run_in_threadpool(_load, settings, engine)
    else:  # forked from the process that loaded it: a follower of our own, on our own engine
        app.state.follower, app.state.matcher = ChangeFollower(engine, preloaded.seq), preloaded.matcher
    one_thread_per_process()  # on the loop's thread, where the matching routes search; one worker per core
    if app.state.freeze_loaded:
        # The loaded Matcher is many objects the cyclic GC would walk in every full collection (a p99 spike
        # whenever one lands mid-request, measured by scripts/bench_api.py); frozen, they are left out of it.
        # Refcounting still frees them. Not in tests, whose many apps would pile up in the frozen set.
        gc.freeze()
    app.state.bulk_runs = BulkRuns(settings.data_dir / "bulk", app.state.matcher, engine, app.state.sessions,
                                   follower=app.state.follower)
    await run_in_threadpool(app.state.bulk_runs.open)
    app.state.worker_metrics = WorkerMetrics(settings.data_dir / "metrics", app.state.metrics)
    await run_in_threadpool(app.state.worker_metrics.start)
    log.info("matcher API ready: %s", app.state.matcher.status())
    try:
        yield
    finally:
        await run_in_threadpool(app.state.bulk_runs.close)  # a running bulk run stops after its batch, resumes later
        await run_in_threadpool(app.state.worker_metrics.stop)
        await run_in_threadpool(_save, settings, app.state.follower, app.state.matcher)
        engine.dispose()


def _load(settings: Settings, engine: Engine) -> tuple[ChangeFollower, Matcher]:
    """Schema, change-log position, then the Matcher; worker processes do this one at a time, so the first
    migrates the schema and rebuilds stale indexes and the others load what it saved."""
    with FileLock(settings.data_dir / INDEX_LOCK):
        upgrade_database(settings, engine)
        # Read before the frames: a write committed while they load is applied again, never missed.
        follower = ChangeFollower.from_now(engine)
        return follower, Matcher.open(settings)


@dataclass(frozen=True)
class Preloaded:
    """A Matcher loaded before the worker processes are forked, and the change-log position read before it."""

    matcher: Matcher
    seq: int


def preload(settings: Settings) -> Preloaded:
    """What ``matcher serve --workers N`` loads once and forks N workers from (matcher.serving.prefork).

    The same :func:`_load` as a worker's lifespan, in one thread and with one OpenMP thread (libgomp's pool
    does not survive a fork; ``matcher serve`` calls this in a fresh process with OMP_NUM_THREADS=1), then
    frozen out of the cyclic garbage collector (whose passes would write to every object and so copy every
    page into each worker). Its database engine is disposed: no connection may be used on both sides of a
    fork, so each worker opens its own.
    """
    one_thread_per_process()
    engine = make_engine(settings)
    try:
        follower, matcher = _load(settings, engine)
    finally:
        engine.dispose()
    one_thread_per_process()  # torch, if the load imported it
    gc.collect()  # garbage (an engine the load dropped, say) is not carried into every worker
    gc.freeze()
    return Preloaded(matcher, follower.seq)


def _save(settings: Settings, follower: ChangeFollower, matcher: Matcher) -> None:
    """Incremental index updates live in memory; saving them lets the next start skip a rebuild."""
    try:
        follower.catch_up(matcher)  # the saved pools then match the database, so they are reused
    except SQLAlchemyError as error:
        log.warning("could not catch up before saving the indexes (%s); the next start rebuilds them",
                    type(error).__name__)
    with FileLock(settings.data_dir / INDEX_LOCK):  # workers replace the same pool directories
        matcher.flush()


def create_app(settings: Settings | None = None, *, freeze_loaded: bool = False) -> FastAPI:
    """The app; with ``settings`` given they replace the environment's. ``freeze_loaded`` (serving processes)
    leaves everything loaded at start-up out of the cyclic garbage collector's passes.

    Kept on ``app.state``, never as a dependency override: FastAPI rebuilds every route's dependency tree
    on every request while any override is installed (measured by scripts/bench_api.py).
    """
    install_log_scrubbing()  # uvicorn logs a failed request's traceback: no phone or ID number may be in it
    app = FastAPI(title="matcher", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Talent–job matching for Henan's talent programmes. Send your API key in "
                              "`X-API-Key` (or as a bearer token). Errors are RFC 9457 problem details.")
    app.state.settings, app.state.freeze_loaded, app.state.preloaded = settings, freeze_loaded, None
    app.state.metrics = RequestMetrics()
    upload_limit = int((settings or get_settings()).max_upload_mb * MEGABYTE)
    app.add_middleware(BodyLimitMiddleware, upload_bytes=upload_limit, upload_prefix=API_PREFIX + imports.router.prefix)
    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics, prefix=API_PREFIX)
    # A request is matched against the routes in order, tens of microseconds for each included router passed
    # over: the API comes before the pages, the matching routes first.
    for router in (matching.router, talents.router, jobs.router, health.router, employers.router, workstations.router,
                   events.router, catalogs.router, users.router, imports.router, bulk_matches.router):
        app.include_router(router, prefix=API_PREFIX)
    install_web(app)  # problem details under /api/, error pages elsewhere; /docs from packaged files
    return app


def create_preloaded_app(settings: Settings, preloaded: Preloaded) -> FastAPI:
    """A forked worker's app: the lifespan takes the Matcher loaded before the fork instead of loading one."""
    app = create_app(settings, freeze_loaded=True)
    app.state.preloaded = preloaded
    return app


def __getattr__(name: str) -> FastAPI:
    """``uvicorn api.app:app`` works too, building the app from the environment only when asked for."""
    if name == "app":
        return create_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
