"""Native thread pools in processes that run one per core (API workers, bulk workers)."""
from __future__ import annotations

import os
import sys

import faiss


def one_thread_per_process() -> None:
    """FAISS (OpenMP) and torch start a thread per core. Where one process per core already uses every core,
    more threads only compete, and libgomp's idle threads spin after each parallel region: an API worker
    answering one recommendation at a time had a FAISS thread spinning at 60% of a core beside it (17 ms of
    CPU a request). Torch is set only where it is already loaded (processes that encode).

    libgomp keeps the FAISS setting per thread: call this in the thread that searches. For every thread of
    processes started later, see :func:`one_thread_in_children`."""
    faiss.omp_set_num_threads(1)
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(1)


def one_thread_in_children() -> None:
    """Processes started from now on get one OpenMP thread in every thread (libgomp reads OMP_NUM_THREADS
    when it loads); a value already set is kept."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
