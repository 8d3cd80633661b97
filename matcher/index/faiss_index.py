"""Dense vector index: FAISS inner-product search over external string ids, filters, updates, snapshots."""
from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

import faiss
import numpy as np

from matcher.embed.manifest import MANIFEST_NAME, library_versions, read_manifest, write_manifest
from matcher.index.faiss_choice import IndexTuning, choose_factory
from matcher.index.slots import Allowed, SlotTable
from matcher.index.snapshot import (
    IndexMismatchError,
    atomic_directory,
    check_manifest,
    recover_interrupted_swap,
)

logger = logging.getLogger(__name__)

KIND = "dense_faiss"
FORMAT_VERSION = 1
INDEX_FILE = "index.faiss"
TRAIN_POINTS_PER_LIST = 50
_CHUNK = 65_536


def _as_matrix(vectors: np.ndarray, dim: int, what: str) -> np.ndarray:
    matrix = np.ascontiguousarray(vectors, dtype=np.float32)
    if matrix.ndim == 1:
        matrix = matrix.reshape(1, -1)
    if matrix.ndim != 2 or matrix.shape[1] != dim:
        raise ValueError(f"{what} must have shape (n, {dim}), got {np.shape(vectors)}")
    if not np.isfinite(matrix).all():
        raise ValueError(f"{what} contain NaN or infinite values")
    return matrix


def _check_normalised(vectors: np.ndarray) -> None:
    norms = np.linalg.norm(vectors, axis=1)
    # The encoder maps an empty text to a zero row, which simply scores 0 against everything.
    bad = np.flatnonzero((np.abs(norms - 1.0) > 1e-3) & (norms > 1e-6))
    if len(bad):
        raise ValueError(
            f"vectors must be L2-normalised (or zero) so inner product is cosine; "
            f"row {bad[0]} has norm {norms[bad[0]]:.4f}"
        )


