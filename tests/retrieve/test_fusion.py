"""Reciprocal-rank fusion: known answers, missing channels, deterministic ties."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from matcher.retrieve.fusion import (
    CANDIDATE_COLUMNS,
    DENSE_RANK,
    DENSE_SCORE,
    SPARSE_RANK,
    SPARSE_SCORE,
    channel_frame,
    fuse,
    reciprocal_rank_fusion,
)


def channel(ids: list[str | None], score_column: str, rank_column: str) -> pd.DataFrame:
    scores = np.linspace(1.0, 0.5, len(ids)).astype(np.float32)
    return channel_frame(np.array(ids, dtype=object), scores, score_column, rank_column)


def test_rrf_known_answer():
    dense = channel(["a", "b", "c"], DENSE_SCORE, DENSE_RANK)
    sparse = channel(["b", "c", "d", None], SPARSE_SCORE, SPARSE_RANK)
    table = fuse(dense, sparse, k=60)
    assert list(table.columns) == list(CANDIDATE_COLUMNS)
    assert table["candidate_id"].tolist() == ["b", "c", "a", "d"]
    assert table["fused_score"].tolist() == pytest.approx([1 / 62 + 1 / 61, 1 / 63 + 1 / 62, 1 / 61, 1 / 63])
    assert table["fused_rank"].tolist() == [1, 2, 3, 4]
    a = table.set_index("candidate_id").loc["a"]
    assert a["dense_rank"] == 1 and np.isnan(a["sparse_rank"]) and np.isnan(a["sparse_score"])


def test_ties_go_to_better_single_rank_then_id():
    table = fuse(channel(["z", "y"], DENSE_SCORE, DENSE_RANK), channel(["a"], SPARSE_SCORE, SPARSE_RANK))
    assert table["candidate_id"].tolist() == ["a", "z", "y"]


def test_empty_channels():
    empty = channel([], DENSE_SCORE, DENSE_RANK)
    table = fuse(empty, channel(["q"], SPARSE_SCORE, SPARSE_RANK))
    assert table["candidate_id"].tolist() == ["q"] and np.isnan(table["dense_rank"]).all()
    assert fuse(empty, channel([], SPARSE_SCORE, SPARSE_RANK)).empty


def test_rrf_of_rank_table():
    ranks = pd.DataFrame({"x": [1.0, np.nan], "y": [2.0, 1.0]})
    assert reciprocal_rank_fusion(ranks, k=10).tolist() == pytest.approx([1 / 11 + 1 / 12, 1 / 11])
