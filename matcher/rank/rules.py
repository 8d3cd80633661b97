"""The cold-start rule score: a transparent weighted sum of match features, used before outcomes exist.

Every weight is written here so staff can read why a match ranks where it does. A feature that is
missing (NaN) contributes nothing: missing data is never scored as a match.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from matcher.rank.features import FEATURE_COLUMNS, feature_values

RULE_WEIGHTS: dict[str, float] = {
    "dense_score": 2.0,          # semantic similarity of the two texts (cosine, 0..1)
    "occupation_match": 0.5,     # per shared occupation-code segment (0..4)
    "cert_meets": 2.0,           # holds the required certificate at or above the required level
    "cert_below": -3.0,          # holds it below the required level: rules the candidate out in practice
    "cert_missing": -2.0,        # the job requires a certificate the talent does not hold
    "skill_jaccard": 1.0,
    "industry_same_key": 1.0,
    "hometown_level": 0.2,       # per level: province 1, city 2, county 3
    "willing_to_return": 0.3,
    "job_city_in_intent": 0.5,
    "education_short": -1.0,     # below the required education
    "experience_short": -0.5,    # fewer years than required
    "salary_over": -0.5,         # expects more than the job's maximum
    "urgency_stars": 0.1,        # per star: urgent positions first among equals
}


def rule_terms(matrix: np.ndarray) -> np.ndarray:
    """(n, len(RULE_WEIGHTS)) weighted rule terms of feature rows in FEATURE_COLUMNS order; their row sum is
    the rule score."""
    f = {c: matrix[:, i].astype(np.float64) for i, c in enumerate(FEATURE_COLUMNS)}
    held, meets = f["cert_held"], f["cert_meets_level"]
    terms = {
        "dense_score": f["dense_score"],
        "occupation_match": f["occupation_match"],
        "cert_meets": (held == 1) & (meets != 0),
        "cert_below": (held == 1) & (meets == 0),
        "cert_missing": held == 0,
        "skill_jaccard": f["skill_jaccard"],
        "industry_same_key": f["industry_same_key"],
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
