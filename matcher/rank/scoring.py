"""Scores and per-feature contributions for feature rows: the active ranker, or the rule score before one exists.

Feature rows come as a frame or, on the serving path, as a float32 matrix in FEATURE_COLUMNS order.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from matcher.rank.features import FEATURE_COLUMNS, feature_values
from matcher.rank.registry import LoadedRanker
from matcher.rank.relevance import fits
from matcher.rank.rules import RULE_WEIGHTS, rule_score, rule_terms


def scores(features: pd.DataFrame | np.ndarray, ranker: LoadedRanker | None) -> np.ndarray:
    """(n,) float64 score of each feature row."""
    matrix = feature_values(features)
    return rule_score(matrix) if ranker is None else ranker.score_matrix(matrix)


def ranked_rows(matrix: np.ndarray, ranker: LoadedRanker | None, top: int,
                floor: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[str, ...]]:
    """Score feature rows, keep the best ``top`` that pass the relevance floor (matcher.rank.relevance; every
    row when ``floor`` is False, as the field evaluation measures the channels) and explain them (a query's
    path): every row's score, the kept rows best first (ties to the earlier row), their contributions and the
    contributions' names. With a ranker one LightGBM pass gives both scores and contributions: the leaves
    each row reaches."""
    score, leaves = (rule_score(matrix), None) if ranker is None else ranker.score_leaves(matrix)
    order = np.argsort(-score, kind="stable")
    order = (order[fits(matrix)[order]] if floor else order)[:top]
    if ranker is None or leaves is None:  # the rule score; LightGBM's predict (not native); not leaf sums
        return (score, order, *contribution_values(matrix[order], ranker))
    return score, order, ranker.attribution.contributions_of(leaves[order]), FEATURE_COLUMNS


def contribution_values(features: pd.DataFrame | np.ndarray,
                        ranker: LoadedRanker | None) -> tuple[np.ndarray, tuple[str, ...]]:
    """(n, k) contributions and their k names: per feature (ranker: path attribution, matcher.rank.attribution)
    or per rule term. Only for shown rows."""
    matrix = feature_values(features)
    if ranker is None:
        return rule_terms(matrix), tuple(RULE_WEIGHTS)
    return ranker.contribution_matrix(matrix), FEATURE_COLUMNS


def contributions(features: pd.DataFrame, ranker: LoadedRanker | None) -> pd.DataFrame:
    """:func:`contribution_values` as a frame with the feature rows' index."""
    values, names = contribution_values(features, ranker)
    return pd.DataFrame(values, columns=list(names), index=features.index)


def scorer_name(ranker: LoadedRanker | None) -> str:
    return "rule" if ranker is None else f"ranker:{ranker.version}"
