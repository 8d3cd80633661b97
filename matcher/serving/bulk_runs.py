"""Bulk matching runs for the API's workers: a one-at-a-time queue, with each run's state on disk.

Each run lives in ``<data_dir>/bulk/<id>/``: run_bulk's outputs and checkpoint, the pool (``talent_ids.txt``)
and ``status.json`` (replaced atomically at every change), so a restarted server still lists finished runs
and resumes unfinished ones from their checkpoint. With several API worker processes, every worker queues
runs and answers from the status files, and exactly one executes them: the holder of a lock on
``<data_dir>/bulk/executor.lock``, which picks up runs queued by the others (and takes over the queue,
interrupted runs included, if its holder dies).
"""
from __future__ import annotations

import itertools
import logging
import math
import os
import re
import threading
import traceback
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from matcher.bulk import BulkParams, BulkResult, CheckpointMismatch, run_bulk
from matcher.bulk.engine import BatchEngine, choose_engine
from matcher.bulk.interview_event import ScheduleLimits
from matcher.bulk.timetable import EventPlan
from matcher.files import write_text_atomic
from matcher.follower import ChangeFollower
from matcher.locks import FileLock
from matcher.pipeline import Matcher
from matcher.serving.run_state import BulkMatchParameters, BulkRunState, Progress
from matcher.store.accounts import Account
from matcher.store.audit import record_export
from matcher.store.frames import load_talents

