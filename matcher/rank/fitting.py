"""How many talents fit each position: the count an urgent position's gap is measured against.

A bulk run writes each talent's best N positions, so counting a position's candidates in those rows makes the
count depend on N and on what else each talent fits. A gap is a property of the pool, not of N: here each
position retrieves talents from the pool as an enterprise's candidate search does (restricted to the run's
talents), and the talents whose pair passes the relevance floor (matcher.rank.relevance) are counted.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from matcher.index.slots import Allowed
from matcher.rank.features import RETRIEVAL_COLUMNS, build_features
from matcher.rank.profiles import Profiles
from matcher.rank.relevance import fits
from matcher.retrieve.batch import QUERY, retrieve_batch
from matcher.retrieve.candidates import CandidatePool
from matcher.retrieve.fusion import CANDIDATE_ID
from matcher.retrieve.hybrid import RetrievalConfig


def fitting_counts(talent_pool: CandidatePool, talents: Profiles, jobs: Profiles, job_ids: Sequence[str],
                   texts: Sequence[str], vectors: np.ndarray, config: RetrievalConfig, *, least: int = 0,
                   allowed: Allowed = None, native: bool = True) -> dict[str, int]:
    """Per job id, the talents (among ``allowed``; all when None) fitting it, counted among those retrieved for
    it: each channel fetches ``max(config.per_channel, least)``, so a count below ``least`` is the pool's and
    not the retrieval depth's. ``texts[i]``/``vectors[i]`` are job ``job_ids[i]``'s rendered text and vector."""
    ids = [str(j) for j in job_ids]
    if not ids:
        return {}
    config = replace(config, per_channel=max(config.per_channel, least), limit=None)
    found = retrieve_batch(talent_pool, texts, vectors, config, allowed=allowed)
    query = found[QUERY].to_numpy()
    pairs = pd.DataFrame({"talent_id": found[CANDIDATE_ID].to_numpy(dtype=object),
                          "job_id": np.asarray(ids, dtype=object)[query],
                          **{column: found[column].to_numpy() for column in RETRIEVAL_COLUMNS if column in found}})
    fitting = fits(build_features(pairs, talents, jobs, native))
    counts = np.bincount(query[fitting], minlength=len(ids))
    return dict(zip(ids, counts.tolist(), strict=True))
