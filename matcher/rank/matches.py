"""A query's matches: retrieved candidates scored, cut at the relevance floor, kept best first and explained.

The serving end of the path (retrieve → features → rank → explain) for one saved or unsaved talent or job.
When no candidate passes the floor, the result is empty and says what the nearest candidates lacked.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields

import numpy as np

from matcher.rank.explain import JOB_REASON_COLUMNS, TALENT_REASON_COLUMNS, match_reasons, top_contributions_by_row
from matcher.rank.features import FEATURE_COLUMNS, feature_matrix
from matcher.rank.profiles import Profiles
from matcher.rank.registry import LoadedRanker
from matcher.rank.relevance import NEAREST, SHORTFALL_JOB_COLUMNS, fits, shortfall
from matcher.rank.scoring import ranked_rows, scorer_name
from matcher.retrieve.fusion import CANDIDATE_ID

RETRIEVAL_FIELDS = ("dense_score", "dense_rank", "sparse_score", "sparse_rank", "fused_score", "fused_rank")


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


@dataclass(frozen=True)
class PairRows:
    """The retrieved candidates of one query as pairs: candidate i pairs ``talent_rows[i]`` of ``talents`` with
    ``job_rows[i]`` of ``jobs``."""

    talents: Profiles
    talent_rows: np.ndarray
    jobs: Profiles
    job_rows: np.ndarray


def ranked_matches(found: Mapping[str, np.ndarray], pairs: PairRows, ranker: LoadedRanker | None, direction: str,
                   top: int, floor: bool = True, native: bool = True) -> Matches:
    """Score the retrieved candidates (``found``, aligned with ``pairs``), keep the best ``top`` that fit (ties to
    the better fused rank; every candidate when ``floor`` is False) and explain them; ``native``: the compiled
    feature kernel or its numpy twin. Numpy throughout: this is
    every request's path."""
    if not len(found[CANDIDATE_ID]):
        return Matches()
    talents, jobs = pairs.talents, pairs.jobs
    matrix = feature_matrix(talents.features_table(), pairs.talent_rows, jobs.features_table(), pairs.job_rows, found,
                            native)
    score, order, weights, names = ranked_rows(matrix, ranker, top, floor)
    if not len(order):
        nearest = np.argsort(-score, kind="stable")[:NEAREST]
        rows = [dict(zip(FEATURE_COLUMNS, row, strict=True)) for row in matrix[nearest].tolist()]
        return Matches(missing=shortfall(rows, jobs.rows_at(pairs.job_rows[nearest], SHORTFALL_JOB_COLUMNS),
                                         direction))
    retrieval = {k: found[k][order].tolist() for k in RETRIEVAL_FIELDS}
    talent_shown = talents.rows_at(pairs.talent_rows[order], TALENT_REASON_COLUMNS)
    job_shown = jobs.rows_at(pairs.job_rows[order], JOB_REASON_COLUMNS)
    rows = zip(order.tolist(), matrix[order].tolist(), top_contributions_by_row(weights, names), talent_shown,
               job_shown, strict=True)
    fitting = tuple(fits(matrix[order]).tolist()) if not floor else None
    return Matches((Match(id=str(found[CANDIDATE_ID][i]), rank=rank, score=round(float(score[i]), 6),
                          reasons=tuple(match_reasons(dict(zip(FEATURE_COLUMNS, row, strict=True)), talent, job)),
                          contributions=tuple(contributions),
                          retrieval={k: _plain(k, values[rank - 1]) for k, values in retrieval.items()},
                          scorer=scorer_name(ranker))
                    for rank, (i, row, contributions, talent, job) in enumerate(rows, start=1)), fitting=fitting)


def _plain(key: str, value: object) -> float | int | None:
    """JSON-ready channel values: ranks as ints, scores as floats, None where the channel missed."""
    if value is None or value != value:  # NaN: the channel did not return the candidate
        return None
    return int(value) if key.endswith("_rank") else round(float(value), 6)
