"""Training rankers from the admin page: one training at a time, in a background thread, its state on disk.

The same core as ``matcher train`` (matcher.training.train_direction: train, evaluate on held-out queries,
save, activate only if better; then the change-log entry that makes every serving process reload). Each
training is ``<data_dir>/training/<id>.json``, replaced atomically at every step, so any worker process can
show its progress. ``training.lock`` (flock) is held while one runs: a second start anywhere is refused, and
a state still "running" whose lock is free was cut short by a restart.
"""
from __future__ import annotations

import logging
import re
import threading
import traceback
import uuid
from contextlib import nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import Engine

from matcher.fieldeval.gate import field_gate
from matcher.files import write_text_atomic
from matcher.follower import ChangeFollower
from matcher.locks import FileLock
from matcher.pipeline import Matcher
from matcher.rank.registry import RankerRegistry
from matcher.store.accounts import Account
from matcher.store.frames import load_events
from matcher.training import announce_activations, train_direction
from matcher.utc import UtcDateTime

log = logging.getLogger(__name__)

LOCK_FILE = "training.lock"
TRAINING_ID = re.compile(r"[0-9a-f]{32}")
INTERRUPTED = "训练被中断（服务重启或进程退出），没有保存新模型；请重新开始训练"
NO_EVENTS = ("还没有记录任何面试、录用等结果，无法训练；请先导入结果记录（matcher import events 文件）"
             "或通过 /api/v1/events 提交")


class TrainingBusy(Exception):
    """Another training is running (in this process or another)."""


class TrainingState(BaseModel):
    """One training as its file keeps it; ``versions`` and ``activated`` by direction once trained."""

    id: str
    status: Literal["running", "done", "failed"]
    directions: list[str]
    seed: int
    created_by: str
    created_at: UtcDateTime
    finished_at: UtcDateTime | None = None
    done: int = 0
    """Steps finished: reading the events, then one per direction."""
    previous: dict[str, str | None] = {}
    """The version active per direction when the training started (None: the rule score)."""
    versions: dict[str, str] = {}
    promotions: dict[str, dict] = {}
    """RankerRegistry.promote_if_better's answer per direction: both rankers' NDCG@10 on the same held-out
    queries, and whether the new one was activated."""
    error: str | None = None

    @property
    def total(self) -> int:
        return 1 + len(self.directions)


class RankerTraining:
    """Starts trainings in a thread of this process; reads any process's trainings from their files."""

    def __init__(self, root: Path, ranker_dir: Path, matcher: Matcher, engine: Engine,
                 follower: ChangeFollower) -> None:
        self.root, self.ranker_dir, self.matcher = root, ranker_dir, matcher
        self.engine, self.follower = engine, follower
        self._lock = threading.Lock()

    def start(self, account: Account, directions: list[str], seed: int) -> TrainingState:
        """Begin a training now; TrainingBusy when one is running anywhere."""
        lock = FileLock(self.root / LOCK_FILE)
        if not lock.acquire(blocking=False):
            raise TrainingBusy
        active = self.matcher.status()["rankers"]
        state = TrainingState(id=uuid.uuid4().hex, status="running", directions=directions, seed=seed,
                              created_by=account.name, created_at=datetime.now(UTC),
                              previous={d: active.get(d) for d in directions})
        self._write(state)
        threading.Thread(target=self._run, args=(state.id, lock), name="ranker-training", daemon=True).start()
        return state

    def get(self, training_id: str) -> TrainingState | None:
        state = self._read(training_id) if TRAINING_ID.fullmatch(training_id) else None
        if state is not None and state.status == "running" and self._lock_is_free():
            state = self._read(training_id)  # the runner may have finished between the read and the probe
            if state is not None and state.status == "running":
                return state.model_copy(update={"status": "failed", "error": INTERRUPTED})
        return state

    def _lock_is_free(self) -> bool:
        # The runner writes its final state before releasing the lock: a free lock under "running" means it died.
        probe = FileLock(self.root / LOCK_FILE)
        if not probe.acquire(blocking=False):
            return False
        probe.release()
        return True

    def _run(self, training_id: str, lock: FileLock) -> None:
        try:
            self._train(training_id)
        except ValueError as refused:  # e.g. no outcome refers to talents and jobs that exist: say so
            self._update(training_id, status="failed", error=str(refused), finished_at=datetime.now(UTC))
        except Exception as error:  # the training fails, the server goes on
            log.error("ranker training %s failed: %s\n%s", training_id, type(error).__name__,
                      "".join(traceback.format_tb(error.__traceback__)))
            self._update(training_id, status="failed", finished_at=datetime.now(UTC),
                         error=f"训练出错（{type(error).__name__}），已记录到日志")
        finally:
            lock.release()

    def _train(self, training_id: str) -> None:
        state = self._read(training_id)
        events = load_events(self.engine)
        if events.empty:
            self._update(training_id, status="failed", error=NO_EVENTS, finished_at=datetime.now(UTC))
            return
        self._update(training_id, done=1)
        settings = self.matcher.settings
        registry, reports = RankerRegistry(self.ranker_dir, native=settings.native if settings else True), []
        gate = field_gate(settings) if settings is not None else nullcontext()
        with gate as check:
            for step, direction in enumerate(state.directions, start=2):
                report = train_direction(self.matcher, registry, events, direction, seed=state.seed, gate=check)
                reports.append(report)
                current = self._read(training_id)
                self._update(training_id, done=step, versions={**current.versions, direction: report["version"]},
                             promotions={**current.promotions, direction: report["promotion"]})
        if announce_activations(self.engine, reports):
            self.follower.catch_up(self.matcher)  # this worker now; the others before their next match
        self._update(training_id, status="done", finished_at=datetime.now(UTC))

    def _read(self, training_id: str) -> TrainingState | None:
        try:
            return TrainingState.model_validate_json((self.root / f"{training_id}.json").read_bytes())
        except (OSError, ValueError):
            return None

    def _write(self, state: TrainingState) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        write_text_atomic(self.root / f"{state.id}.json", state.model_dump_json(indent=1))

    def _update(self, training_id: str, **changes: object) -> None:
        with self._lock:
            state = self._read(training_id)
            if state is not None:
                self._write(state.model_copy(update=changes))
