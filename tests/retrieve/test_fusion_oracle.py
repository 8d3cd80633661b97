"""The fusion over integer codes and slots against its plain twin (string ids, np.unique, lexsort): the same
columns, dtypes, values and order on random channels with ties, holes and empty channels, and on the demo's pools."""
from __future__ import annotations

import numpy as np
import pytest

from matcher.demo import generate_jobs, talents_frame
from matcher.embed.render import render_jobs, render_talents
from matcher.index.slots import SlotTable
from matcher.retrieve import CandidatePool
from matcher.retrieve import fusion as fusion_module
from matcher.retrieve.fusion import fuse_ranked, fuse_slots, rank_pairs
from matcher.retrieve.hybrid import RetrievalConfig, retrieve_batch
from tests.retrieve.conftest import NgramEncoder
from tests.retrieve.fusion_reference import fuse_ranked_reference


def assert_same_columns(got: dict[str, np.ndarray], expected: dict[str, np.ndarray]) -> None:
    """Same keys in the same order, each column of the same dtype and the same values (NaN where NaN)."""
    assert list(got) == list(expected)
    for name, column in expected.items():
        assert got[name].dtype == column.dtype, name
        if column.dtype == object:
            assert got[name].tolist() == column.tolist(), name
        else:
            np.testing.assert_array_equal(got[name], column, err_msg=name)


def random_channel(rng: np.random.Generator, names: np.ndarray, queries: int, depth: int,
                   holes: bool) -> tuple[np.ndarray, np.ndarray]:
    """None-padded best-first ids (some rows empty, some full, some with a None inside when ``holes``) and
    scores with many equal values."""
    ids = np.full((queries, depth), None, dtype=object)
    scores = np.full((queries, depth), -np.inf, dtype=np.float32)
    for row in range(queries):
        found = int(rng.choice([0, depth, rng.integers(0, depth + 1)]))
        ids[row, :found] = rng.choice(names, found, replace=False)
        scores[row, :found] = np.sort(rng.choice([0.25, 0.5, 0.75], found))[::-1]
        if holes and found > 2 and rng.random() < 0.3:
            ids[row, rng.integers(0, found)] = None
    return ids, scores


@pytest.mark.parametrize("layout_width", [0, 10 ** 9], ids=["by-entry", "by-code"])
@pytest.mark.parametrize("n_names, depth", [(12, 8), (40, 8), (300, 25), (30, 0)])
@pytest.mark.parametrize("limit", [None, 0, 1, 5])
def test_fuse_ranked_equals_its_plain_twin_on_random_channels(monkeypatch, layout_width, n_names, depth, limit):
    monkeypatch.setattr(fusion_module, "CODE_MATRIX_WIDTH", layout_width)
    rng = np.random.default_rng(n_names * 100 + depth)
    names = np.array([f"C{i:03d}" for i in rng.permutation(n_names)], dtype=object)
    for holes in (False, True):
        dense = random_channel(rng, names, 30, depth, holes)
        sparse = random_channel(rng, names, 30, depth + 3, holes)
        for k in (60, 1):
            expected = fuse_ranked_reference(*dense, *sparse, k, limit)
            assert_same_columns(fuse_ranked(*dense, *sparse, k, limit), expected)


@pytest.mark.parametrize("layout_width", [0, 10 ** 9], ids=["by-entry", "by-code"])
def test_all_missing_and_zero_width_channels(monkeypatch, layout_width):
    monkeypatch.setattr(fusion_module, "CODE_MATRIX_WIDTH", layout_width)
    sparse_ids = np.array([["b", "a", None], [None, None, None]], dtype=object)
    sparse_scores = np.array([[2.0, 1.0, -np.inf], [-np.inf] * 3], dtype=np.float32)
    none = np.full((2, 4), None, dtype=object), np.full((2, 4), -np.inf, dtype=np.float32)
    width_zero = np.full((1, 0), None, dtype=object), np.zeros((1, 0), dtype=np.float32)
    for dense in (none, width_zero):
        for args in ((*dense, sparse_ids, sparse_scores), (sparse_ids, sparse_scores, *dense), (*dense, *dense)):
            got, expected = fuse_ranked(*args, 60, None), fuse_ranked_reference(*args, 60, None)
            assert_same_columns(got, expected)
    assert fuse_ranked(*none, sparse_ids, sparse_scores)["candidate_id"].tolist() == ["b", "a"]


