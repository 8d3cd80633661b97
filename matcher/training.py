"""Learning from recorded outcomes: training rows from events, held-out evaluation against baselines,
and registration of a new ranker (activated only when it beats the active one)."""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from matcher.embed.render import render_jobs, render_talents
from matcher.rank.channels import channel_columns
from matcher.rank.features import FEATURE_COLUMNS, build_features
from matcher.rank.labels import pair_labels
from matcher.rank.metrics import evaluate_ranking
from matcher.rank.profiles import job_profiles, talent_profiles
from matcher.rank.registry import LoadedRanker, RankerRegistry
from matcher.rank.rules import rule_score
from matcher.rank.train import split_queries, train_ranker

if TYPE_CHECKING:
    from matcher.pipeline import Matcher

logger = logging.getLogger(__name__)

QUERY_AND_CANDIDATE = {"recommend": ("talent_id", "job_id"), "candidates": ("job_id", "talent_id")}
BASELINE_SCORES = {"dense": "dense_score", "sparse": "sparse_score", "hybrid": "fused_score"}
MAX_GROUP = 1000
"""Rows kept per query (sampled, seeded): bounds lambdarank's per-query pair cost for popular jobs."""


def training_rows(matcher: Matcher, events: pd.DataFrame, direction: str, seed: int = 0) -> pd.DataFrame:
    """One row per labelled (talent, job) pair: FEATURE_COLUMNS + label, query, last_at, talent_id, job_id."""
    query_col, cand_col = QUERY_AND_CANDIDATE[direction]
    labels = pair_labels(events.astype({"talent_id": str, "job_id": str}))
    labels = labels[labels["talent_id"].isin(matcher.talents.frame.index)
                    & labels["job_id"].isin(matcher.jobs.frame.index)]
    labels = _cap_groups(labels, query_col, seed).reset_index(drop=True)
    if labels.empty:
        raise ValueError("no recorded outcome events refer to talents and jobs that exist; nothing to learn from")
    query_side, cand_side = ((matcher.talents, matcher.jobs) if direction == "recommend"
                             else (matcher.jobs, matcher.talents))
    renderer = render_talents if direction == "recommend" else render_jobs
    pairs = pd.DataFrame({"query_id": labels[query_col], "candidate_id": labels[cand_col]})
    channels = channel_columns(pairs, query_side.pool, cand_side.pool,
                               lambda ids: renderer(query_side.frame.loc[list(ids)]),
                               depth=matcher.config.per_channel, rrf_k=matcher.config.rrf_k)
    talents = talent_profiles(matcher.talents.frame.loc[labels["talent_id"].unique()], matcher.reference_year)
    jobs = job_profiles(matcher.jobs.frame.loc[labels["job_id"].unique()])
    features = build_features(channels.assign(talent_id=labels["talent_id"], job_id=labels["job_id"]), talents, jobs)
    return features.assign(label=labels["label"].to_numpy(), query=labels[query_col].to_numpy(),
                           last_at=labels["last_at"].to_numpy(), talent_id=labels["talent_id"].to_numpy(),
                           job_id=labels["job_id"].to_numpy())


def _cap_groups(labels: pd.DataFrame, query_col: str, seed: int) -> pd.DataFrame:
    sizes = labels.groupby(query_col)[query_col].transform("size")
    if (sizes <= MAX_GROUP).all():
        return labels
    shuffled = labels.sample(frac=1.0, random_state=seed)
    return shuffled.groupby(query_col, sort=False).head(MAX_GROUP).sort_index()


def evaluate_scorers(rows: pd.DataFrame, ranker: LoadedRanker | None = None) -> dict[str, dict[str, float]]:
    """Metrics of the ranker (if any), the rule score and each retrieval channel on the same rows."""
    scorers = {name: rows[col].fillna(-np.inf).to_numpy() for name, col in BASELINE_SCORES.items()}
    scorers["rule"] = rule_score(rows)
    if ranker is not None:
        scorers = {"ranker": ranker.predict(rows).to_numpy(), **scorers}
    return {name: evaluate_ranking(rows[["query", "label"]].assign(score=score)) for name, score in scorers.items()}


def train_direction(matcher: Matcher, registry: RankerRegistry, events: pd.DataFrame, direction: str,
                    seed: int = 0, params: dict | None = None) -> dict:
    """Train, evaluate on held-out queries, save a new version and activate it only if it is better."""
    rows = training_rows(matcher, events, direction, seed)
    split = split_queries(rows, seed)
    result = train_ranker(rows, seed=seed, params=params, split=split)
    held_out = rows[rows["query"].isin(set(split.test))]
    candidate = LoadedRanker(version="candidate", booster=result.booster, manifest={})
    table = evaluate_scorers(held_out, candidate)
    manifest = {
        "params": {k: v for k, v in result.params.items()}, "best_iteration": result.best_iteration,
        "train_seconds": round(result.seconds, 2), "split": result.split_counts, "metrics": table,
        "data_snapshot": {
            "events": len(events), "last_event_at": str(pd.to_datetime(events["occurred_at"]).max()),
            "talents": matcher.talents.pool.dense.data_snapshot_id, "jobs": matcher.jobs.pool.dense.data_snapshot_id,
            "encoder_manifest_hash": matcher.encoder.manifest_hash, "labelled_pairs": len(rows),
        },
    }
    version = registry.save(direction, result.booster, manifest)
    promotion = registry.promote_if_better(direction, version, held_out)
    logger.info("trained %s ranker %s: ndcg@10 %.4f (activated: %s)", direction, version,
                table["ranker"]["ndcg@10"], promotion["activated"])
    return {"direction": direction, "version": version, "metrics": table, "promotion": promotion,
            "rows": len(rows), "seconds": round(result.seconds, 2), "feature_columns": list(FEATURE_COLUMNS)}


def evaluate_direction(matcher: Matcher, events: pd.DataFrame, direction: str, seed: int = 0) -> dict:
    """The active ranker and every baseline on the held-out queries of the same split training uses."""
    rows = training_rows(matcher, events, direction, seed)
    split = split_queries(rows, seed)
    held_out = rows[rows["query"].isin(set(split.test))]
    ranker = matcher.rankers.get(direction)
    return {"direction": direction, "ranker_version": ranker.version if ranker else None,
            "held_out_queries": len(split.test), "metrics": evaluate_scorers(held_out, ranker)}
