"""Bulk engines: what ranks the batches of a bulk run. The run loop (checkpoint, parts, outputs) is shared.

An engine turns pending batches of talent ids into ``Matcher.recommend_table`` tables, yielding each
batch as it completes (in any order); ``run_bulk`` writes and checkpoints them. The local engine ranks
in this process; the Spark engine (``matcher.bulk.spark``) ranks talent partitions on executors.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

import pandas as pd

from matcher.embed.slots import Allowed
from matcher.pipeline import Matcher

Batch = tuple[int, list[str]]
"""(batch number, talent ids of the batch in pool order)."""


class BatchEngine(Protocol):
    name: str

    def rank(self, batches: Sequence[Batch], top: int, depth: int | None,
             jobs: Allowed) -> Iterator[tuple[int, pd.DataFrame]]:
        """(batch number, table with columns RECOMMEND_TABLE_COLUMNS) for every batch, each exactly once."""
        ...


class LocalEngine:
    """Batches ranked one after another through the Matcher in this process."""

    name = "local"

    def __init__(self, matcher: Matcher):
        self.matcher = matcher

    def rank(self, batches: Sequence[Batch], top: int, depth: int | None,
             jobs: Allowed) -> Iterator[tuple[int, pd.DataFrame]]:
        for number, ids in batches:
            yield number, self.matcher.recommend_table(ids, top, depth, jobs)
