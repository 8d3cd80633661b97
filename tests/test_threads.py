"""Processes that run one per core set FAISS and torch to one thread."""
from __future__ import annotations

import faiss
import torch

from matcher.threads import one_thread_per_process


def test_faiss_and_loaded_torch_get_one_thread():
    before = faiss.omp_get_max_threads(), torch.get_num_threads()
    try:
        faiss.omp_set_num_threads(2)
        torch.set_num_threads(2)
        one_thread_per_process()
        assert (faiss.omp_get_max_threads(), torch.get_num_threads()) == (1, 1)
    finally:
        faiss.omp_set_num_threads(before[0])
        torch.set_num_threads(before[1])
