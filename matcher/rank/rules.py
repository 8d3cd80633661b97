"""The cold-start rule score: a transparent weighted sum of match features, used before outcomes exist.

Every weight is written here so staff can read why a match ranks where it does. A feature that is
missing (NaN) contributes nothing: missing data is never scored as a match.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from matcher.rank.features import FEATURE_COLUMNS, feature_values

RULE_WEIGHTS: dict[str, float] = {
    # Relevance: does the work fit? These decide the order.
    "retrieval_fit": 3.0,        # how high both channels placed the pair: mean of 1/sqrt(rank), 1 at rank 1
    "dense_score": 1.0,          # semantic similarity of the two texts (cosine, 0..1)
    "occupation_match": 0.25,    # per shared occupation-code segment (0..4)
    "major_fit": 0.3,            # the job's occupation is one the talent's major leads to (1; its 中类: 0.5)
    "skill_jaccard": 1.0,
    "industry_same_key": 0.3,
    # Certificates: meeting a requirement helps; a lower level is never worse than none.
    "cert_meets": 1.0,           # holds the required certificate at or above the required level
    "cert_levels_above": 0.3,    # per level held above the requirement (at most two): 三级 for a 四级 post
    "cert_below": -0.2,          # holds it below the required level
    "cert_missing": -0.3,        # the job requires a certificate the talent does not hold
    "qualification_fit": 0.5,    # graded qualification (建造师 一级 机电): 1 meets grade and speciality, below it
                                 # less, not held 0 (qualification_fit's score), so lower is never worse than none
    # Preferences reorder among fitting jobs; together they cannot lift an unrelated one over a fitting one.
    "hometown_level": 0.05,      # per level: province 1, city 2, county 3
    "willing_to_return": 0.05,
    "job_city_in_intent": 0.15,
    "education_short": -0.2,     # below the required education
    "experience_short": -0.1,    # fewer years than required
    "salary_over": -0.15,        # expects more than the job's maximum
    "urgency_stars": 0.02,       # per star: urgent positions first among equals
}


def retrieval_fit(dense_rank: np.ndarray, sparse_rank: np.ndarray) -> np.ndarray:
    """(n,) mean over the two channels of 1/sqrt(rank): 1 when both put the pair first, 0 for a channel that
    did not retrieve it. Ranks, not scores: BM25 scores have no common scale across queries."""
    return (_rank_weight(dense_rank) + _rank_weight(sparse_rank)) / 2


def _rank_weight(rank: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(rank), 0.0, 1.0 / np.sqrt(np.fmax(rank, 1.0)))


# Terms that are a feature's own value times its weight (NaN: 0), taken from the matrix in one pass; the rest
# are derived from one or more features below.
_DIRECT = tuple(name for name in RULE_WEIGHTS if name in FEATURE_COLUMNS)
_DIRECT_TERMS = np.array([list(RULE_WEIGHTS).index(name) for name in _DIRECT])
_DIRECT_FEATURES = np.array([FEATURE_COLUMNS.index(name) for name in _DIRECT])
_DIRECT_WEIGHTS = np.array([RULE_WEIGHTS[name] for name in _DIRECT])
_DERIVED = tuple(name for name in RULE_WEIGHTS if name not in FEATURE_COLUMNS)
_COLUMN = {name: i for i, name in enumerate(FEATURE_COLUMNS)}
_TERM_INDEX = {name: i for i, name in enumerate(RULE_WEIGHTS)}


def rule_terms(matrix: np.ndarray) -> np.ndarray:
    """(n, len(RULE_WEIGHTS)) weighted rule terms of feature rows in FEATURE_COLUMNS order; their row sum is
    the rule score. A missing value adds no term: NaN compares false and direct terms read it as 0."""
    values = np.asarray(matrix, dtype=np.float64)

    def col(name: str) -> np.ndarray:
        return values[:, _COLUMN[name]]

    out = np.empty((len(values), len(RULE_WEIGHTS)), dtype=np.float64)
    out[:, _DIRECT_TERMS] = np.nan_to_num(values[:, _DIRECT_FEATURES], nan=0.0) * _DIRECT_WEIGHTS
    held, meets = col("cert_held"), col("cert_meets_level")
    derived = {
        "retrieval_fit": retrieval_fit(col("dense_rank"), col("sparse_rank")),
        "cert_meets": (held == 1) & (meets != 0),
        "cert_levels_above": np.where(held == 1, np.fmin(np.fmax(col("cert_level_gap"), 0.0), 2.0), 0.0),
        "cert_below": (held == 1) & (meets == 0),
        "cert_missing": held == 0,
        "education_short": col("education_gap") < 0,
        "experience_short": col("experience_gap") < 0,
        "salary_over": col("salary_within") == 0,
    }
    for name in _DERIVED:  # every other weight must be derived here: a KeyError, never an unset column
        out[:, _TERM_INDEX[name]] = derived[name] * RULE_WEIGHTS[name]
    return out


def rule_contributions(features: pd.DataFrame) -> pd.DataFrame:
    """(n, len(RULE_WEIGHTS)) contributions of each rule term; sum along axis 1 is the rule score."""
    return pd.DataFrame(rule_terms(feature_values(features)), columns=list(RULE_WEIGHTS), index=features.index)


def rule_score(features: pd.DataFrame | np.ndarray) -> np.ndarray:
    """(n,) float64 rule score for each feature row (a frame, or a matrix in FEATURE_COLUMNS order)."""
    return rule_terms(feature_values(features)).sum(axis=1)
