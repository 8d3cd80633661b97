"""LightGBM learning-to-rank on outcome groups, split by query (and time), never by row."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import lightgbm as lgb
import numpy as np
import pandas as pd

from matcher.rank.features import CATEGORICAL_FEATURES, FEATURE_COLUMNS
from matcher.rank.metrics import evaluate_ranking

DEFAULT_PARAMS: dict[str, object] = {
    # XE-NDCG with strong regularisation. On demo outcomes (20k talents, held-out queries ranked as
    # serving ranks them) it scored NDCG@10 0.665 / 0.238 (recommend / candidates) against 0.659 / 0.121
    # for default lambdarank. Early stopping still ends the recommend model after very few trees:
    # per-talent labels are few and noisy.
    "objective": "rank_xendcg", "n_estimators": 600, "learning_rate": 0.03, "num_leaves": 15,
    "min_child_samples": 100, "reg_lambda": 10.0, "subsample": 0.8, "subsample_freq": 1,
    "colsample_bytree": 0.9, "n_jobs": 2, "verbose": -1,
}


MONOTONE_FEATURES: dict[str, int] = {
    # Directions that are certain: more of these never makes a match worse, whatever outcomes suggest.
    "dense_score": 1, "dense_rank": -1, "sparse_rank": -1, "fused_score": 1,
    "cert_held": 1, "cert_level_gap": 1, "cert_meets_level": 1,  # gap = required level - held (1 = highest)
    "skill_overlap": 1, "skill_jaccard": 1, "title_similarity": 1, "occupation_match": 1, "major_fit": 1,
    "qualification_fit": 1,  # qualification_fit's score: not held 0 < below the grade < meets 1
    "hometown_level": 1,
}
"""Feature → +1 (score may only rise with it) or -1 (only fall); every other feature is unconstrained."""


def monotone_constraints() -> list[int]:
    """LightGBM's ``monotone_constraints``, one entry per FEATURE_COLUMNS column."""
    return [MONOTONE_FEATURES.get(column, 0) for column in FEATURE_COLUMNS]


@dataclass(frozen=True)
class QuerySplit:
    """Which queries are used for fitting, early stopping and the held-out test."""

    train: np.ndarray
    valid: np.ndarray
    test: np.ndarray


@dataclass(frozen=True)
class TrainResult:
    booster: lgb.Booster
    params: dict[str, object]
    metrics: dict[str, dict[str, float]]
    split_counts: dict[str, int]
    best_iteration: int
    seconds: float
    extra: dict[str, object] = field(default_factory=dict)


def split_queries(frame: pd.DataFrame, seed: int, test_fraction: float = 0.2, valid_fraction: float = 0.1
                  ) -> QuerySplit:
    """Split query ids: by time where the frame has ``last_at`` (latest queries held out), else at random."""
    per_query = frame.groupby("query")["last_at"].max() if "last_at" in frame else None
    if per_query is not None and per_query.notna().all():
        ordered = per_query.sort_values(kind="mergesort").index.to_numpy()
    else:
        ordered = np.random.default_rng(seed).permutation(frame["query"].unique())
    n = len(ordered)
    n_test, n_valid = int(n * test_fraction), int(n * valid_fraction)
    test = ordered[n - n_test:]
    rest = np.random.default_rng(seed).permutation(ordered[: n - n_test])
    return QuerySplit(train=rest[n_valid:], valid=rest[:n_valid], test=test)


def _grouped(frame: pd.DataFrame, queries: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
    part = frame[frame["query"].isin(set(queries))].sort_values("query", kind="mergesort")
    sizes = part.groupby("query", sort=False).size().to_numpy()
    return part, sizes


def train_ranker(frame: pd.DataFrame, seed: int = 0, params: dict[str, object] | None = None,
                 split: QuerySplit | None = None) -> TrainResult:
    """frame: FEATURE_COLUMNS + label + query (+ last_at). Early-stops on NDCG@10 of the validation queries."""
    started = time.perf_counter()
    split = split or split_queries(frame, seed)
    params = {**DEFAULT_PARAMS, "monotone_constraints": monotone_constraints(), "random_state": seed,
              **(params or {})}
    train, train_sizes = _grouped(frame, split.train)
    valid, valid_sizes = _grouped(frame, split.valid)
    model = lgb.LGBMRanker(**params)
    model.fit(
        train[list(FEATURE_COLUMNS)], train["label"], group=train_sizes,
        eval_X=(valid[list(FEATURE_COLUMNS)],), eval_y=(valid["label"],), eval_group=[valid_sizes], eval_at=[10],
        categorical_feature=list(CATEGORICAL_FEATURES),
        callbacks=[lgb.early_stopping(30, verbose=False)],
    )
    booster = model.booster_
    test, _ = _grouped(frame, split.test)
    scored = test.assign(score=booster.predict(test[list(FEATURE_COLUMNS)], num_iteration=model.best_iteration_))
    return TrainResult(
        booster=booster, params=params, metrics={"ranker": evaluate_ranking(scored)},
        split_counts={"train": len(split.train), "valid": len(split.valid), "test": len(split.test),
                      "rows": len(frame)},
        best_iteration=int(model.best_iteration_ or booster.current_iteration()),
        seconds=time.perf_counter() - started,
    )
