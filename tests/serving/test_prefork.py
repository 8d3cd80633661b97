"""The pre-fork supervisor on its own: a worker that cannot start stops it, and a stop signal ends every worker."""
from __future__ import annotations

import os
import signal
import time

from matcher.serving.prefork import STARTUP_FAILURE, PreforkSupervisor


def test_a_worker_that_cannot_start_stops_the_supervisor_instead_of_being_forked_again():
    supervisor = PreforkSupervisor(2, lambda: STARTUP_FAILURE)
    assert supervisor.run() == 1
    assert supervisor.replaced == 0 and supervisor.pids == set()


def test_a_stop_signal_ends_the_workers_and_a_dead_worker_is_replaced(tmp_path):
    started = tmp_path / "started"

    def serve_worker() -> int:  # a worker that records itself, then serves until SIGTERM (default: ends it)
        with started.open("a") as record:
            record.write(f"{os.getpid()}\n")
        while True:
            time.sleep(1)

    supervisor = PreforkSupervisor(2, serve_worker)
    supervisor_pid = os.getpid()
    if os.fork() == 0:  # a stand-in for the operator: kill one worker, then stop the supervisor
        try:
            deadline = time.monotonic() + 30
            while len(started.read_text().split()) < 2 if started.exists() else True:
                assert time.monotonic() < deadline
                time.sleep(0.05)
            os.kill(int(started.read_text().split()[0]), signal.SIGKILL)
            while len(started.read_text().split()) < 3 and time.monotonic() < deadline:
                time.sleep(0.05)
            os.kill(supervisor_pid, signal.SIGTERM)
        finally:
            os._exit(0)
    assert supervisor.run() == 0
    workers = [int(pid) for pid in started.read_text().split()]
    assert len(workers) == 3 and supervisor.replaced == 1 and supervisor.pids == set()
    for pid in workers:
        assert not os.path.exists(f"/proc/{pid}")  # reaped, not left as zombies
