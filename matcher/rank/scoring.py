"""Scores and per-feature contributions for feature rows: the active ranker, or the rule score before one exists.

Feature rows come as a float32 matrix in FEATURE_COLUMNS order (or, for training and benchmarks, a frame).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from matcher.rank.features import FEATURE_COLUMNS, feature_values
from matcher.rank.registry import LoadedRanker
from matcher.rank.rules import RULE_WEIGHTS, rule_score, rule_terms


def scores(features: pd.DataFrame | np.ndarray, ranker: LoadedRanker | None) -> np.ndarray:
    """(n,) float64 score of each feature row."""
    matrix = feature_values(features)
    return rule_score(matrix) if ranker is None else ranker.score_matrix(matrix)


def scores_and_leaves(matrix: np.ndarray, ranker: LoadedRanker | None) -> tuple[np.ndarray, np.ndarray | None]:
    """(n,) scores and what the rows' contributions are read from, in the same pass: with a ranker whose scores
    are leaf sums, the (n, trees) leaves each row reaches (contributions then cost a table sum); with the rule
    score, its (n, len(RULE_WEIGHTS)) terms (their row sums are the scores). None for LightGBM's own predict.
    :func:`contribution_values` takes the shown rows' part."""
    if ranker is None:
        terms = rule_terms(matrix)
        return terms.sum(axis=1), terms
    return ranker.score_leaves(matrix)


def contribution_values(features: pd.DataFrame | np.ndarray, ranker: LoadedRanker | None,
                        leaves: np.ndarray | None = None) -> tuple[np.ndarray, tuple[str, ...]]:
    """(n, k) contributions and their k names: per feature (ranker: path attribution, matcher.rank.attribution)
    or per rule term. ``leaves``: the rows' part from :func:`scores_and_leaves` (leaves or rule terms), saving a
    second pass.
    Only for shown rows; none at all when nothing is shown (LightGBM's predict refuses zero rows)."""
    names = FEATURE_COLUMNS if ranker is not None else tuple(RULE_WEIGHTS)
    if not len(features):
        return np.zeros((0, len(names))), names
    if leaves is not None:
        return (leaves if ranker is None else ranker.attribution.contributions_of(leaves)), names
    matrix = feature_values(features)
    return (rule_terms(matrix) if ranker is None else ranker.contribution_matrix(matrix)), names


def scorer_name(ranker: LoadedRanker | None) -> str:
    return "rule" if ranker is None else f"ranker:{ranker.version}"