log = logging.getLogger(__name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV, PARQUET, PDF = "text/csv; charset=utf-8", "application/vnd.apache.parquet", "application/pdf"
OUTPUT_FILES = {"matches.xlsx": XLSX, "talent_top.csv": CSV, "job_shortlists.csv": CSV, "schedule.csv": CSV,
                "unplaced.csv": CSV, "summary.json": "application/json", "report.html": "text/html; charset=utf-8",
                "report.pdf": PDF, "booth_sheets.pdf": PDF, "interview_slips.pdf": PDF,
                "talent_top.parquet": PARQUET, "job_shortlists.parquet": PARQUET, "schedule.parquet": PARQUET}
"""The files a run may be asked for, with their media types; nothing else in its directory is served."""
WORKBOOK = "matches.xlsx"
CONTACT_FILES = frozenset({WORKBOOK, "booth_sheets.pdf", "interview_slips.pdf"})
"""The outputs that carry names (and, in the workbook, phones) when the run was made with contacts."""
STATUS_FILE, POOL_FILE = "status.json", "talent_ids.txt"
EXECUTOR_LOCK = "executor.lock"
POLL_SECONDS = 1.0
"""How often the executor looks for runs other workers queued (and the others check it is still alive)."""
RUN_ID = re.compile(r"[0-9a-f]{32}")
CONTACT_ROLES = frozenset({"staff", "admin"})
"""Whose workbooks carry 姓名 and 联系电话: staff (whose pool is their own workstation) and admins."""


class _Stopping(Exception):
    """Raised between batches when the server shuts down; the run stays queued and resumes at the next start."""


class BulkRuns:
    """The app's bulk runs, their state in each ``status.json``; one run executes at a time, in one process."""

    def __init__(self, root: Path, matcher: Matcher, engine: Engine, sessions: Callable[[], Session],
                 workers: int | None = None, *, follower: ChangeFollower | None = None,
                 poll_seconds: float = POLL_SECONDS) -> None:
        """workers: ranking processes (``choose_engine``); None lets it decide by cores and batches.
        follower: brings the Matcher up to date with other processes' writes before each run."""
        self.root, self.matcher, self.engine, self.sessions, self.workers = root, matcher, engine, sessions, workers
        self.follower, self.poll_seconds = follower, poll_seconds
        self._lock = threading.Lock()
        self._submitted: set[str] = set()
        """Runs handed to the executor and not finished: never handed over twice."""
        self._stopping = threading.Event()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bulk-run")
        self._executor_lock = FileLock(root / EXECUTOR_LOCK)
        self._poller: threading.Thread | None = None

    @property
    def executes(self) -> bool:
        """Whether this process executes the runs (it holds the executor lock)."""
        return self._executor_lock.held

    def open(self) -> None:
        """Become the executor if no other process is (then queue again, oldest first, the runs a shutdown or
        crash left unfinished), and start watching for runs queued by other processes."""
        self.root.mkdir(parents=True, exist_ok=True)
        for path in self.root.glob(f"*/{STATUS_FILE}"):
            if _read_state(path) is None:
                log.warning("skipping %s: not a readable bulk run status", path)
        self._take_over()
        self._poller = threading.Thread(target=self._poll, name="bulk-poll", daemon=True)
        self._poller.start()

    def close(self) -> None:
        """Stop the running run after its current batch and drop the queue; both resume at the next open."""
        self._stopping.set()
        if self._poller is not None:
            self._poller.join()
        self._executor.shutdown(wait=True, cancel_futures=True)
        self._executor_lock.release()

    def submit(self, account: Account, parameters: BulkMatchParameters, talent_ids: Sequence[str]) -> BulkRunState:
        state = BulkRunState(id=uuid.uuid4().hex, status="queued", owner_id=account.id, created_by=account.name,
                             role=account.role, created_at=datetime.now(UTC), parameters=parameters)
        self.run_dir(state.id).mkdir(parents=True)
        write_text_atomic(self.run_dir(state.id) / POOL_FILE, "".join(f"{t}\n" for t in talent_ids))
        with self._lock:
            write_text_atomic(self.run_dir(state.id) / STATUS_FILE, state.model_dump_json(indent=1))
        if self.executes:
            self._enqueue(state.id)
        return state  # another process executes it: its poller finds the status file

    def visible(self, account: Account) -> list[BulkRunState]:
        """The account's own runs (an admin's: all), newest first."""
        mine = [s for s in self._states() if account.role == "admin" or s.owner_id == account.id]
        return sorted(mine, key=lambda s: s.created_at, reverse=True)

    def get(self, run_id: str, account: Account) -> BulkRunState | None:
        """The run if the account created it (or is an admin); None for another's run and a missing one alike."""
        state = self._state(run_id) if RUN_ID.fullmatch(run_id) else None
        return state if state is not None and (account.role == "admin" or state.owner_id == account.id) else None

    def run_dir(self, run_id: str) -> Path:
        return self.root / run_id

    def pool(self, run_id: str) -> list[str]:
        return (self.run_dir(run_id) / POOL_FILE).read_text(encoding="utf-8").splitlines()

    def _states(self) -> list[BulkRunState]:
        return [s for s in map(_read_state, sorted(self.root.glob(f"*/{STATUS_FILE}"))) if s is not None]

    def _state(self, run_id: str) -> BulkRunState | None:
        return _read_state(self.run_dir(run_id) / STATUS_FILE)

    # -- executing (the process holding the executor lock) ---------------------------------------
    def _take_over(self) -> None:
        """Take the executor lock if free; the new executor queues every unfinished run, oldest first.

        A run still 'running' was interrupted: its executor stopped or died (the lock was free)."""
        if not self._executor_lock.acquire(blocking=False):
            return
        log.info("this process executes the bulk runs (pid %d)", os.getpid())
        for state in sorted(self._states(), key=lambda s: s.created_at):
            if state.status in ("queued", "running"):
                if state.status == "running":
                    log.info("bulk run %s was interrupted while running; resuming it", state.id)
                    self._update(state.id, status="queued")
                self._enqueue(state.id)

    def _poll(self) -> None:
        while not self._stopping.wait(self.poll_seconds):
            try:
                if not self.executes:
                    self._take_over()
                    continue
                for state in sorted(self._states(), key=lambda s: s.created_at):
                    if state.status == "queued":
                        self._enqueue(state.id)
            except OSError as error:  # a status file mid-replace or a full disk: try again next tick
                log.warning("bulk run queue scan failed: %s", type(error).__name__)

    def _enqueue(self, run_id: str) -> None:
        """Hand a queued run to the executor once (re-read under the lock: it may have just finished)."""
        with self._lock:
            state = self._state(run_id)
            if self._stopping.is_set() or run_id in self._submitted or state is None or state.status != "queued":
                return
            self._submitted.add(run_id)
        self._executor.submit(self._execute, run_id)

    def _execute(self, run_id: str) -> None:
        """Run one queued run to done or failed (or back to queued when the server stops meanwhile)."""
        try:
            if not self._stopping.is_set():
                self._execute_now(run_id)
        finally:
            with self._lock:
                self._submitted.discard(run_id)

    def _execute_now(self, run_id: str) -> None:
        try:
            summary = self._produce(run_id)
        except _Stopping:
            self._update(run_id, status="queued")
            log.info("bulk run %s stopped by the shutdown; it resumes at the next start", run_id)
        except KeyError as error:  # a talent or job of the run deleted since it was queued
            detail = error.args[0] if error.args else ""
            self._finish(run_id, "failed", error=f"a talent or job of the run is no longer loaded: {detail}")
        except Exception as error:  # the run fails, the server goes on
            # Type and traceback only: a database error's message carries the row's values.
            log.error("bulk run %s failed: %s\n%s", run_id, type(error).__name__,
                      "".join(traceback.format_tb(error.__traceback__)))
            self._finish(run_id, "failed", error=f"an internal error ({type(error).__name__}) stopped the run; "
                                                 "it has been logged")
        else:
            self._finish(run_id, "done", summary=summary)

    def _produce(self, run_id: str) -> dict:
        """The outputs (a checkpoint of the same pool is resumed, a stale one restarted) and the export's audit."""
        if self.follower is not None:  # writes answered by other workers since this one last matched
            self.follower.catch_up(self.matcher)
        ids, queued = self.pool(run_id), self._state(run_id)
        if queued is None:
            raise FileNotFoundError(f"bulk run {run_id} has no readable {STATUS_FILE}")
        params = _bulk_params(queued.parameters)
        batches = math.ceil(len(ids) / params.batch)
        state = self._update(run_id, status="running", started_at=datetime.now(UTC), error=None,
                             progress=Progress(done=0, total=batches))
        contacts = self._contacts(ids, state.parameters.workstation_id) if state.parameters.contacts else None
        engine = choose_engine(self.matcher, self.workers, batches)
        try:
            result = self._run(run_id, ids, params, engine, contacts, restart=False)
        except CheckpointMismatch:
            log.info("bulk run %s: the jobs changed since it was interrupted; starting it over", run_id)
            result = self._run(run_id, ids, params, engine, contacts, restart=True)
        if contacts is not None:
            with self.sessions() as session:
                audit_workbook(session, run_id, ids, actor=state.created_by, role=state.role,
                               via="POST /bulk-matches", file=", ".join(sorted(CONTACT_FILES)))
                session.commit()
        return result.summary

    def _run(self, run_id: str, ids: list[str], params: BulkParams, engine: BatchEngine,
             contacts: pd.DataFrame | None, *, restart: bool) -> BulkResult:
        # Progress counted here: run_bulk's ``done`` stays 0 while its (tqdm) progress bar is disabled.
        calls = itertools.count(1)

        def on_progress(_done: int, total: int) -> None:
            self._update(run_id, progress=Progress(done=next(calls), total=total))

        return run_bulk(self.matcher, ids, self.run_dir(run_id), params, engine=engine, contacts=contacts,
                        restart=restart, on_batch=self._stop_if_asked, on_progress=on_progress)

    def _stop_if_asked(self, _batch: int) -> None:
        if self._stopping.is_set():
            raise _Stopping

    def _contacts(self, ids: list[str], workstation_id: str | None) -> pd.DataFrame:
        """姓名 and 联系电话 of the pool, indexed by talent id; the ID number is dropped as soon as it is read."""
        frame = load_talents(self.engine, workstation_id=workstation_id, include_personal=True)
        return frame.set_index("talent_id")[["name", "phone"]].reindex(ids)

    def _finish(self, run_id: str, outcome: str, **changes: object) -> None:
        self._update(run_id, status=outcome, finished_at=datetime.now(UTC), **changes)

    def _update(self, run_id: str, **changes: object) -> BulkRunState:
        with self._lock:
            state = self._state(run_id)
            if state is None:
                raise FileNotFoundError(f"bulk run {run_id} has no readable {STATUS_FILE}")
            state = state.model_copy(update=changes)
            write_text_atomic(self.run_dir(run_id) / STATUS_FILE, state.model_dump_json(indent=1))
        return state


def audit_workbook(session: Session, run_id: str, talent_ids: Sequence[str], *, actor: str, role: str,
                   via: str, file: str = WORKBOOK) -> None:
    """A file of CONTACT_FILES written with contacts is an export of the whole pool, when a run writes it and at
    every download."""
    record_export(session, actor=actor, role=role, subject_kind="talent", subject_ids=list(talent_ids),
                  detail={"via": via, "bulk_match": run_id, "file": file})


def _bulk_params(parameters: BulkMatchParameters) -> BulkParams:
    limits = parameters.interviews
    return BulkParams(top=parameters.top, shortlist=parameters.shortlist, depth=parameters.depth,
                      pool=parameters.pool, jobs=None if parameters.job_ids is None else tuple(parameters.job_ids),
                      interviews=ScheduleLimits(**limits.model_dump()) if limits else None,
                      formats=tuple(parameters.formats),
                      event=EventPlan(**parameters.event.model_dump()) if parameters.event else None)


def _read_state(path: Path) -> BulkRunState | None:
    """A run's state, or None when the file is missing or not a status (skipped, never fatal)."""
    try:
        return BulkRunState.model_validate_json(path.read_bytes())
    except (OSError, ValueError):
        return None


