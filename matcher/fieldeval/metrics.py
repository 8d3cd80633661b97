"""Known-item metrics for the field evaluation: where the first fitting item lands, per query and averaged.

A query's outcome is the 1-based rank of its best-placed relevant item in one ranking, or None when the
ranking does not contain any relevant item (counted as a miss by every metric).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

MRR_DEPTH = 10


def first_relevant_rank(ranked_ids: Sequence[str], relevant: Iterable[str]) -> int | None:
    """1-based position of the first id of ``relevant`` in ``ranked_ids`` (None: none of them is there)."""
    wanted = set(relevant)
    return next((position for position, item in enumerate(ranked_ids, start=1) if item in wanted), None)


def best_channel_rank(channel_ranks: Iterable[int | None]) -> int | None:
    """The smallest of the relevant items' ranks in one channel (None where the channel missed them all)."""
    found = [int(r) for r in channel_ranks if r is not None]
    return min(found) if found else None


def hit_at(rank: int | None, k: int) -> float:
    return 1.0 if rank is not None and rank <= k else 0.0


def reciprocal_rank(rank: int | None, depth: int = MRR_DEPTH) -> float:
    """1/rank within ``depth``, else 0 (MRR@depth's per-query term)."""
    return 1.0 / rank if rank is not None and rank <= depth else 0.0


def summarise(ranks: Sequence[int | None]) -> dict[str, float | int]:
    """top1, top3 and mrr@10 averaged over queries, plus the query count; zeros for no queries."""
    n = len(ranks)
    if not n:
        return {"top1": 0.0, "top3": 0.0, "mrr10": 0.0, "queries": 0}
    return {"top1": sum(hit_at(r, 1) for r in ranks) / n, "top3": sum(hit_at(r, 3) for r in ranks) / n,
            "mrr10": sum(reciprocal_rank(r) for r in ranks) / n, "queries": n}


def summarise_channels(outcomes: Sequence[Mapping[str, int | None]], channels: Sequence[str]) -> dict[str, dict]:
    """``summarise`` per channel over query outcomes (each a channel → rank mapping)."""
    return {channel: summarise([outcome.get(channel) for outcome in outcomes]) for channel in channels}
