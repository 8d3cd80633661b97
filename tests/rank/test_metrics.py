"""Ranking metrics against hand-computed values."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from matcher.rank.metrics import auc, average_precision, evaluate_ranking, ndcg_at, recall_at


def test_ndcg_perfect_and_known_value():
    assert ndcg_at(np.array([3.0, 2.0, 0.0]), 10) == 1.0
    # gains 0,1 (labels 0,1) in that order: DCG = 1/log2(3); IDCG = 1/log2(2) = 1.
    assert math.isclose(ndcg_at(np.array([0.0, 1.0]), 10), 1 / math.log2(3))


def test_average_precision_recall_auc():
    rel = np.array([1, 0, 1, 0])
    assert math.isclose(average_precision(rel), (1 + 2 / 3) / 2)
    assert recall_at(rel, 1) == 0.5
    # pairs (relevant above non-relevant): item0 beats 2, item2 beats 1 -> 3 of 4.
    assert auc(rel) == 0.75


def test_evaluate_ranking_skips_queries_without_relevant_items():
    frame = pd.DataFrame({"query": ["a", "a", "b", "b"], "label": [0, 2, 0, 0], "score": [0.9, 0.1, 0.5, 0.4]})
    result = evaluate_ranking(frame)
    assert result["queries"] == 1
    assert math.isclose(result["ndcg@10"], 3 / math.log2(3) / 3)
    assert result["auc"] == 0.0