def test_fuse_slots_of_an_empty_pool_and_of_channels_out_of_step():
    empty = SlotTable()
    nothing = np.full((2, 3), -1, dtype=np.int64), np.full((2, 3), -np.inf, dtype=np.float32)
    columns = fuse_slots(empty, *nothing, empty, *nothing)
    assert all(len(column) == 0 for column in columns.values()) and columns["candidate_id"].dtype == object
    with pytest.raises(ValueError, match="same ids"):
        fuse_slots(SlotTable(["a"]), *nothing, empty, *nothing)


def test_rank_pairs_places_known_ties_together():
    pairs = rank_pairs(60, 3, 3)
    assert pairs.order[1, 3] == pairs.order[3, 1]  # same fused score, same best single rank
    assert pairs.order[1, 1] < pairs.order[1, 2] < pairs.order[1, 3] < pairs.order[1, 0]
    assert pairs.order[1, 0] == pairs.order[0, 1] and pairs.order[0, 0] == pairs.absent
    assert pairs.fused[2, 0] == 1 / 62 and pairs.fused[0, 0] == 0
    assert pairs.order.dtype == np.uint16


def pool_and_queries(side: str, encoder: NgramEncoder) -> tuple[CandidatePool, list[str], np.ndarray]:
    """A demo pool (243 jobs or 2,000 talents) and the other side's rendered texts and vectors as queries."""
    jobs = generate_jobs(243, seed=7)
    talents = talents_frame(2000, seed=7, jobs=jobs)
    frame, texts = (jobs, render_talents(talents[:600])) if side == "job" else (talents, render_jobs(jobs))
    pool = CandidatePool.build(side, frame, encoder.encode(RENDER[side](frame)), encoder_hash=encoder.manifest_hash)
    return pool, texts, encoder.encode(texts)


RENDER = {"job": render_jobs, "talent": render_talents}


def check_pool_fusion(pool: CandidatePool, texts: list[str], vectors: np.ndarray, limit: int | None,
                      allowed: np.ndarray | None = None) -> None:
    """fuse_slots of the slot searches equals the plain twin of the id searches, and retrieve_batch's table (the
    top lists) equals the twin's, column for column."""
    dense = pool.dense.search_slots(vectors, 50, allowed)
    sparse = pool.sparse.search_slots(texts, 50, allowed)
    got = fuse_slots(pool.dense.slots, *dense, pool.sparse.slots, *sparse, 60, limit)
    expected = fuse_ranked_reference(pool.dense.slots.ids_at(dense[0]), dense[1],
                                     pool.sparse.slots.ids_at(sparse[0]), sparse[1], 60, limit)
    assert_same_columns(got, expected)
    assert len(expected["query"]) > len(texts)
    columns = retrieve_batch(pool, texts, vectors, RetrievalConfig(per_channel=50, limit=limit), allowed)
    assert_same_columns(columns, expected)


@pytest.mark.parametrize("side", ["job", "talent"])
def test_pool_fusion_equals_the_plain_twin_on_the_demo_through_updates(side):
    encoder = NgramEncoder()
    pool, texts, vectors = pool_and_queries(side, encoder)
    check_pool_fusion(pool, texts, vectors, None)
    check_pool_fusion(pool, texts, vectors, 20)
    ids = pool.metadata.index.tolist()
    pool.delete(ids[::7])  # tombstones: ranks of later ids move up
    frame = (generate_jobs(243, seed=7) if side == "job" else talents_frame(2000, seed=7, jobs=generate_jobs(243, 7)))
    changed = frame[frame.iloc[:, 0].astype(str).isin(ids[1::5])]
    pool.upsert(changed, encoder.encode(RENDER[side](changed)))  # new slots, deleted ids back among the live
    check_pool_fusion(pool, texts, vectors, 20)
    pool.dense.compact()  # the dense channel renumbered, the sparse one not
    allowed = np.random.default_rng(2).random(len(pool.sparse.slots)) < 0.5
    check_pool_fusion(pool, texts, vectors, None, allowed if side == "talent" else None)
