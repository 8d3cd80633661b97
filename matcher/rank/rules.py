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


def rule_terms(matrix: np.ndarray) -> np.ndarray:
    """(n, len(RULE_WEIGHTS)) weighted rule terms of feature rows in FEATURE_COLUMNS order; their row sum is
    the rule score."""
    f = {c: matrix[:, i].astype(np.float64) for i, c in enumerate(FEATURE_COLUMNS)}
    held, meets = f["cert_held"], f["cert_meets_level"]
    terms = {
        "retrieval_fit": retrieval_fit(f["dense_rank"], f["sparse_rank"]),
        "dense_score": f["dense_score"],
        "occupation_match": f["occupation_match"],
        "major_fit": f["major_fit"],
        "skill_jaccard": f["skill_jaccard"],
        "industry_same_key": f["industry_same_key"],
        "cert_meets": (held == 1) & (meets != 0),
        "cert_levels_above": np.clip(np.where(held == 1, f["cert_level_gap"], 0.0), 0.0, 2.0),
        "cert_below": (held == 1) & (meets == 0),
        "cert_missing": held == 0,
        "qualification_fit": f["qualification_fit"],
        "hometown_level": f["hometown_level"],
        "willing_to_return": f["willing_to_return"],
        "job_city_in_intent": f["job_city_in_intent"],
        "education_short": f["education_gap"] < 0,
        "experience_short": f["experience_gap"] < 0,
        "salary_over": f["salary_within"] == 0,
        "urgency_stars": f["urgency_stars"],
    }
    out = np.empty((len(matrix), len(RULE_WEIGHTS)), dtype=np.float64)
    for i, (name, weight) in enumerate(RULE_WEIGHTS.items()):
        out[:, i] = np.nan_to_num(np.asarray(terms[name], dtype=float), nan=0.0) * weight
    return out


def rule_contributions(features: pd.DataFrame) -> pd.DataFrame:
    """(n, len(RULE_WEIGHTS)) contributions of each rule term; sum along axis 1 is the rule score."""
    return pd.DataFrame(rule_terms(feature_values(features)), columns=list(RULE_WEIGHTS), index=features.index)


def rule_score(features: pd.DataFrame | np.ndarray) -> np.ndarray:
    """(n,) float64 rule score for each feature row (a frame, or a matrix in FEATURE_COLUMNS order)."""
    return rule_terms(feature_values(features)).sum(axis=1)
