"""Jobs ranked for many talents in one pass: the bulk form of the pipeline's recommend path.

``JobSide`` bundles what ranking needs from the job side (candidate pool, profiles, ranker, retrieval
settings) so a bulk engine can hand it to worker processes or Spark executors; the talents arrive
as ids, rendered texts, vectors and a profile table.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from matcher.index.slots import Allowed
from matcher.rank.explain_batch import reasons_for_pairs
from matcher.rank.features import build_features
from matcher.rank.profiles import Profiles
from matcher.rank.registry import LoadedRanker
from matcher.rank.relevance import fits
from matcher.rank.scoring import scores
from matcher.retrieve.batch import QUERY, retrieve_batch
from matcher.retrieve.candidates import CandidatePool
from matcher.retrieve.hybrid import RetrievalConfig

RECOMMEND_TABLE_COLUMNS = ("talent_id", "job_id", "rank", "score", "reasons")
"""reasons: a tuple of plain-Chinese reasons, most decisive first."""


@dataclass(frozen=True)
class JobSide:
    pool: CandidatePool
    profiles: Profiles
    ranker: LoadedRanker | None
    config: RetrievalConfig
    native: bool = True
    """``Settings.native``: pair features by the compiled kernel, or by its numpy reference."""

    def single_threaded(self) -> JobSide:
        """For bulk workers and executors that already run one per core: the ranker predicts on one thread."""
        return self if self.ranker is None else replace(self, ranker=replace(self.ranker, max_threads=1))


@dataclass(frozen=True)
class TalentBatch:
    """Talents to rank: ``texts[i]`` and ``vectors[i]`` ((q, d) float32, L2-normalised) belong to ``ids[i]``;
    ``profiles`` holds at least their rows."""

    ids: Sequence[str]
    texts: Sequence[str]
    vectors: np.ndarray
    profiles: Profiles


def rank_jobs(jobs: JobSide, talents: TalentBatch, top: int, depth: int | None = None,
              allowed: Allowed = None) -> pd.DataFrame:
    """Columns RECOMMEND_TABLE_COLUMNS: talents in batch order, each best first, at most ``top`` rows, only
    pairs above the relevance floor (a talent with no fitting job has no rows).

    Ties in score go to the better fused retrieval rank, as in ``Matcher.recommend``. ``depth`` ranks
    only the best fused candidates (None: all retrieved); ``allowed`` limits the jobs (a slot mask or a
    collection of ids).
    """
    config = replace(jobs.config, limit=depth)
    found = retrieve_batch(jobs.pool, talents.texts, talents.vectors, config, allowed=allowed)
    pairs = found.rename(columns={"candidate_id": "job_id"})
    # Ids as numpy objects, never pandas' string dtype: cheaper to gather, and the same in every engine.
    pairs["talent_id"] = pd.Series(np.asarray(talents.ids, dtype=object)[pairs[QUERY].to_numpy()], dtype=object)
    features = build_features(pairs, talents.profiles, jobs.profiles, jobs.native)
    score = scores(features, jobs.ranker)
    query = pairs[QUERY].to_numpy()
    order = np.lexsort((pairs["fused_rank"].to_numpy(), -score, query))
    order = order[fits(features)[order]]  # the relevance floor, as a single query's ranking applies it
    rank = np.arange(len(order)) - np.searchsorted(query[order], query[order]) + 1
    shown = order[rank <= top]
    table = pairs.iloc[shown][["talent_id", "job_id"]].reset_index(drop=True)
    table["rank"], table["score"] = rank[rank <= top], np.round(score[shown], 6)
    table["reasons"] = reasons_for_pairs(features.iloc[shown], talents.profiles, jobs.profiles,
                                         table["talent_id"], table["job_id"])
    return table
