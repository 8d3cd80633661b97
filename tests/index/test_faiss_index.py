"""VectorIndex against a numpy brute-force oracle: exact/ANN search, filters, updates, snapshots."""
from __future__ import annotations

import json

import numpy as np
import pytest

from matcher.embed.manifest import MANIFEST_NAME
from matcher.index import faiss_choice, faiss_index
from matcher.index.faiss_choice import IndexTuning, choose_factory, nlist_for
from matcher.index.faiss_index import VectorIndex
from matcher.index.snapshot import IndexMismatchError

DIM = 32
HASH = "encoder-hash-a"


def unit_rows(rng: np.random.Generator, n: int, dim: int = DIM) -> np.ndarray:
    x = rng.standard_normal((n, dim)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def clustered_rows(rng: np.random.Generator, n: int, clusters: int = 50) -> np.ndarray:
    """Embedding-like data: unit vectors around a few topics (random data is the worst case for ANN)."""
    centres = unit_rows(rng, clusters)
    x = centres[rng.integers(0, clusters, n)] + 0.35 * unit_rows(rng, n)
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def oracle(vectors: np.ndarray, ids: list[str], queries: np.ndarray, k: int,
           allowed: np.ndarray | None = None) -> tuple[list[list[str]], np.ndarray]:
    """Brute-force top-k by inner product over the allowed rows."""
    scores = queries @ vectors.T
    if allowed is not None:
        scores[:, ~allowed] = -np.inf
    order = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    return [[ids[j] for j in row if np.isfinite(scores[i, j])] for i, row in enumerate(order)], \
        np.take_along_axis(scores, order, axis=1)


def recall(found: np.ndarray, expected: list[list[str]]) -> float:
    hits = sum(len(set(f) & set(e)) for f, e in zip(found.tolist(), expected, strict=True))
    return hits / sum(len(e) for e in expected)


@pytest.fixture()
def data() -> tuple[list[str], np.ndarray, np.ndarray]:
    rng = np.random.default_rng(7)
    return [f"t{i:05d}" for i in range(3000)], unit_rows(rng, 3000), unit_rows(rng, 25)


def test_flat_search_equals_brute_force(data):
    ids, vectors, queries = data
    index = VectorIndex.build(ids, vectors, encoder_hash=HASH)
    assert index.factory == "Flat"
    found, scores = index.search(queries, 10)
    expected_ids, expected_scores = oracle(vectors, ids, queries, 10)
    assert found.tolist() == expected_ids
    np.testing.assert_allclose(scores, expected_scores, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("factory", ["HNSW32,Flat", "IVF{nlist},Flat", "IVF{nlist},SQ8"])
def test_ann_recall_against_exact(factory):
    rng = np.random.default_rng(3)
    ids = [f"j{i}" for i in range(6000)]
    vectors, queries = clustered_rows(rng, 6000), clustered_rows(rng, 50)
    index = VectorIndex.build(ids, vectors, encoder_hash=HASH, factory=factory, tuning=IndexTuning(nprobe=16))
    found, _ = index.search(queries, 10)
    assert recall(found, oracle(vectors, ids, queries, 10)[0]) >= 0.95


def test_filtered_flat_search_is_exact(data):
    ids, vectors, queries = data
    allowed = np.random.default_rng(1).random(len(ids)) < 0.05
    index = VectorIndex.build(ids, vectors, encoder_hash=HASH)
    found, scores = index.search(queries, 10, allowed=allowed)
    assert found.tolist() == oracle(vectors, ids, queries, 10, allowed)[0]
    allowed_ids = {i for i, ok in zip(ids, allowed, strict=True) if ok}
    assert set(found.ravel()) <= allowed_ids


def test_filter_by_id_collection_matches_mask(data):
    ids, vectors, queries = data
    index = VectorIndex.build(ids, vectors, encoder_hash=HASH)
    chosen = set(ids[::37])
    mask = np.array([i in chosen for i in ids])
    by_ids, by_mask = index.search(queries, 5, allowed=chosen), index.search(queries, 5, allowed=mask)
    assert by_ids[0].tolist() == by_mask[0].tolist()


@pytest.mark.parametrize("exact_filter_limit", [10_000, 0])
def test_filtered_hnsw_never_returns_excluded_ids(exact_filter_limit):
    rng = np.random.default_rng(5)
    ids = [f"t{i}" for i in range(4000)]
    vectors, queries = clustered_rows(rng, 4000), clustered_rows(rng, 30)
    allowed = rng.random(len(ids)) < 0.3
    index = VectorIndex.build(ids, vectors, encoder_hash=HASH, factory="HNSW32,Flat",
                              tuning=IndexTuning(exact_filter_limit=exact_filter_limit))
    found, _ = index.search(queries, 10, allowed=allowed)
    assert set(found.ravel()) <= {i for i, ok in zip(ids, allowed, strict=True) if ok}
    expected = oracle(vectors, ids, queries, 10, allowed)[0]
    if exact_filter_limit:  # the exact path scans the flat storage: identical to the oracle
        assert found.tolist() == expected
    else:
        assert recall(found, expected) >= 0.95


def test_fewer_matches_than_k_are_padded(data):
    ids, vectors, queries = data
    index = VectorIndex.build(ids[:3], vectors[:3], encoder_hash=HASH)
    found, scores = index.search(queries[:2], 5)
    assert found[:, 3:].tolist() == [[None, None], [None, None]]
    assert np.isneginf(scores[:, 3:]).all()
    none_allowed = index.search(queries[:1], 5, allowed=set())
    assert none_allowed[0].tolist() == [[None] * 5]


def test_update_and_delete_are_visible_in_next_search(data):
    ids, vectors, queries = data
    index = VectorIndex.build(ids, vectors, encoder_hash=HASH, tuning=IndexTuning(compact_fraction=None))
    index.update(["t00042"], queries[:1])
    found, scores = index.search(queries[:1], 3)
    assert found[0, 0] == "t00042" and scores[0, 0] == pytest.approx(1.0, abs=1e-5)
    index.delete(["t00042"])
    assert "t00042" not in index.search(queries[:1], 50)[0][0]
    assert "t00007" in index.search(vectors[7:8], 1)[0][0]
    index.delete(["t00007"])
    assert "t00007" not in index.search(vectors[7:8], len(ids))[0][0]
    assert len(index) == len(ids) - 2 and index.slots.n_dead == 3  # the update left one too
    with pytest.raises(KeyError, match="t00007"):
        index.update(["t00007"], vectors[7:8])
    with pytest.raises(KeyError, match="nope"):
        index.delete(["nope"])


def test_compaction_keeps_results_equal_to_oracle(data):
    ids, vectors, queries = data
    index = VectorIndex.build(ids, vectors, encoder_hash=HASH, factory="HNSW16,Flat",
                              tuning=IndexTuning(compact_fraction=0.2, exact_filter_limit=10_000))
    dropped = ids[: len(ids) // 4]
    index.delete(dropped)
    assert len(index.slots) == len(index) == len(ids) - len(dropped)  # tombstones were compacted away
    keep = np.array([i not in set(dropped) for i in ids])
    everything = np.ones(len(index.slots), dtype=bool)  # exact path over what is left
    found, _ = index.search(queries, 10, allowed=everything)
    assert found.tolist() == oracle(vectors, ids, queries, 10, keep)[0]


def test_rejects_unnormalised_and_wrong_dim(data):
    ids, vectors, _ = data
    with pytest.raises(ValueError, match="L2-normalised"):
        VectorIndex.build(ids[:2], vectors[:2] * 3, encoder_hash=HASH)
    index = VectorIndex.build(ids[:2], vectors[:2], encoder_hash=HASH)
    with pytest.raises(ValueError, match=r"shape \(n, 32\)"):
        index.search(np.ones((1, 8), dtype=np.float32), 1)
    with pytest.raises(ValueError, match="repeat"):
        index.add(["x", "x"], vectors[:2])


@pytest.mark.parametrize("factory", ["Flat", "HNSW16,Flat", "IVF32,SQ8"])
def test_save_load_round_trip(tmp_path, data, factory):
    ids, vectors, queries = data
    index = VectorIndex.build(ids, vectors, encoder_hash=HASH, factory=factory, data_snapshot_id="snap-1",
                              tuning=IndexTuning(compact_fraction=None))
    index.delete(ids[:5])
    before = index.search(queries, 10)
    index.save(tmp_path / "talents")
    loaded = VectorIndex.load(tmp_path / "talents", expected_encoder_hash=HASH, expected_dim=DIM)
    after = loaded.search(queries, 10)
    assert after[0].tolist() == before[0].tolist()
    np.testing.assert_array_equal(after[1], before[1])
    manifest = json.loads((tmp_path / "talents" / MANIFEST_NAME).read_text())
    assert manifest["factory"] == factory and manifest["tombstones"] == 5
    assert manifest["count"] == len(ids) - 5 and manifest["data_snapshot_id"] == "snap-1"
    assert "faiss" in manifest["library_versions"]


def test_load_refuses_other_encoder_or_dim(tmp_path, data):
    ids, vectors, _ = data
    VectorIndex.build(ids[:10], vectors[:10], encoder_hash=HASH).save(tmp_path / "idx")
    with pytest.raises(IndexMismatchError, match="encoder_manifest_hash.*encoder-hash-a.*encoder-hash-b"):
        VectorIndex.load(tmp_path / "idx", expected_encoder_hash="encoder-hash-b", expected_dim=DIM)
    with pytest.raises(IndexMismatchError, match="'dim' is 32 but 64"):
        VectorIndex.load(tmp_path / "idx", expected_encoder_hash=HASH, expected_dim=64)


def test_failed_save_leaves_previous_snapshot(tmp_path, data, monkeypatch):
    ids, vectors, queries = data
    target = tmp_path / "idx"
    VectorIndex.build(ids[:10], vectors[:10], encoder_hash=HASH).save(target)

    def crash(*_args, **_kwargs):
        raise OSError("disk full")

    bigger = VectorIndex.build(ids, vectors, encoder_hash=HASH)
    monkeypatch.setattr(faiss_index, "write_manifest", crash)
    with pytest.raises(OSError, match="disk full"):
        bigger.save(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["idx"]
    assert len(VectorIndex.load(target, HASH, DIM)) == 10


def test_interrupted_swap_is_recovered_on_load(tmp_path, data):
    ids, vectors, _ = data
    target = tmp_path / "idx"
    VectorIndex.build(ids[:10], vectors[:10], encoder_hash=HASH).save(target)
    target.rename(tmp_path / ".idx.old-abc")  # crash between the two renames of a swap
    assert len(VectorIndex.load(target, HASH, DIM)) == 10


def test_choose_factory_by_size():
    assert choose_factory(faiss_choice.EXACT_MAX_VECTORS) == "Flat"
    assert choose_factory(faiss_choice.EXACT_MAX_VECTORS + 1) == "IVF256,Flat"
    assert choose_factory(faiss_choice.FULL_VECTORS_MAX) == "IVF1024,Flat"
    assert choose_factory(faiss_choice.FULL_VECTORS_MAX + 1) == "IVF1024,SQ8"
    assert choose_factory(1_000_000, "IVF{nlist},SQ8") == "IVF4096,SQ8"
    assert nlist_for(10) == 16
    # 4·sqrt(n) rounded to a power of two, unless that leaves fewer than 39 vectors to train each list.
    assert (nlist_for(10_001), nlist_for(20_000), nlist_for(100_000)) == (256, 512, 1024)
