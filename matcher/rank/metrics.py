"""Ranking metrics over query groups: NDCG@k, MAP, recall@k and AUC, averaged over queries.

All take a frame with columns query, label (graded relevance, 0 = not relevant) and score.
Queries without any relevant item are skipped (they carry no ranking signal).
"""
from __future__ import annotations

import numpy as np
import pandas as pd


def _sorted_groups(frame: pd.DataFrame):
    ordered = frame.sort_values(["query", "score"], ascending=[True, False], kind="mergesort")
    for _, group in ordered.groupby("query", sort=False):
        labels = group["label"].to_numpy(dtype=float)
        if labels.max(initial=0) > 0:
            yield labels


def ndcg_at(labels_in_rank_order: np.ndarray, k: int) -> float:
    """NDCG@k with exponential gain 2^rel - 1 (LightGBM's lambdarank definition)."""
    gains = 2.0 ** labels_in_rank_order - 1.0
    discounts = 1.0 / np.log2(np.arange(2, min(k, len(gains)) + 2))
    dcg = float(np.sum(gains[:k] * discounts))
    ideal = np.sort(gains)[::-1][:k]
    idcg = float(np.sum(ideal * discounts[: len(ideal)]))
    return dcg / idcg if idcg > 0 else 0.0


def average_precision(relevant_in_rank_order: np.ndarray) -> float:
    hits = relevant_in_rank_order.astype(bool)
    if not hits.any():
        return 0.0
    precision = np.cumsum(hits) / np.arange(1, len(hits) + 1)
    return float(precision[hits].mean())


def recall_at(relevant_in_rank_order: np.ndarray, k: int) -> float:
    total = relevant_in_rank_order.sum()
    return float(relevant_in_rank_order[:k].sum() / total) if total else 0.0


def auc(relevant_in_rank_order: np.ndarray) -> float:
    """Probability a relevant item ranks above a non-relevant one (NaN when one class is absent)."""
    rel = relevant_in_rank_order.astype(bool)
    n_pos, n_neg = rel.sum(), (~rel).sum()
    if n_pos == 0 or n_neg == 0:
        return np.nan
    # For each relevant item, count the non-relevant items ranked below it.
    neg_below = (~rel)[::-1].cumsum()[::-1]
    return float(neg_below[rel].sum() / (n_pos * n_neg))


def evaluate_ranking(frame: pd.DataFrame, ks: tuple[int, ...] = (5, 10), recall_ks: tuple[int, ...] = (10, 50)
                     ) -> dict[str, float]:
    """Mean metrics over queries with at least one relevant item."""
    rows = []
    for labels in _sorted_groups(frame):
        relevant = labels > 0
        row = {f"ndcg@{k}": ndcg_at(labels, k) for k in ks}
        row["map"] = average_precision(relevant)
        row.update({f"recall@{k}": recall_at(relevant, k) for k in recall_ks})
        row["auc"] = auc(relevant)
        rows.append(row)
    if not rows:
        return {"queries": 0}
    table = pd.DataFrame(rows)
    result = {name: float(np.nanmean(table[name])) for name in table.columns}
    result["queries"] = len(rows)
    return result
