"""Training rows from recorded outcomes: labelled (query, candidate) pairs, retrieved-but-unseen candidates as
label 0, their features as serving computes them, and the split by query.

Training queries keep their labelled pairs (what people saw and did) plus a sample of retrieved-but-unseen
candidates as label-0 rows, so the ranker learns on the distribution it will rank at serving time. Held-out
queries are evaluated as serving would rank them: every retrieved candidate (best EVAL_DEPTH by fusion) plus
the labelled pairs, unlabelled ones 0.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from matcher.rank.channels import channel_columns, retrieved_pairs
from matcher.rank.features import build_features
from matcher.rank.labels import pair_labels
from matcher.training.fit import QuerySplit, split_queries

if TYPE_CHECKING:
    from matcher.pipeline import Matcher

QUERY_AND_CANDIDATE = {"recommend": ("talent_id", "job_id"), "candidates": ("job_id", "talent_id")}
MAX_GROUP = 1000
"""Labelled rows kept per query (sampled, seeded): bounds lambdarank's per-query cost for popular jobs."""
NEGATIVES_PER_QUERY = 20
EVAL_DEPTH = 100


def labelled_pairs(matcher: Matcher, events: pd.DataFrame, direction: str, seed: int = 0) -> pd.DataFrame:
    """query_id, candidate_id, talent_id, job_id, label, last_at for pairs whose talent and job still exist."""
    query_col, cand_col = QUERY_AND_CANDIDATE[direction]
    labels = pair_labels(events.astype({"talent_id": str, "job_id": str}))
    labels = labels[labels["talent_id"].isin(matcher.talents.frame.index)
                    & labels["job_id"].isin(matcher.jobs.frame.index)]
    if labels.empty:
        raise ValueError("no recorded outcome events refer to talents and jobs that exist; nothing to learn from")
    labels = _cap_groups(labels, query_col, seed)
    labels = labels.assign(query_id=labels[query_col], candidate_id=labels[cand_col]).reset_index(drop=True)
    return labels[["query_id", "candidate_id", "talent_id", "job_id", "label", "last_at"]]


def _cap_groups(labels: pd.DataFrame, query_col: str, seed: int) -> pd.DataFrame:
    if (labels.groupby(query_col)[query_col].transform("size") <= MAX_GROUP).all():
        return labels
    shuffled = labels.sample(frac=1.0, random_state=seed)
    return shuffled.groupby(query_col, sort=False).head(MAX_GROUP).sort_index()


def with_retrieved(matcher: Matcher, pairs: pd.DataFrame, direction: str, per_query: int | None,
                   seed: int = 0) -> pd.DataFrame:
    """Add retrieved candidates without events as label 0: ``per_query`` sampled ones, or (None) the best
    EVAL_DEPTH by fusion."""
    query_side, cand_side = _sides(matcher, direction)
    found = retrieved_pairs(pairs["query_id"].unique(), query_side.pool, cand_side.pool,
                            _texts(matcher, direction), depth=matcher.config.per_channel,
                            limit=None if per_query else EVAL_DEPTH, rrf_k=matcher.config.rrf_k)
    seen = pd.MultiIndex.from_frame(pairs[["query_id", "candidate_id"]])
    found = found[~pd.MultiIndex.from_frame(found).isin(seen)]
    if per_query:
        found = found.sample(frac=1.0, random_state=seed).groupby("query_id", sort=False).head(per_query)
    last_at = pairs.groupby("query_id")["last_at"].max()
    query_col, cand_col = QUERY_AND_CANDIDATE[direction]
    extra = found.assign(label=0, last_at=found["query_id"].map(last_at).to_numpy(),
                         **{query_col: found["query_id"], cand_col: found["candidate_id"]})
    return pd.concat([pairs, extra[pairs.columns]], ignore_index=True)


def feature_rows(matcher: Matcher, pairs: pd.DataFrame, direction: str) -> pd.DataFrame:
    """FEATURE_COLUMNS + label, query, last_at, talent_id, job_id for each pair, as serving computes them."""
    query_side, cand_side = _sides(matcher, direction)
    channels = channel_columns(pairs[["query_id", "candidate_id"]], query_side.pool, cand_side.pool,
                               _texts(matcher, direction), depth=matcher.config.per_channel,
                               rrf_k=matcher.config.rrf_k)
    features = build_features(channels.assign(talent_id=pairs["talent_id"], job_id=pairs["job_id"]),
                              matcher.talent_profile_table, matcher.job_profile_table, matcher.native)
    return features.assign(label=pairs["label"].to_numpy(), query=pairs["query_id"].to_numpy(),
                           last_at=pairs["last_at"].to_numpy(), talent_id=pairs["talent_id"].to_numpy(),
                           job_id=pairs["job_id"].to_numpy())


def _sides(matcher: Matcher, direction: str):  # noqa: ANN202 - (query Side, candidate Side)
    return (matcher.talents, matcher.jobs) if direction == "recommend" else (matcher.jobs, matcher.talents)


def _texts(matcher: Matcher, direction: str):  # noqa: ANN202 - ids -> rendered texts
    texts = _sides(matcher, direction)[0].texts  # rendered once when the Matcher opened
    return lambda ids: [texts[i] for i in ids]


def split_rows(matcher: Matcher, events: pd.DataFrame, direction: str, seed: int) -> tuple[pd.DataFrame, QuerySplit]:
    """Feature rows for every query, split by query (latest queries held out), evaluation rows serving-like."""
    pairs = labelled_pairs(matcher, events, direction, seed)
    split = split_queries(pairs.rename(columns={"query_id": "query"}), seed)
    test = pairs["query_id"].isin(set(split.test))
    fitted = with_retrieved(matcher, pairs[~test], direction, NEGATIVES_PER_QUERY, seed)
    held_out = with_retrieved(matcher, pairs[test], direction, None, seed)
    return feature_rows(matcher, pd.concat([fitted, held_out], ignore_index=True), direction), split
