"""The one ranking path, for one query or many: retrieve → pair features → scores → relevance floor → each
query's top → reasons (and, when wanted, contributions and what the nearest candidates lack).

A served query is a batch of one (``Matcher.recommend``, ``match_profile``, ...); a bulk run sends thousands
(``rank_jobs``). Both directions: ``recommend`` ranks jobs for talents, ``candidates`` talents for jobs.
Numpy columns throughout, never pandas frames.
"""
from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace

import numpy as np

from matcher.index.slots import Allowed
from matcher.rank.explain import top_contributions_by_row
from matcher.rank.features import FEATURE_COLUMNS, feature_matrix
from matcher.rank.profiles import Profiles
from matcher.rank.reasons import reasons_for_pairs
from matcher.rank.registry import LoadedRanker
from matcher.rank.relevance import NEAREST, SHORTFALL_JOB_COLUMNS, fits, shortfall
from matcher.rank.scoring import contribution_values, scores, scores_and_leaves
from matcher.retrieve.candidates import CandidatePool
from matcher.retrieve.filters import RetrievalFilters
from matcher.retrieve.fusion import CANDIDATE_ID, QUERY
from matcher.retrieve.hybrid import RetrievalConfig, retrieve_batch

RETRIEVAL_FIELDS = ("dense_score", "dense_rank", "sparse_score", "sparse_rank", "fused_score", "fused_rank")


@dataclass(frozen=True)
class CandidateSide:
    """What ranking needs of the side searched (jobs when recommending, talents for candidates): its pool,
    profiles, the direction's ranker (None: the rule score) and retrieval settings. Picklable, so a bulk
    engine can hand it to worker processes or Spark executors."""

    pool: CandidatePool
    profiles: Profiles
    ranker: LoadedRanker | None
    config: RetrievalConfig
    native: bool = True
    """``Settings.native``: pair features by the compiled kernel, or by its numpy reference."""

    def single_threaded(self) -> CandidateSide:
        """For bulk workers and executors that already run one per core: the ranker predicts on one thread."""
        return self if self.ranker is None else replace(self, ranker=replace(self.ranker, max_threads=1))


@dataclass(frozen=True)
class Queries:
    """q queries of the other side: ``texts[i]`` and ``vectors[i]`` ((q, d) float32, L2-normalised) belong to
    the entity at row ``rows[i]`` of ``profiles``."""

    texts: Sequence[str]
    vectors: np.ndarray
    profiles: Profiles
    rows: np.ndarray


@dataclass(frozen=True)
class Ranked:
    """The kept pairs of a batch as aligned (m,) columns: queries in order, each best first."""

    query: np.ndarray
    """int64 position of the query in the batch."""
    candidate_id: np.ndarray
    rank: np.ndarray
    """int64, 1-based within the query."""
    score: np.ndarray
    reasons: list[tuple[str, ...]]
    retrieval: dict[str, np.ndarray]
    """RETRIEVAL_FIELDS of each pair (NaN where a channel missed it)."""
    fitting: np.ndarray
    """bool: the pair passes the relevance floor (all True unless ranked without it)."""
    contributions: list[list[dict]] | None
    """The top contributions of each pair (``explain``), else None."""
    missing: dict[int, tuple[str, ...]]
    """Query position → what its nearest candidates lack, for queries with candidates of which none passed the
    floor (``explain``)."""


def rank_batch(direction: str, queries: Queries, side: CandidateSide, top: int, *, allowed: Allowed = None,
               filters: RetrievalFilters | None = None, within: Collection[str] | None = None, floor: bool = True,
               explain: bool = False) -> Ranked:
    """Rank ``side``'s candidates for each query: retrieve the best ``side.config.limit`` fused candidates
    (restricted by ``allowed`` or ``filters``; then to the ids in ``within``), score them, keep the best ``top``
    that pass the relevance floor (every one when ``floor`` is False; ties to the better fused rank) and give
    their reasons. ``explain`` adds per-feature contributions and, where nothing fits, the shortfall."""
    found = retrieve_batch(side.pool, queries.texts, queries.vectors, side.config, allowed, filters)
    if within is not None:
        kept = np.fromiter((i in within for i in found[CANDIDATE_ID].tolist()), dtype=bool,
                           count=len(found[CANDIDATE_ID]))
        found = {name: values[kept] for name, values in found.items()}
    return rank_found(direction, queries, side, found, top, floor=floor, explain=explain)


