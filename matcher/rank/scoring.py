"""Scores and per-feature contributions for feature rows: the active ranker, or the rule score before one exists."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from matcher.rank.registry import LoadedRanker
from matcher.rank.rules import rule_contributions


@dataclass(frozen=True)
class Scored:
    scores: np.ndarray             # (n,) float64
    contributions: pd.DataFrame    # (n, m) per-feature (ranker) or per-rule (rule score) contributions
    scorer: str                    # "ranker:<version>" or "rule"


def score_features(features: pd.DataFrame, ranker: LoadedRanker | None) -> Scored:
    if ranker is None:
        contributions = rule_contributions(features)
        return Scored(contributions.sum(axis=1).to_numpy(), contributions, "rule")
    contributions = ranker.contributions(features)
    return Scored(ranker.predict(features).to_numpy(), contributions, f"ranker:{ranker.version}")
