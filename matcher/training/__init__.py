"""Learning rankers from recorded outcomes: training rows (pairs), the LightGBM fit (fit) and training,
evaluation and activation per direction (directions)."""
from __future__ import annotations

from matcher.training.directions import announce_activations, evaluate_direction, evaluate_scorers, train_direction
from matcher.training.fit import (
    DEFAULT_PARAMS,
    MONOTONE_FEATURES,
    QuerySplit,
    TrainResult,
    monotone_constraints,
    split_queries,
    train_ranker,
)
from matcher.training.pairs import feature_rows, labelled_pairs, split_rows, with_retrieved

__all__ = [
    "DEFAULT_PARAMS", "MONOTONE_FEATURES", "QuerySplit", "TrainResult", "announce_activations", "evaluate_direction",
    "evaluate_scorers", "feature_rows", "labelled_pairs", "monotone_constraints", "split_queries", "split_rows",
    "train_direction", "train_ranker", "with_retrieved",
]