class VectorIndex:
    """Inner-product FAISS index over L2-normalised (n, d) float32 vectors keyed by string ids.

    FAISS holds vectors at append-only positions; a :class:`SlotTable` maps positions to ids and
    tombstones deleted ones. Deletes and updates are visible to the next search at once; tombstones
    are dropped by :meth:`compact` (automatic past ``tuning.compact_fraction``).
    """

    def __init__(self, dim: int, *, encoder_hash: str, factory: str = "Flat",
                 tuning: IndexTuning | None = None, data_snapshot_id: str | None = None) -> None:
        self.dim = int(dim)
        self.encoder_hash = encoder_hash
        self.factory = factory
        self.tuning = tuning or IndexTuning()
        self.data_snapshot_id = data_snapshot_id
        self.built_at = datetime.now(UTC).isoformat(timespec="seconds")
        self._index = self._empty_index()
        self._slots = SlotTable()
        self.mapped = False
        """Whether the inverted lists view a mapped file (read-only) rather than this process's memory."""

    @classmethod
    def build(cls, ids: Sequence[str], vectors: np.ndarray, *, encoder_hash: str, factory: str | None = None,
              tuning: IndexTuning | None = None, data_snapshot_id: str | None = None) -> VectorIndex:
        """A new index over ``vectors`` (n, d); ``factory`` None picks by size (:func:`choose_factory`)."""
        matrix = np.ascontiguousarray(vectors, dtype=np.float32)
        index = cls(matrix.shape[1], encoder_hash=encoder_hash, factory=choose_factory(len(ids), factory),
                    tuning=tuning, data_snapshot_id=data_snapshot_id)
        index.add(ids, matrix)
        return index

    def __len__(self) -> int:
        return self._slots.n_live

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._slots

    @property
    def slots(self) -> SlotTable:
        """Positions ↔ ids (tombstones included); align per-candidate data to ``slots.ids``."""
        return self._slots

    def _empty_index(self) -> faiss.Index:
        index = faiss.index_factory(self.dim, self.factory, faiss.METRIC_INNER_PRODUCT)
        hnsw = faiss.downcast_index(index)
        if isinstance(hnsw, faiss.IndexHNSW):
            hnsw.hnsw.efConstruction = self.tuning.ef_construction
        ivf = faiss.try_extract_index_ivf(index)
        if ivf is not None:
            # Rebuilds read vectors back by position, which IVF only allows with a direct map.
            ivf.make_direct_map(True)
        return index

    def add(self, ids: Sequence[str], vectors: np.ndarray) -> None:
        """Insert or replace the vectors of ``ids``; (n, d) float32, L2-normalised."""
        matrix = _as_matrix(vectors, self.dim, "vectors")
        if len(ids) != len(matrix):
            raise ValueError(f"{len(ids)} ids for {len(matrix)} vectors")
        _check_normalised(matrix)
        if not self._index.is_trained:
            self._train(matrix)
        self._own_lists()
        self._slots.append(ids)
        self._index.add(matrix)
        self._maybe_compact()

    def update(self, ids: Sequence[str], vectors: np.ndarray) -> None:
        """Replace the vectors of existing ``ids`` (KeyError if any is not in the index)."""
        missing = [i for i in ids if i not in self._slots]
        if missing:
            raise KeyError(f"cannot update {len(missing)} id(s) not in the index, e.g. {missing[:5]}")
        self.add(ids, vectors)

    def delete(self, ids: Sequence[str]) -> None:
        """Remove ``ids`` from search results from now on (KeyError if any is not in the index)."""
        self._slots.delete(ids)
        self._maybe_compact()

    def _train(self, matrix: np.ndarray) -> None:
        nlist = faiss.extract_index_ivf(self._index).nlist
        if len(matrix) < nlist:
            raise ValueError(
                f"factory {self.factory!r} needs at least {nlist} vectors to train, got {len(matrix)}; "
                "build with more vectors or a Flat/HNSW factory"
            )
        sample = min(len(matrix), TRAIN_POINTS_PER_LIST * nlist)
        rows = np.sort(np.random.default_rng(0).choice(len(matrix), sample, replace=False))
        self._index.train(matrix[rows])

    def _maybe_compact(self) -> None:
        limit = self.tuning.compact_fraction
        if limit is not None and len(self._slots) and self._slots.n_dead > limit * len(self._slots):
            self.compact()

    def compact(self) -> None:
        """Rebuild the FAISS index from live vectors only (same factory and training)."""
        self._own_lists()
        fresh = faiss.clone_index(self._index)
        fresh.reset()
        ivf = faiss.try_extract_index_ivf(fresh)
        if ivf is not None:
            ivf.make_direct_map(True)
        keep = self._slots.live.nonzero()[0].astype(np.int64)
        for start in range(0, len(keep), _CHUNK):
            fresh.add(self._index.reconstruct_batch(keep[start:start + _CHUNK]))
        logger.info("compacted %s index: %d -> %d positions", self.factory, len(self._slots), len(keep))
        self._slots.compact()
        self._index = fresh

    def vectors(self, ids: Sequence[str]) -> np.ndarray:
        """(n, d) float32 stored vectors of ``ids`` (decoded, so lossy for SQ/PQ factories)."""
        positions = self._slots.positions(ids)
        if (positions < 0).any():
            raise KeyError(f"id {list(ids)[int(np.argmin(positions))]!r} is not in the index")
        return self._index.reconstruct_batch(positions)

    def search(self, queries: np.ndarray, k: int, allowed: Allowed = None) -> tuple[np.ndarray, np.ndarray]:
        """Top-``k`` ids by inner product for each query row, restricted to ``allowed``.

        ``queries`` (q, d) float32; ``allowed`` a bool mask over ``slots`` positions, a collection of
        ids, or None. Returns ids (q, k) object and scores (q, k) float32, best first, padded with
        None / -inf when fewer than ``k`` vectors qualify. Excluded and deleted ids never appear.
        """
        positions, scores = self.search_slots(queries, k, allowed)
        return self._slots.ids_at(positions), scores

    def search_slots(self, queries: np.ndarray, k: int, allowed: Allowed = None) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`search` as slot positions: (q, k) int64 positions of ``slots``, padded with -1, and the scores."""
        matrix = _as_matrix(queries, self.dim, "queries")
        positions = np.full((len(matrix), k), -1, dtype=np.int64)
        scores = np.full((len(matrix), k), -np.inf, dtype=np.float32)
        mask = self._slots.search_mask(allowed)
        n_allowed = self._slots.n_live if mask is None else int(mask.sum())
        k_eff = min(k, n_allowed)
        if k_eff == 0 or len(matrix) == 0:
            return positions, scores
        index, params, _keepalive = self._plan(mask, n_allowed, k_eff)
        found_scores, found_positions = index.search(matrix, k_eff, params=params)
        found = found_positions >= 0
        positions[:, :k_eff] = np.where(found, found_positions, -1)
        scores[:, :k_eff][found] = found_scores[found]
        return positions, scores

    def _plan(self, mask: np.ndarray | None, n_allowed: int, k: int) -> tuple[faiss.Index, object, object]:
        """Which FAISS index and search parameters answer this query; the last item keeps buffers alive."""
        hnsw = faiss.downcast_index(self._index)
        ivf = faiss.try_extract_index_ivf(self._index)
        widen = 1.0 if mask is None else len(mask) / max(n_allowed, 1)
        selector, bits = (None, None) if mask is None else _bitmap_selector(mask)
        if isinstance(hnsw, faiss.IndexHNSW):
            if selector is not None and n_allowed <= self.tuning.exact_filter_limit:
                return faiss.downcast_index(hnsw.storage), faiss.SearchParameters(sel=selector), bits
            ef = min(self.tuning.max_ef_search, math.ceil(max(self.tuning.ef_search, k) * widen))
            return self._index, faiss.SearchParametersHNSW(sel=selector, efSearch=max(ef, k)), bits
        if ivf is not None:
            nprobe = min(ivf.nlist, math.ceil(self.tuning.nprobe * widen))
            if selector is not None and n_allowed <= self.tuning.exact_filter_limit:
                nprobe = ivf.nlist
            return self._index, faiss.SearchParametersIVF(sel=selector, nprobe=nprobe), bits
        return self._index, faiss.SearchParameters(sel=selector) if selector is not None else None, bits

    def manifest(self) -> dict[str, object]:
        return {
            "kind": KIND, "format_version": FORMAT_VERSION, "encoder_manifest_hash": self.encoder_hash,
            "dim": self.dim, "factory": self.factory, "metric": "inner_product", "count": len(self),
            "positions": len(self._slots), "tombstones": self._slots.n_dead, "tuning": asdict(self.tuning),
            "built_at": self.built_at, "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "data_snapshot_id": self.data_snapshot_id, "library_versions": library_versions(),
        }

    def save(self, directory: Path) -> None:
        """Write index.faiss, ids.npy, live.npy and manifest.json, replacing ``directory`` atomically."""
        with atomic_directory(Path(directory)) as staging:
            faiss.write_index(self._index, str(staging / INDEX_FILE))
            self._slots.save(staging)
            write_manifest(staging / MANIFEST_NAME, self.manifest())

    def _own_lists(self) -> None:
        """Before the first change to a mapped index (:meth:`load`): its inverted lists copied into this
        process's memory. FAISS cannot grow a list that views a mapped file, and the file is shared."""
        ivf = faiss.try_extract_index_ivf(self._index)
        if ivf is None or not self.mapped:
            return
        private = _private_lists(ivf.invlists)
        private.this.disown()  # the index owns the lists from now on (and deletes the mapped ones it replaces)
        ivf.replace_invlists(private, True)
        self.mapped = False

    @classmethod
    def load(cls, directory: Path, expected_encoder_hash: str, expected_dim: int, mapped: bool = True) -> VectorIndex:
        """Read a saved index, refusing one built for another encoder or dimension (IndexMismatchError).

        ``mapped``: an IVF index's inverted lists (its codes: nearly all of it) view a map of the file, whose
        pages every process mapping it shares; the first add or compaction copies them into this process
        (:meth:`_own_lists`). Flat and HNSW indexes (small pools) are read into memory either way.
        """
        directory = Path(directory)
        recover_interrupted_swap(directory)
        manifest = read_manifest(directory / MANIFEST_NAME)
        check_manifest(directory, manifest, {
            "kind": KIND, "format_version": FORMAT_VERSION,
            "encoder_manifest_hash": expected_encoder_hash, "dim": int(expected_dim),
        })
        index = cls(expected_dim, encoder_hash=expected_encoder_hash, factory=manifest["factory"],
                    tuning=IndexTuning(**manifest["tuning"]), data_snapshot_id=manifest["data_snapshot_id"])
        index.built_at = manifest["built_at"]
        index.mapped = mapped and "IVF" in index.factory
        flags = faiss.IO_FLAG_MMAP_IFC if index.mapped else 0
        index._index = faiss.read_index(str(directory / INDEX_FILE), flags)
        index._slots = SlotTable.load(directory)
        if index._index.ntotal != len(index._slots) or index._index.d != index.dim:
            raise IndexMismatchError(
                f"{directory}: {INDEX_FILE} holds {index._index.ntotal} vectors of dim {index._index.d} "
                f"but ids.npy lists {len(index._slots)} positions of dim {index.dim}; the snapshot is corrupt"
            )
        return index


def _private_lists(lists: faiss.InvertedLists) -> faiss.ArrayInvertedLists:
    """A copy of every inverted list (ids and codes) in this process's memory."""
    private = faiss.ArrayInvertedLists(lists.nlist, lists.code_size)
    for number in range(lists.nlist):
        size = lists.list_size(number)
        if size:
            private.add_entries(number, size, lists.get_ids(number), lists.get_codes(number))
    return private


def _bitmap_selector(mask: np.ndarray) -> tuple[faiss.IDSelector, np.ndarray]:
    """A FAISS selector over positions where ``mask`` is True; the packed bits must outlive the search."""
    bits = np.packbits(mask, bitorder="little")
    return faiss.IDSelectorBitmap(len(mask), faiss.swig_ptr(bits)), bits
