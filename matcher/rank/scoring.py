"""Scores and per-feature contributions for feature rows: the active ranker, or the rule score before one exists."""
from __future__ import annotations

import numpy as np
import pandas as pd

from matcher.rank.registry import LoadedRanker
from matcher.rank.rules import rule_contributions, rule_score


def scores(features: pd.DataFrame, ranker: LoadedRanker | None) -> np.ndarray:
    """(n,) float64 score of each feature row."""
    return rule_score(features) if ranker is None else ranker.predict(features).to_numpy()


def contributions(features: pd.DataFrame, ranker: LoadedRanker | None) -> pd.DataFrame:
    """Per-feature (ranker: LightGBM pred_contrib) or per-rule contributions; costly, so only for shown rows."""
    return rule_contributions(features) if ranker is None else ranker.contributions(features)


def scorer_name(ranker: LoadedRanker | None) -> str:
    return "rule" if ranker is None else f"ranker:{ranker.version}"
