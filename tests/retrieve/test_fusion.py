"""Reciprocal-rank fusion: known answers, missing channels, deterministic ties."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from matcher.retrieve.fusion import (
    CANDIDATE_COLUMNS,
    CANDIDATE_ID,
    DENSE_RANK,
    DENSE_SCORE,
    FUSED_RANK,
    FUSED_SCORE,
    QUERY,
    SPARSE_RANK,
    SPARSE_SCORE,
    fuse_ranked,
    reciprocal_rank_fusion,
)
from tests.retrieve.frames import channel_frame, fuse


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


def _reference(dense: list[list[str]], sparse: list[list[str]], k: int, limit: int | None) -> list[list[tuple]]:
    """RRF written out per query: (id, dense rank, sparse rank, fused) best first, ties to the better
    single-channel rank, then to the id."""
    out = []
    for d, s in zip(dense, sparse, strict=True):
        ranks = {i: [r, math.nan] for r, i in enumerate(d, start=1)}
        for r, i in enumerate(s, start=1):
            ranks.setdefault(i, [math.nan, math.nan])[1] = r
        rows = [(i, dr, sr, (0.0 if math.isnan(dr) else 1 / (k + dr)) + (0.0 if math.isnan(sr) else 1 / (k + sr)))
                for i, (dr, sr) in ranks.items()]
        rows.sort(key=lambda row: (-row[3], min(x for x in row[1:3] if not math.isnan(x)), row[0]))
        out.append(rows[:limit])
    return out


@pytest.mark.parametrize("limit", [None, 7])
def test_fuse_ranked_equals_rrf_written_out_for_a_batch_of_queries(limit):
    rng = np.random.default_rng(11)
    names = [f"c{i:02d}" for i in range(40)]
    dense = [list(rng.choice(names, rng.integers(0, 12), replace=False)) for _ in range(6)]
    sparse = [list(rng.choice(names, rng.integers(0, 12), replace=False)) for _ in range(6)]

    def padded(lists: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
        ids = np.full((len(lists), 12), None, dtype=object)
        scores = np.full((len(lists), 12), -np.inf, dtype=np.float32)
        for q, row in enumerate(lists):
            ids[q, :len(row)], scores[q, :len(row)] = row, np.linspace(1, 0.1, len(row))
        return ids, scores

    columns = fuse_ranked(*padded(dense), *padded(sparse), k=60, limit=limit)
    expected = _reference(dense, sparse, 60, limit)
    assert columns[QUERY].tolist() == [q for q, rows in enumerate(expected) for _ in rows]
    got = list(zip(columns[CANDIDATE_ID], columns[DENSE_RANK], columns[SPARSE_RANK], columns[FUSED_SCORE], strict=True))
    flat = [row for rows in expected for row in rows]
    assert [g[0] for g in got] == [e[0] for e in flat]
    np.testing.assert_array_equal([g[1:] for g in got], [e[1:] for e in flat])  # fused: the same floats
    assert columns[FUSED_RANK].tolist() == [r for rows in expected for r in range(1, len(rows) + 1)]