def rank_found(direction: str, queries: Queries, side: CandidateSide, found: dict[str, np.ndarray], top: int, *,
               floor: bool = True, explain: bool = False) -> Ranked:
    """:func:`rank_batch` from retrieved candidates ``found`` (columns QUERY, CANDIDATE_ID and RETRIEVAL_FIELDS,
    queries in order, each best fused rank first)."""
    query = np.asarray(found[QUERY], dtype=np.int64)
    if not len(query):
        return _nothing(found)
    pairs, matrix = _features(direction, queries, side, found)
    score, leaves = scores_and_leaves(matrix, side.ranker) if explain else (scores(matrix, side.ranker), None)
    order = np.lexsort((-score, query))  # stable: equal scores keep the fused order
    fit = fits(matrix)
    kept = order[fit[order]] if floor else order
    rank = np.arange(len(kept)) - np.searchsorted(query[kept], query[kept]) + 1
    shown = kept[rank <= top]
    contributions = None
    if explain:
        weights, names = contribution_values(matrix[shown], side.ranker, None if leaves is None else leaves[shown])
        contributions = top_contributions_by_row(weights, names)
    return Ranked(query=query[shown], candidate_id=found[CANDIDATE_ID][shown], rank=rank[rank <= top],
                  score=score[shown], reasons=pairs.reasons(matrix, shown),
                  retrieval={k: found[k][shown] for k in RETRIEVAL_FIELDS}, fitting=fit[shown],
                  contributions=contributions,
                  missing=_shortfalls(direction, pairs, matrix, query, order, kept) if explain and floor else {})


def count_fitting(direction: str, queries: Queries, side: CandidateSide, *, allowed: Allowed = None) -> np.ndarray:
    """(q,) int64: how many of each query's retrieved candidates (restricted by ``allowed``) pass the relevance
    floor, whatever the top: the pool's supply for a position (an urgent gap), not what each person was shown."""
    found = retrieve_batch(side.pool, queries.texts, queries.vectors, side.config, allowed)
    query = np.asarray(found[QUERY], dtype=np.int64)
    if not len(query):
        return np.zeros(len(queries.texts), dtype=np.int64)
    _, matrix = _features(direction, queries, side, found)
    return np.bincount(query[fits(matrix)], minlength=len(queries.texts))


def _features(direction: str, queries: Queries, side: CandidateSide,
              found: dict[str, np.ndarray]) -> tuple[_PairRows, np.ndarray]:
    """The retrieved pairs and their (n, len(FEATURE_COLUMNS)) feature matrix."""
    pairs = _PairRows.of(direction, queries, side, np.asarray(found[QUERY], dtype=np.int64), found[CANDIDATE_ID])
    return pairs, feature_matrix(pairs.talents.features_table(), pairs.talent_rows, pairs.jobs.features_table(),
                                 pairs.job_rows, found, side.native)


def _nothing(found: dict[str, np.ndarray]) -> Ranked:
    """No candidate retrieved for any query: nothing ranked, nothing to say about a shortfall."""
    none = np.zeros(0, dtype=np.int64)
    return Ranked(query=none, candidate_id=found[CANDIDATE_ID], rank=none, score=np.zeros(0), reasons=[],
                  retrieval={k: found[k] for k in RETRIEVAL_FIELDS}, fitting=np.zeros(0, dtype=bool),
                  contributions=[], missing={})


@dataclass(frozen=True)
class _PairRows:
    """The retrieved pairs: pair i is row ``talent_rows[i]`` of ``talents`` with row ``job_rows[i]`` of ``jobs``."""

    talents: Profiles
    talent_rows: np.ndarray
    jobs: Profiles
    job_rows: np.ndarray

    @classmethod
    def of(cls, direction: str, queries: Queries, side: CandidateSide, query: np.ndarray,
           candidate_ids: np.ndarray) -> _PairRows:
        own, others = queries.rows[query], side.profiles.positions(candidate_ids)
        if direction == "recommend":
            return cls(queries.profiles, own, side.profiles, others)
        if direction == "candidates":
            return cls(side.profiles, others, queries.profiles, own)
        raise ValueError(f"direction must be recommend or candidates, got {direction!r}")

    def reasons(self, matrix: np.ndarray, rows: np.ndarray) -> list[tuple[str, ...]]:
        return reasons_for_pairs(matrix[rows], self.talents, self.talent_rows[rows], self.jobs, self.job_rows[rows])


def _shortfalls(direction: str, pairs: _PairRows, matrix: np.ndarray, query: np.ndarray, order: np.ndarray,
                kept: np.ndarray) -> dict[int, tuple[str, ...]]:
    """For each query with candidates and none kept: what its NEAREST best-scored candidates lack."""
    retrieved, shown = np.bincount(query), np.bincount(query[kept], minlength=query[-1] + 1)
    unfit = np.flatnonzero((retrieved > 0) & (shown == 0))
    if not len(unfit):
        return {}
    starts = np.searchsorted(query[order], unfit)  # order runs query by query, each best score first
    out: dict[int, tuple[str, ...]] = {}
    for q, start in zip(unfit.tolist(), starts.tolist(), strict=True):
        nearest = order[start:start + NEAREST]
        nearest = nearest[query[nearest] == q]
        rows = [dict(zip(FEATURE_COLUMNS, row, strict=True)) for row in matrix[nearest].tolist()]
        jobs = pairs.jobs.rows_at(pairs.job_rows[nearest], SHORTFALL_JOB_COLUMNS)
        out[q] = tuple(shortfall(rows, jobs, direction))
    return out
