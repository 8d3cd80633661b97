"""Native thread pools in processes that run one per core (API workers, bulk workers)."""
from __future__ import annotations

import sys

import faiss


def one_thread_per_process() -> None:
    """FAISS (OpenMP) and torch start a thread per core. Where one process per core already uses every core,
    more threads only compete, and libgomp's idle threads spin after each parallel region: an API worker
    answering one recommendation at a time had a FAISS thread spinning beside it, CPU every request paid for
    (measured by scripts/bench_api.py). Torch is set only where it is already loaded (processes that encode).

    libgomp keeps the FAISS setting per thread: call this in the thread that searches (``matcher serve``
    also sets OMP_NUM_THREADS=1 for its worker processes, which covers every thread of theirs)."""
    faiss.omp_set_num_threads(1)
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(1)
