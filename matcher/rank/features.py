"""Match features for (talent, job) pairs: FEATURE_COLUMNS is the single ordered list.

One compiled pass over the pairs (matcher.rank.pair_kernel, or its numpy twin matcher.rank.pair_reference)
computes every feature from the two sides' encoded profiles
(matcher.rank.encoded: per-entity numbers, code ids and sorted id sets), the same for a query's hundred pairs
and a training set's millions. Missing data gives NaN (LightGBM routes it explicitly), never a match.
Gender is deliberately absent: it is not an input to any feature.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from matcher.rank.encoded import EncodedProfiles, Layout
from matcher.rank.feature_columns import (  # noqa: F401 - re-exported: callers import the columns from here
    CATEGORICAL_FEATURES,
    COLUMN,
    FEATURE_COLUMNS,
    JOB_LAYOUT,
    RETRIEVAL_COLUMNS,
    TALENT_LAYOUT,
)
from matcher.rank.pair_kernel import compiled
from matcher.rank.pair_reference import pair_features_reference

if TYPE_CHECKING:
    from matcher.rank.profiles import Profiles

def build_features(pairs: pd.DataFrame, talents: Profiles, jobs: Profiles, native: bool = True) -> pd.DataFrame:
    """(n pairs) -> (n, len(FEATURE_COLUMNS)) float32 frame, same row order and index as ``pairs``.

    pairs: talent_id, job_id and optionally the retrieval columns (absent -> NaN). ``native``: see
    :func:`feature_matrix`.
    """
    retrieval = {col: pairs[col].to_numpy(dtype=float) for col in RETRIEVAL_COLUMNS if col in pairs}
    matrix = feature_matrix(talents.features_table(), talents.positions(pairs["talent_id"]),
                            jobs.features_table(), jobs.positions(pairs["job_id"]), retrieval, native)
    return pd.DataFrame(matrix, columns=list(FEATURE_COLUMNS), index=pairs.index)


def feature_matrix(talents: EncodedProfiles, talent_rows: np.ndarray, jobs: EncodedProfiles, job_rows: np.ndarray,
                   retrieval: Mapping[str, np.ndarray], native: bool = True) -> np.ndarray:
    """(n, len(FEATURE_COLUMNS)) float32 for the n pairs (``talent_rows[i]``, ``job_rows[i]``) of rows of the
    two encoded profile tables (TALENT_LAYOUT, JOB_LAYOUT). ``retrieval`` holds any of RETRIEVAL_COLUMNS
    (absent -> NaN). The serving path calls this directly: a query's pairs never pass through pandas.
    ``native`` (``Settings.native``): the compiled kernel, or its plain numpy reference (same values)."""
    n = len(talent_rows)
    if len(job_rows) != n:
        raise ValueError(f"{n} talent rows for {len(job_rows)} job rows")
    matrix = np.empty((n, len(FEATURE_COLUMNS)), dtype=np.float32)
    for i, col in enumerate(RETRIEVAL_COLUMNS):
        matrix[:, i] = retrieval[col] if col in retrieval else np.nan
    if n:
        kernel = compiled() if native else pair_features_reference
        kernel(np.ascontiguousarray(talent_rows, dtype=np.int64), talents.numbers, talents.codes, talents.offsets,
               talents.values, talents.levels, np.ascontiguousarray(job_rows, dtype=np.int64), jobs.numbers,
               jobs.codes, jobs.offsets, jobs.values, jobs.levels, matrix)
    return matrix


def feature_values(features: pd.DataFrame | np.ndarray) -> np.ndarray:
    """FEATURE_COLUMNS as a float32 matrix, from a frame (any column order) or a matrix already in that order."""
    if isinstance(features, np.ndarray):
        return features
    return features[list(FEATURE_COLUMNS)].to_numpy(dtype=np.float32)


def warm_up() -> None:
    """Compile (or load the cached compilation of) the pair features now rather than on the first query."""
    def empty(layout: Layout) -> EncodedProfiles:
        return EncodedProfiles(np.zeros((1, len(layout.numbers))), np.zeros((1, len(layout.codes)), dtype=np.int64),
                               np.zeros((1, len(layout.sets) + 1), dtype=np.int64), np.zeros(0, dtype=np.int64),
                               np.zeros(0))

    one = np.zeros(1, dtype=np.int64)
    feature_matrix(empty(TALENT_LAYOUT), one, empty(JOB_LAYOUT), one, {})
