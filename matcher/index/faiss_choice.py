"""Which FAISS index a pool of vectors gets: the factory string by pool size, IVF list counts, search tuning."""
from __future__ import annotations

import math
from dataclasses import dataclass

# Exact search while a scan stays cheap; up to FULL_VECTORS_MAX, IVF lists keeping full vectors, whose
# top-10 lists equal exact search's where SQ8's rounded scores reorder them; IVF+SQ8 beyond, which meets the
# 1M targets (recall >= 0.95, p99 <= 20 ms, encode + build <= 10 min, <= 2 GB) where HNSW's build does not.
# "HNSW32,Flat" via settings.index_factory buys recall and exact selective filters for a longer build and more
# memory. Recall, latency, memory and build time of each: measured by scripts/bench_retrieval.py.
EXACT_MAX_VECTORS = 10_000
DEFAULT_ANN_FACTORY = "IVF{nlist},SQ8"
MID_ANN_FACTORY = "IVF{nlist},Flat"
FULL_VECTORS_MAX = 50_000
MIN_POINTS_PER_LIST = 39


@dataclass(frozen=True)
class IndexTuning:
    """Knobs of approximate indexes; recorded in the manifest so a loaded index searches the same way."""

    ef_construction: int = 100
    """HNSW build beam; FAISS's default (40) loses recall on clustered, embedding-like data (measured by
    scripts/bench_retrieval.py)."""
    ef_search: int = 128
    """HNSW beam width for unfiltered search; filtered search widens it by 1 / allowed fraction."""
    max_ef_search: int = 2048
    nprobe: int = 64
    """IVF lists probed for unfiltered search; filtered search widens it the same way."""
    exact_filter_limit: int = 50_000
    """A filtered HNSW search allowing at most this many vectors scans them exactly instead."""
    compact_fraction: float | None = 0.2
    """Rebuild without tombstones once they exceed this fraction of positions; None = only on demand."""


def nlist_for(n: int) -> int:
    """IVF list count for ``n`` vectors: the power of two nearest 4·sqrt(n), but no more lists than leave
    MIN_POINTS_PER_LIST vectors to train each (FAISS's own floor), and at least 16."""
    nearest = 2 ** round(math.log2(4 * math.sqrt(max(n, 1))))
    trainable = 2 ** math.floor(math.log2(max(n // MIN_POINTS_PER_LIST, 1)))
    return max(16, min(nearest, trainable))


def choose_factory(n: int, factory: str | None = None) -> str:
    """The FAISS factory string for ``n`` vectors: ``factory`` if given (``{nlist}`` filled in), else exact
    ``Flat`` up to EXACT_MAX_VECTORS, MID_ANN_FACTORY up to FULL_VECTORS_MAX, DEFAULT_ANN_FACTORY beyond."""
    if factory is None:
        if n <= EXACT_MAX_VECTORS:
            factory = "Flat"
        else:
            factory = MID_ANN_FACTORY if n <= FULL_VECTORS_MAX else DEFAULT_ANN_FACTORY
    return factory.format(nlist=nlist_for(n))
