"""Training and evaluating a ranker per direction (recommend, candidates): fit on the training queries, compare
with the rule score and each retrieval channel on the held-out ones, register the new version and activate it
only when it beats the active one.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from matcher.rank.features import FEATURE_COLUMNS
from matcher.rank.metrics import evaluate_ranking
from matcher.rank.registry import LoadedRanker, RankerRegistry
from matcher.rank.rules import rule_score
from matcher.store.changes import record_ranker_activation
from matcher.training.fit import split_queries, train_ranker
from matcher.training.pairs import feature_rows, labelled_pairs, split_rows, with_retrieved

if TYPE_CHECKING:
    from matcher.pipeline import Matcher

logger = logging.getLogger(__name__)

BASELINE_SCORES = {"dense": "dense_score", "sparse": "sparse_score", "hybrid": "fused_score"}


def evaluate_scorers(rows: pd.DataFrame, ranker: LoadedRanker | None = None) -> dict[str, dict[str, float]]:
    """Metrics of the ranker (if any), the rule score and each retrieval channel on the same rows."""
    scorers = {name: rows[col].fillna(-np.inf).to_numpy() for name, col in BASELINE_SCORES.items()}
    scorers["rule"] = rule_score(rows)
    if ranker is not None:
        scorers = {"ranker": ranker.predict(rows).to_numpy(), **scorers}
    return {name: evaluate_ranking(rows[["query", "label"]].assign(score=score)) for name, score in scorers.items()}


def train_direction(matcher: Matcher, registry: RankerRegistry, events: pd.DataFrame, direction: str,
                    seed: int = 0, params: dict | None = None, gate: Callable | None = None) -> dict:
    """Train, evaluate on held-out queries, save a new version and activate it only if it is better (and, given
    a ``gate``, does not lower the field evaluation's top-1: RankerRegistry.promote_if_better)."""
    rows, split = split_rows(matcher, events, direction, seed)
    result = train_ranker(rows, seed=seed, params=params, split=split)
    held_out = rows[rows["query"].isin(set(split.test))]
    table = evaluate_scorers(held_out, LoadedRanker(version="candidate", booster=result.booster, manifest={}))
    manifest = {
        "params": dict(result.params), "best_iteration": result.best_iteration,
        "train_seconds": round(result.seconds, 2), "split": result.split_counts, "metrics": table,
        "data_snapshot": {
            "events": len(events), "last_event_at": str(pd.to_datetime(events["occurred_at"]).max()),
            "talents": matcher.talents.pool.dense.data_snapshot_id, "jobs": matcher.jobs.pool.dense.data_snapshot_id,
            "encoder_manifest_hash": matcher.encoder.manifest_hash, "rows": len(rows),
        },
    }
    version = registry.save(direction, result.booster, manifest)
    promotion = registry.promote_if_better(direction, version, held_out, gate)
    logger.info("trained %s ranker %s: ndcg@10 %.4f (activated: %s)", direction, version,
                table["ranker"]["ndcg@10"], promotion["activated"])
    return {"direction": direction, "version": version, "metrics": table, "promotion": promotion,
            "rows": len(rows), "seconds": round(result.seconds, 2), "feature_columns": list(FEATURE_COLUMNS)}


def announce_activations(engine: Engine, reports: list[dict]) -> bool:
    """Tell serving processes (through the change log) to reload rankers if any report activated one."""
    activated = any(report["promotion"]["activated"] for report in reports)
    if activated:
        record_ranker_activation(engine)
    return activated


def evaluate_direction(matcher: Matcher, events: pd.DataFrame, direction: str, seed: int = 0) -> dict:
    """The active ranker and every baseline on the held-out queries of the same split training uses."""
    pairs = labelled_pairs(matcher, events, direction, seed)
    split = split_queries(pairs.rename(columns={"query_id": "query"}), seed)
    held_out = feature_rows(matcher, with_retrieved(matcher, pairs[pairs["query_id"].isin(set(split.test))],
                                                    direction, None, seed), direction)
    ranker = matcher.rankers.get(direction)
    return {"direction": direction, "ranker_version": ranker.version if ranker else None,
            "held_out_queries": len(split.test), "metrics": evaluate_scorers(held_out, ranker)}
