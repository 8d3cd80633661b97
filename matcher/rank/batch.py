"""Jobs ranked for many talents in one pass (bulk runs): the ranking path (matcher.rank.ranking) with a batch
of talents, as a table.

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
from matcher.rank.profiles import Profiles
from matcher.rank.ranking import CandidateSide, Queries, rank_batch

RECOMMEND_TABLE_COLUMNS = ("talent_id", "job_id", "rank", "score", "reasons")
"""reasons: a tuple of plain-Chinese reasons, most decisive first."""

JobSide = CandidateSide
"""The job side of a bulk run: the candidate side when recommending jobs."""


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
    queries = Queries(talents.texts, talents.vectors, talents.profiles, talents.profiles.positions(talents.ids))
    side = replace(jobs, config=replace(jobs.config, limit=depth))
    ranked = rank_batch("recommend", queries, side, top, allowed=allowed)
    # Ids as numpy objects, never pandas' string dtype: cheaper to gather, and the same in every engine.
    talent_ids = np.asarray(talents.ids, dtype=object)[ranked.query]
    return pd.DataFrame({"talent_id": pd.Series(talent_ids, dtype=object),
                         "job_id": pd.Series(ranked.candidate_id, dtype=object),
                         "rank": ranked.rank, "score": np.round(ranked.score, 6),
                         "reasons": pd.Series(ranked.reasons, dtype=object)}, columns=list(RECOMMEND_TABLE_COLUMNS))
