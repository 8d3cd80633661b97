"""Worker processes forked from one process that loaded the Matcher once (``matcher serve --workers N``).

Spawned workers each load their own Matcher: the pool's frames, profile columns and id dicts are private
Python objects in every worker, so memory grows with the number of workers. Here the supervisor loads once
and forks: until a worker writes to a page, the page is the supervisor's, shared copy-on-write by every
worker (gunicorn's ``--preload``; the loaded objects are frozen out of the cyclic garbage collector first,
``gc.freeze``, so its passes do not write to every object's header and copy the pages).

:class:`PreforkSupervisor` knows nothing of HTTP: it forks ``serve_worker`` (which runs the server and returns
an exit status) N times, replaces a worker that dies, and on SIGINT/SIGTERM passes SIGTERM on to every worker
and waits for them (each shuts down as a spawned worker did, saving its indexes). It starts no thread, ever:
a Python thread running at the fork could hold a lock (logging's, the GIL-released I/O in a library) that
stays held in the worker forever. Native threads differ by library: Arrow's thread pool (parquet frames) and
its jemalloc's background thread are re-created in the child by their own fork handlers, while libgomp's pool
(FAISS, LightGBM) has none, so the supervisor must never run a parallel region with more than one thread
(``matcher serve`` sets OMP_NUM_THREADS=1 before libgomp loads; ``api.app.preload`` loads single-threaded).
"""
from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

logger = logging.getLogger(__name__)

STARTUP_FAILURE = 3
"""The exit status of a worker that could not start serving (uvicorn's): every fork would fail the same way."""
POLL_SECONDS = 0.5
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def thread_count() -> int:
    """Threads of this process, native ones included (a Python thread list misses libgomp's and Rust's)."""
    return len(os.listdir("/proc/self/task")) if Path("/proc/self/task").is_dir() else 1


class PreforkSupervisor:
    """Forks ``workers`` processes running ``serve_worker`` and keeps that many alive until told to stop.

    A worker that dies unexpectedly (killed, out of memory) is replaced by a new fork of this process, whose
    Matcher is as loaded at start, not as the dead worker left it. That is correct because a worker's Matcher
    never is the truth: the database is. The new worker starts from the change-log position read before the
    load, and applies every entry after it before its first matching request, as every worker does before
    every matching request; applying an entry twice changes nothing (matcher.follower). A pruned log is
    noticed there too, and then every record is re-read.
    """

    def __init__(self, workers: int, serve_worker: Callable[[], int]) -> None:
        self.workers, self.serve_worker = workers, serve_worker
        self.pids: set[int] = set()
        self._stop_signal: int | None = None
        self.replaced = 0

    def run(self) -> int:
        """Fork the workers, supervise until SIGINT/SIGTERM (or a worker fails to start); the exit status."""
        previous = {sig: signal.signal(sig, self._on_stop_signal) for sig in STOP_SIGNALS}
        try:
            if (threads := threading.active_count()) > 1:
                logger.warning("forking API workers from a process with %d Python threads; only the forking "
                               "thread exists in a worker", threads)
            logger.info("forking %d API workers (%d native threads here)", self.workers, thread_count())
            for _ in range(self.workers):
                self._fork()
            status = self._supervise()
            self._stop_all()
            return status
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _on_stop_signal(self, sig: int, frame: object) -> None:
        self._stop_signal = sig

    def _fork(self) -> int:
        # Stop signals are held over the fork: one reaching a worker before it resets its handlers would run the
        # supervisor's handler there (setting a flag nobody reads) and be lost.
        signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        pid = os.fork()
        if pid == 0:  # the worker: never returns into the supervisor's code
            status = 1
            try:
                for sig in STOP_SIGNALS:
                    signal.signal(sig, signal.SIG_DFL)  # until the server installs its own
                signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
                status = self.serve_worker()
            except SystemExit as exit_:
                status = exit_.code if isinstance(exit_.code, int) else 1
            except BaseException:
                logger.exception("API worker %d failed", os.getpid())
            finally:
                logging.shutdown()  # flush the log handlers: os._exit skips every exit handler
                os._exit(status)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
        self.pids.add(pid)
        logger.info("started API worker %d", pid)
        return pid

    def _supervise(self) -> int:
        """Wait for a stop signal, replacing dead workers; 0, or 1 when a worker could not start."""
        while self._stop_signal is None:
            for pid, status in self._reap():
                code = os.waitstatus_to_exitcode(status)
                if code == STARTUP_FAILURE:
                    logger.error("API worker %d could not start serving; stopping", pid)
                    return 1
                how = f"killed by signal {-code}" if code < 0 else f"exited with status {code}"
                logger.warning("API worker %d %s; forking a replacement from the loaded state", pid, how)
                self.replaced += 1
                self._fork()
            time.sleep(POLL_SECONDS)
        logger.info("received %s; stopping %d API workers", signal.Signals(self._stop_signal).name, len(self.pids))
        return 0

    def _reap(self) -> list[tuple[int, int]]:
        """Workers that ended since the last call, with their wait statuses."""
        ended = []
        while self.pids:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            if pid in self.pids:
                self.pids.discard(pid)
                ended.append((pid, status))
        return ended

    def _stop_all(self) -> None:
        """SIGTERM to every worker, then wait for each (each saves its indexes before it exits)."""
        for pid in self.pids:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for pid in sorted(self.pids):
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
        self.pids.clear()
