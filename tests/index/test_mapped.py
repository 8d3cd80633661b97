"""Indexes loaded as maps of their files: the same answers as private copies, and writes never reach the files."""
from __future__ import annotations

import hashlib
import json
import pickle
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from matcher.embed.manifest import MANIFEST_NAME
from matcher.index.faiss_choice import IndexTuning
from matcher.index.faiss_index import VectorIndex
from matcher.index.mapped import is_mapped, load_array, load_csr, save_array, save_csr
from matcher.index.sparse import BM25Index

DIM = 16
HASH = "encoder-hash"
WORDS = ["焊工", "电工", "氩弧焊", "二保焊", "数控", "车床", "护士", "会计", "高级", "三级", "管道", "电气"]


def file_digests(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(Path(directory).iterdir())}


def corpus(n: int, seed: int = 0) -> tuple[list[str], list[str]]:
    rng = np.random.default_rng(seed)
    return [f"d{i:04d}" for i in range(n)], [" ".join(rng.choice(WORDS, size=rng.integers(1, 6))) for _ in range(n)]


def unit_rows(n: int, seed: int) -> np.ndarray:
    x = np.random.default_rng(seed).standard_normal((n, DIM)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_array_maps_are_copy_on_write(tmp_path):
    np.save(tmp_path / "a.npy", np.arange(10, dtype=np.int64))
    before = file_digests(tmp_path)
    mapped = load_array(tmp_path / "a.npy")
    assert is_mapped(mapped) and type(mapped) is np.ndarray and mapped.flags.writeable
    mapped[3] = 99  # this process's page only
    assert load_array(tmp_path / "a.npy")[3] == 3 and file_digests(tmp_path) == before
    assert not is_mapped(load_array(tmp_path / "a.npy", mapped=False))
    np.save(tmp_path / "empty.npy", np.zeros(0, dtype=np.float32))
    assert load_array(tmp_path / "empty.npy").shape == (0,)


def test_csr_round_trip_keeps_the_mapped_arrays(tmp_path):
    matrix = sp.random(50, 30, density=0.1, format="csr", dtype=np.float32, random_state=0)
    save_csr(tmp_path, "m", matrix)
    loaded = load_csr(tmp_path, "m", matrix.shape)
    assert (loaded != matrix).nnz == 0 and is_mapped(loaded.data) and is_mapped(loaded.indices)
    with pytest.raises(ValueError, match="do not form a 40"):
        load_csr(tmp_path, "m", (40, 30))


@pytest.mark.parametrize("native", [True, False], ids=["native", "reference"])
def test_mapped_bm25_answers_as_the_private_copy_and_writes_stay_private(tmp_path, native):
    ids, texts = corpus(300)
    BM25Index.build(ids, texts, native=native).save(tmp_path / "sparse")
    saved = file_digests(tmp_path / "sparse")
    mapped = BM25Index.load(tmp_path / "sparse", native=native)
    private = BM25Index.load(tmp_path / "sparse", native=native, mapped=False)
    assert is_mapped(mapped._main.data) and is_mapped(mapped._df) and not is_mapped(private._main.data)
    queries = ["焊工 高级", "会计", "数控车床 三级"]
    for a, b in zip(mapped.search(queries, 20), private.search(queries, 20), strict=True):
        np.testing.assert_array_equal(a, b)
    # Writes in both: adds (df updated in place), a merge (postings re-weighted in place), deletes, compaction.
    new_ids, new_texts = corpus(40, seed=1)
    new_ids = [f"n{i}" for i in new_ids]
    for index in (mapped, private):
        index.add(new_ids, new_texts)
        index.merge()
        index.delete(ids[:100])
    for a, b in zip(mapped.search(queries, 20), private.search(queries, 20), strict=True):
        np.testing.assert_array_equal(a, b)
    assert file_digests(tmp_path / "sparse") == saved  # what other workers map is as saved
    reopened = BM25Index.load(tmp_path / "sparse", native=native)
    assert len(reopened) == 300 and "n0d0000" not in reopened


@pytest.mark.parametrize("factory", ["IVF8,SQ8", "IVF8,Flat"])
def test_mapped_ivf_answers_as_the_private_copy_and_writes_stay_private(tmp_path, factory):
    ids, vectors = [f"v{i}" for i in range(800)], unit_rows(800, seed=0)
    tuning = IndexTuning(nprobe=8, compact_fraction=0.1)
    VectorIndex.build(ids, vectors, encoder_hash=HASH, factory=factory, tuning=tuning).save(tmp_path / "dense")
    saved = file_digests(tmp_path / "dense")
    mapped = VectorIndex.load(tmp_path / "dense", HASH, DIM)
    private = VectorIndex.load(tmp_path / "dense", HASH, DIM, mapped=False)
    assert mapped.mapped and not private.mapped
    queries = unit_rows(5, seed=1)
    for a, b in zip(mapped.search(queries, 10), private.search(queries, 10), strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(mapped.vectors(ids[:7]), private.vectors(ids[:7]))
    fresh = unit_rows(30, seed=2)
    for index in (mapped, private):
        index.add([f"new{i}" for i in range(30)], fresh)
        index.update(ids[:5], fresh[:5])
        index.delete(ids[100:200])  # past compact_fraction: the index is rebuilt from its live vectors
    assert not mapped.mapped  # the lists were copied into the process before the first add
    for a, b in zip(mapped.search(queries, 10), private.search(queries, 10), strict=True):
        np.testing.assert_array_equal(a, b)
    assert "new3" in mapped.search(fresh[3:4], 1)[0][0]
    assert file_digests(tmp_path / "dense") == saved
    assert len(VectorIndex.load(tmp_path / "dense", HASH, DIM)) == 800


def test_flat_indexes_are_read_into_memory(tmp_path):
    VectorIndex.build(["a", "b"], unit_rows(2, seed=0), encoder_hash=HASH, factory="Flat").save(tmp_path / "d")
    assert not VectorIndex.load(tmp_path / "d", HASH, DIM).mapped


def test_an_index_saved_in_the_npz_format_is_still_read(tmp_path):
    ids, texts = corpus(50)
    index = BM25Index.build(ids, texts)
    index.save(tmp_path / "sparse")
    directory = tmp_path / "sparse"
    for name in ("main", "recent"):  # what format 1 wrote
        sp.save_npz(directory / f"{name}.npz", getattr(index, f"_{name}"), compressed=False)
        for part in ("data", "indices", "indptr"):
            (directory / f"{name}.{part}.npy").unlink()
    manifest = json.loads((directory / MANIFEST_NAME).read_text())
    (directory / MANIFEST_NAME).write_text(json.dumps({**manifest, "format_version": 1}))
    old = BM25Index.load(directory)
    assert old.saved_format == 1 and not is_mapped(old._main.data)
    for a, b in zip(old.search(["焊工"], 10), index.search(["焊工"], 10), strict=True):
        np.testing.assert_array_equal(a, b)


def test_a_mapped_ivf_index_pickles_for_bulk_workers(tmp_path):
    ids, vectors = [f"v{i}" for i in range(400)], unit_rows(400, seed=0)
    VectorIndex.build(ids, vectors, encoder_hash=HASH, factory="IVF8,SQ8").save(tmp_path / "dense")
    mapped = VectorIndex.load(tmp_path / "dense", HASH, DIM)
    copied = pickle.loads(pickle.dumps(mapped))
    queries = unit_rows(3, seed=1)
    for a, b in zip(copied.search(queries, 10), mapped.search(queries, 10), strict=True):
        np.testing.assert_array_equal(a, b)
    copied.add(["extra"], unit_rows(1, seed=3))
    assert "extra" in copied and "extra" not in mapped


def test_an_unwritten_map_is_saved_by_linking_its_file_and_a_written_one_by_copying(tmp_path):
    np.save(tmp_path / "a.npy", np.arange(100_000, dtype=np.int64))
    mapped = load_array(tmp_path / "a.npy")
    save_array(tmp_path / "linked.npy", mapped)
    assert (tmp_path / "linked.npy").stat().st_ino == (tmp_path / "a.npy").stat().st_ino  # no byte read or copied
    mapped[7] = -1  # a copy-on-write page of this process: the file still holds 7
    save_array(tmp_path / "copied.npy", mapped)
    assert (tmp_path / "copied.npy").stat().st_ino != (tmp_path / "a.npy").stat().st_ino
    assert np.load(tmp_path / "copied.npy")[7] == -1 and np.load(tmp_path / "a.npy")[7] == 7
    save_array(tmp_path / "part.npy", load_array(tmp_path / "a.npy")[10:])  # a part of a map: its own file
    assert np.array_equal(np.load(tmp_path / "part.npy"), np.arange(10, 100_000))
    save_array(tmp_path / "private.npy", np.arange(5))  # in memory: saved as np.save does
    assert np.load(tmp_path / "private.npy").tolist() == [0, 1, 2, 3, 4]
