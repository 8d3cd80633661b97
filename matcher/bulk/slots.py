"""Interview times by edge colouring: every chosen interview a (slot, desk), no one in two places at once.

The chosen interviews form a bipartite multigraph: talents on one side, booth *desks* on the other (a booth
with k interviewers in parallel is k desks; a talent may have two interviews at one booth, hence parallel
edges). A slot is a colour. A proper edge colouring, no two edges of one vertex sharing a colour, is exactly a
timetable in which no talent sits two interviews at once and no desk holds two. König's edge-colouring
theorem: a bipartite multigraph of maximum degree Δ has a proper colouring with Δ colours. So when each
talent has ≤ S interviews and each booth ≤ S × k (split evenly over its k desks, so ≤ S a desk), all of them
fit into the S slots of the event — none is ever dropped at this stage.

``assign_slots`` is the constructive proof of that theorem. Interviews are taken in priority order (urgent
positions first, then best match) and each gets the earliest slot free for both its talent and its desk
(first fit), so urgent and strong interviews sit early. When no slot is free for both (possible with first
fit), take a slot a free at the talent and b free at the desk; the path from the desk alternating a- and
b-edges cannot reach the talent (a talent is entered through an a-edge, and a is free at this one), so
swapping a and b along it frees a at the desk without touching the talent, and the interview takes a.
"""
from __future__ import annotations

import numpy as np


def assign_slots(talent: np.ndarray, booth: np.ndarray, order: np.ndarray, slots: int, desks: int
                 ) -> tuple[np.ndarray, np.ndarray]:
    """(slot, desk) per interview, both (m,) int64 counted from 0.

    talent, booth: (m,) int codes of each interview's talent and booth; order: (m,) the interviews by
    priority, most important first (it decides desks and who gets the early slots); slots: S ≥ 1 slots in the
    event; desks: k ≥ 1 interviewers per booth. Raises ValueError when a talent has more than S interviews or
    a booth more than S × k: no timetable could hold them.
    """
    talent, booth = np.asarray(talent, np.int64), np.asarray(booth, np.int64)
    _check_degrees(talent, booth, slots, desks)
    desk = _desks(booth, np.asarray(order, np.int64), desks)
    lane = booth * desks + desk
    colour = _colour(talent.tolist(), lane.tolist(), np.asarray(order).tolist(), slots)
    return np.asarray(colour, np.int64), desk


def _check_degrees(talent: np.ndarray, booth: np.ndarray, slots: int, desks: int) -> None:
    if slots < 1 or desks < 1:
        raise ValueError(f"an event needs at least one slot and one desk a booth, got {slots} and {desks}")
    if len(talent) and np.bincount(talent).max() > slots:
        raise ValueError(f"a talent has {np.bincount(talent).max()} interviews but the event has only {slots} slots")
    if len(booth) and np.bincount(booth).max() > slots * desks:
        raise ValueError(f"a booth has {np.bincount(booth).max()} interviews but holds only {slots} × {desks}")


def _desks(booth: np.ndarray, order: np.ndarray, desks: int) -> np.ndarray:
    """Each booth's interviews dealt round-robin over its desks in priority order: desk loads differ by ≤ 1,
    so no desk exceeds ceil(booth load / k) ≤ S."""
    desk = np.zeros(len(booth), np.int64)
    if len(booth):
        ranked = booth[order]
        sorted_at = np.argsort(ranked, kind="stable")  # priority order kept within each booth
        starts = np.searchsorted(ranked[sorted_at], ranked[sorted_at], side="left")
        rank_in_booth = np.arange(len(order)) - starts
        desk[order[sorted_at]] = rank_in_booth % desks
    return desk


def _colour(talent: list[int], lane: list[int], order: list[int], slots: int) -> list[int]:
    """A proper edge colouring with ``slots`` colours (see the module docstring); colour per edge."""
    colour = [-1] * len(talent)
    at_talent: dict[int, dict[int, int]] = {}  # vertex → {colour: edge}
    at_lane: dict[int, dict[int, int]] = {}
    for edge in order:
        mine, theirs = at_talent.setdefault(talent[edge], {}), at_lane.setdefault(lane[edge], {})
        free = next((c for c in range(slots) if c not in mine and c not in theirs), None)
        if free is None:
            free = next(c for c in range(slots) if c not in mine)
            other = next(c for c in range(slots) if c not in theirs)
            _swap_path(lane[edge], free, other, talent, lane, colour, at_talent, at_lane)
        colour[edge] = free
        mine[free] = theirs[free] = edge
    return colour


def _swap_path(start: int, a: int, b: int, talent: list[int], lane: list[int], colour: list[int],
               at_talent: dict[int, dict[int, int]], at_lane: dict[int, dict[int, int]]) -> None:
    """Swap colours a and b on the path leaving lane ``start`` by its a-edge, alternating a, b, a, …"""
    path, vertex, on_lane, want = [], start, True, a
    while True:
        edges = at_lane[vertex] if on_lane else at_talent[vertex]
        edge = edges.get(want)
        if edge is None:
            break
        path.append(edge)
        vertex, on_lane, want = (talent[edge] if on_lane else lane[edge]), not on_lane, (b if want == a else a)
    for edge in path:
        del at_talent[talent[edge]][colour[edge]], at_lane[lane[edge]][colour[edge]]
    for edge in path:
        colour[edge] = b if colour[edge] == a else a
        at_talent[talent[edge]][colour[edge]] = at_lane[lane[edge]][colour[edge]] = edge
