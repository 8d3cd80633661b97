"""Per-job shortlists kept incrementally: one bounded min-heap per job, memory O(jobs × size)."""
from __future__ import annotations

import heapq
from collections.abc import Mapping


class Shortlists:
    """The ``size`` best talents per job by score; ties go to the talent earlier in the pool.

    Heap entries are ``(score, -pool_position, talent_id, reasons)``: the heap top is the weakest kept
    entry (lowest score, then latest in the pool), so a new row replaces it only when strictly better.
    """

    def __init__(self, size: int, positions: Mapping[str, int]):
        self.size, self.positions = size, positions
        self.heaps: dict[str, list[tuple[float, int, str, str]]] = {}

    def offer(self, job_id: str, talent_id: str, score: float, reasons: str) -> None:
        entry = (score, -self.positions[talent_id], talent_id, reasons)
        heap = self.heaps.setdefault(job_id, [])
        if len(heap) < self.size:
            heapq.heappush(heap, entry)
        elif entry[:2] > heap[0][:2]:
            heapq.heapreplace(heap, entry)

    def ranked(self, job_id: str) -> list[tuple[str, float, str]]:
        """(talent_id, score, reasons) best first."""
        ordered = sorted(self.heaps.get(job_id, []), key=lambda e: (-e[0], -e[1]))
        return [(talent_id, score, reasons) for score, _, talent_id, reasons in ordered]

    def rows(self) -> list[dict]:
        """job_shortlists rows in job id order: job_id, rank, talent_id, score, reasons."""
        return [{"job_id": job_id, "rank": rank, "talent_id": talent_id, "score": score, "reasons": reasons}
                for job_id in sorted(self.heaps)
                for rank, (talent_id, score, reasons) in enumerate(self.ranked(job_id), start=1)]
