"""A query's matches: its part of a ranked batch (matcher.rank.ranking) as Match objects, best first.

When no candidate passes the relevance floor, the result is empty and says what the nearest candidates lacked.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields

import numpy as np

from matcher.rank.ranking import RETRIEVAL_FIELDS, Ranked


@dataclass(frozen=True)
class Match:
    id: str
    rank: int
    score: float
    reasons: tuple[str, ...]
    contributions: tuple[dict, ...]
    retrieval: dict
    scorer: str

    def to_dict(self) -> dict:
        """Field by field, shallow: nothing in a Match is mutated after it is built, so no deep copy is needed."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


class Matches(list):
    """A query's matches (a list of Match, best first). ``missing``: when none passed the relevance floor, what
    the nearest candidates lacked, in plain Chinese (matcher.rank.relevance.shortfall); empty otherwise.
    ``fitting``: per match, whether it passes the floor (all True unless ranked without the floor)."""

    def __init__(self, matches: Iterable[Match] = (), missing: tuple[str, ...] = (),
                 fitting: tuple[bool, ...] | None = None) -> None:
        super().__init__(matches)
        self.missing = missing
        self.fitting = fitting if fitting is not None else (True,) * len(self)


def matches_by_query(ranked: Ranked, queries: int, scorer: str, floor: bool = True) -> list[Matches]:
    """Each of the batch's ``queries`` queries' Matches, in batch order (``ranked`` built with ``explain``);
    ``fitting`` is given only when ranked without the floor (``floor`` False)."""
    retrieval = {k: ranked.retrieval[k].tolist() for k in RETRIEVAL_FIELDS}
    columns = zip(ranked.candidate_id.tolist(), ranked.rank.tolist(), ranked.score.tolist(), ranked.reasons,
                  ranked.contributions, strict=True)
    built = [Match(id=str(i), rank=rank, score=round(score, 6), reasons=reasons, contributions=tuple(contributions),
                   retrieval={k: _plain(k, values[n]) for k, values in retrieval.items()}, scorer=scorer)
             for n, (i, rank, score, reasons, contributions) in enumerate(columns)]
    bounds = np.searchsorted(ranked.query, np.arange(queries + 1)).tolist()
    fitting = ranked.fitting.tolist()
    return [Matches(built[start:end], missing=ranked.missing.get(q, ()),
                    fitting=None if floor else tuple(fitting[start:end]))
            for q, (start, end) in enumerate(zip(bounds[:-1], bounds[1:], strict=True))]


def _plain(key: str, value: object) -> float | int | None:
    """JSON-ready channel values: ranks as ints, scores as floats, None where the channel missed."""
    if value is None or value != value:  # NaN: the channel did not return the candidate
        return None
    return int(value) if key.endswith("_rank") else round(float(value), 6)
