"""Sparse channel: a BM25 index over character unigrams + bigrams, with updates, filters and snapshots."""
from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import scipy
import scipy.sparse as sp

from matcher.embed.manifest import MANIFEST_NAME, library_versions, read_manifest, write_manifest
from matcher.index import bm25, postings_reference
from matcher.index import postings as native_postings
from matcher.index.bm25 import BM25Params
from matcher.index.char_ngrams import TOKENIZER_ID, term_counts, term_occurrences
from matcher.index.mapped import load_array, load_postings, save_array, save_csr
from matcher.index.postings import DenseRows
from matcher.index.slots import Allowed, SlotTable
from matcher.index.snapshot import (
    IndexMismatchError,
    atomic_directory,
    check_manifest,
    recover_interrupted_swap,
)

logger = logging.getLogger(__name__)

KIND = "sparse_bm25"
FORMAT_VERSION = 2
"""2: postings as plain .npy arrays (mapped on load, shared between processes); 1: as .npz (still read)."""
READABLE_VERSIONS = (1, 2)
_ARRAYS = ("doc_len", "doc_norm", "df")
_QUERY_CHUNK = 32
_SORT_WHOLE_ROWS = 4096
"""Up to this many indexed documents a chunk's rows are fully sorted at once; wider, each row is partitioned."""


class BM25Index:
    """BM25 (k1, b) over character n-grams of texts keyed by string ids.

    Postings are CSR matrices (features × documents) holding the precomputed term-frequency part
    tf·(k1+1) / (tf + k1·(1−b+b·dl/avgdl)); idf is applied to the query vector, so scoring q queries
    is one sparse (postings × q) product. Like Lucene, tombstoned documents keep counting in N, df
    and avgdl until :meth:`compact`; documents added since the last merge are weighted with the
    avgdl of their own add, and every merge re-weights all documents to the current avgdl.

    ``native`` scores with the compiled loops of :mod:`matcher.index.postings`; False with scipy and numpy
    (:mod:`matcher.index.postings_reference`): the same scores and lists (``Settings.native``).
    """

    def __init__(self, params: BM25Params | None = None, data_snapshot_id: str | None = None,
                 native: bool = True) -> None:
        self.params = params or BM25Params()
        self.data_snapshot_id = data_snapshot_id
        self.native = native
        self.built_at = datetime.now(UTC).isoformat(timespec="seconds")
        self._slots = SlotTable()
        self._main = self._empty_postings()
        self._recent = self._empty_postings()
        self._doc_len = np.zeros(0, dtype=np.float32)
        self._doc_norm = np.zeros(0, dtype=np.float32)  # the k1·(1−b+b·dl/avgdl) each doc was weighted with
        self._df = np.zeros(self.n_features, dtype=np.int32)
        self._dense = DenseRows.none()  # the main segment's commonest terms as full rows, rebuilt with it
        self.saved_format = FORMAT_VERSION
        """The format of the files this index was loaded from (an older one is read into memory, not mapped)."""

    @classmethod
    def build(cls, ids: Sequence[str], texts: Sequence[str], params: BM25Params | None = None,
              data_snapshot_id: str | None = None, native: bool = True) -> BM25Index:
        index = cls(params, data_snapshot_id, native)
        index.add(ids, texts)
        index.merge()
        return index

    @property
    def n_features(self) -> int:
        return 1 << self.params.feature_bits

    @property
    def slots(self) -> SlotTable:
        """Positions ↔ ids (tombstones included); align per-candidate data to ``slots.ids``."""
        return self._slots

    def __len__(self) -> int:
        return self._slots.n_live

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._slots

    def _empty_postings(self) -> sp.csr_matrix:
        return sp.csr_matrix((self.n_features, 0), dtype=np.float32)

    @property
    def avgdl(self) -> float:
        return float(self._doc_len.mean()) if len(self._doc_len) else 0.0

    def idf(self, terms: np.ndarray) -> np.ndarray:
        """ln(1 + (N − df + 0.5) / (df + 0.5)) of feature ids ``terms``; N counts every position."""
        return bm25.idf(self._df[terms], len(self._slots))

    def _norm_for(self, doc_len: np.ndarray) -> np.ndarray:
        return bm25.length_norm(doc_len, self.avgdl, self.params)

    def add(self, ids: Sequence[str], texts: Sequence[str]) -> None:
        """Insert or replace the documents of ``ids``."""
        if len(ids) != len(texts):
            raise ValueError(f"{len(ids)} ids for {len(texts)} texts")
        counts = term_counts(list(texts), self.params.feature_bits)
        self._slots.append(ids)
        doc_len = np.asarray(counts.sum(axis=1), dtype=np.float32).ravel()
        self._doc_len = np.concatenate([self._doc_len, doc_len])
        norm = self._norm_for(doc_len)
        self._doc_norm = np.concatenate([self._doc_norm, norm])
        postings = bm25.tf_weights(counts, norm, self.params.k1).T.tocsr()
        self._df += np.diff(postings.indptr).astype(np.int32)
        self._recent = sp.hstack([self._recent, postings], format="csr", dtype=np.float32)
        if self._recent.shape[1] >= self.params.merge_docs:
            self.merge()
        self._maybe_compact()

    def update(self, ids: Sequence[str], texts: Sequence[str]) -> None:
        """Replace the documents of existing ``ids`` (KeyError if any is not in the index)."""
        missing = [i for i in ids if i not in self._slots]
        if missing:
            raise KeyError(f"cannot update {len(missing)} id(s) not in the index, e.g. {missing[:5]}")
        self.add(ids, texts)

    def delete(self, ids: Sequence[str]) -> None:
        """Remove ``ids`` from search results from now on (KeyError if any is not in the index)."""
        self._slots.delete(ids)
        self._maybe_compact()

    def merge(self) -> None:
        """Fold recent documents into the main postings and re-weight everything to the current avgdl."""
        if self._recent.shape[1]:
            self._main = sp.hstack([self._main, self._recent], format="csr", dtype=np.float32)
            self._recent = self._empty_postings()
        self._reweight()

    def _reweight(self) -> None:
        new_norm = self._norm_for(self._doc_len)
        bm25.reweight_postings(self._main.data, self._main.indices, self._doc_norm, new_norm, self.params.k1)
        self._doc_norm = new_norm
        self._lay_out_dense()

    def _lay_out_dense(self) -> None:
        """Copy the main segment's commonest scored terms into full rows (faster scoring, same sums; the
        compiled loop only)."""
        if not self.native:
            return  # the product reads the postings as they are
        main, limit = self._main, self._df_limit()
        scored = None if limit is None else self._df <= limit
        self._dense = DenseRows.of(main.indptr, main.indices, main.data, main.shape[1], scored)

    def _df_limit(self) -> float | None:
        """The most documents a term a query scores may be in now, None for no limit: see ``max_df_fraction``."""
        limit, n_docs = self.params.max_df_fraction, len(self._slots)
        return None if limit is None or n_docs < self.params.prune_from_docs else limit * n_docs

    def _maybe_compact(self) -> None:
        limit = self.params.compact_fraction
        if limit is not None and len(self._slots) and self._slots.n_dead > limit * len(self._slots):
            self.compact()

    def compact(self) -> None:
        """Drop tombstoned documents from postings and statistics, then re-weight."""
        self.merge()
        keep = self._slots.compact()
        logger.info("compacted BM25 index: %d -> %d documents", len(self._doc_len), len(keep))
        self._main = self._main[:, keep].tocsr()
        self._main.sort_indices()
        self._doc_len, self._doc_norm = self._doc_len[keep], self._doc_norm[keep]
        self._df = np.diff(self._main.indptr).astype(np.int32)
        self._reweight()

    def query_weights(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Distinct scored feature ids of all queries (t,) and their (q, t) idf weights (0 where absent)."""
        rows, features = term_occurrences(list(texts), self.params.feature_bits)
        terms, column = np.unique(features, return_inverse=True)
        weights = np.zeros((len(texts), len(terms)), dtype=np.float32)
        weights[rows, column] = 1.0  # a term repeated in a query is set again, not added
        limit = self._df_limit()
        if limit is not None:
            kept = self._df[terms] <= limit
            terms, weights = terms[kept], weights[:, kept]
        return terms, weights * self.idf(terms)

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """(q, n_positions) float32 BM25 score of every position (tombstones included) per query."""
        terms, weights = self.query_weights(texts)
        out = np.zeros((len(texts), len(self._slots)), dtype=np.float32)
        main, accumulate = self._main, self._kernels.accumulate_postings
        accumulate(main.indptr, main.indices, main.data, terms, weights, out, 0, self._dense)
        recent = self._recent  # its documents follow the main's
        accumulate(recent.indptr, recent.indices, recent.data, terms, weights, out, main.shape[1])
        return out

    @property
    def _kernels(self):  # noqa: ANN202 - postings or postings_reference: the same two functions
        return native_postings if self.native else postings_reference

    def search(self, texts: Sequence[str], k: int, allowed: Allowed = None) -> tuple[np.ndarray, np.ndarray]:
        """Top-``k`` ids by BM25 for each query text, restricted to ``allowed``.

        ``allowed`` is a bool mask over ``slots`` positions, a collection of ids, or None. Only
        documents sharing at least one term with the query (score > 0) are returned. Returns ids
        (q, k) object and scores (q, k) float32, best first, padded with None / -inf.
        """
        positions, scores = self.search_slots(texts, k, allowed)
        return self._slots.ids_at(positions), scores

    def search_slots(self, texts: Sequence[str], k: int, allowed: Allowed = None) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`search` as slot positions: (q, k) int64 positions of ``slots``, padded with -1, and the scores."""
        positions = np.full((len(texts), k), -1, dtype=np.int64)
        top_scores = np.full((len(texts), k), -np.inf, dtype=np.float32)
        mask = self._slots.search_mask(allowed)
        for start in range(0, len(texts), _QUERY_CHUNK):
            chunk = self.scores(texts[start:start + _QUERY_CHUNK])
            rows = slice(start, start + len(chunk))
            if chunk.shape[1] <= _SORT_WHOLE_ROWS:
                if mask is not None:
                    chunk[:, ~mask] = 0.0
                _fill_sorted(chunk, positions[rows], top_scores[rows])
                continue
            for offset, row in enumerate(chunk):
                best = self._kernels.top_positive(row, k, mask)
                positions[start + offset, :len(best)] = best
                top_scores[start + offset, :len(best)] = row[best]
        return positions, top_scores

    def manifest(self) -> dict[str, object]:
        return {
            "kind": KIND, "format_version": FORMAT_VERSION, "tokenizer": TOKENIZER_ID,
            "params": asdict(self.params), "count": len(self), "positions": len(self._slots),
            "tombstones": self._slots.n_dead, "avgdl": self.avgdl, "built_at": self.built_at,
            "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "data_snapshot_id": self.data_snapshot_id, "main_docs": self._main.shape[1],
            "recent_docs": self._recent.shape[1],
            "library_versions": {**library_versions(), "scipy": scipy.__version__},
        }

    def save(self, directory: Path) -> None:
        """Write postings, statistics, ids and manifest.json, replacing ``directory`` atomically (never in place:
        other processes may map the files being replaced)."""
        with atomic_directory(Path(directory)) as staging:
            save_csr(staging, "main", self._main)
            save_csr(staging, "recent", self._recent)
            for name in _ARRAYS:
                save_array(staging / f"{name}.npy", getattr(self, f"_{name}"))
            self._slots.save(staging)
            write_manifest(staging / MANIFEST_NAME, self.manifest())

    @classmethod
    def load(cls, directory: Path, expected_params: BM25Params | None = None, native: bool = True,
             mapped: bool = True) -> BM25Index:
        """Read a saved index, refusing another tokenizer or other BM25 parameters (IndexMismatchError).

        ``mapped``: postings and statistics are copy-on-write maps of the files (:mod:`matcher.index.mapped`),
        shared with every other process that maps them; False reads them into this process's memory.
        """
        directory = Path(directory)
        recover_interrupted_swap(directory)
        manifest = read_manifest(directory / MANIFEST_NAME)
        expected = {"kind": KIND, "tokenizer": TOKENIZER_ID}
        if expected_params is not None:
            expected["params"] = asdict(expected_params)
        check_manifest(directory, manifest, expected)
        if manifest.get("format_version") not in READABLE_VERSIONS:
            raise IndexMismatchError(f"{directory}: format_version {manifest.get('format_version')!r} is not one "
                                     f"of {READABLE_VERSIONS}; rebuild the index")
        index = cls(BM25Params(**manifest["params"]), manifest["data_snapshot_id"], native)
        index.built_at, index.saved_format = manifest["built_at"], manifest["format_version"]
        index._main, index._recent = load_postings(directory, manifest, index.n_features, mapped)
        for name in _ARRAYS:
            setattr(index, f"_{name}", load_array(directory / f"{name}.npy", mapped))
        index._slots = SlotTable.load(directory)
        if index._main.shape[1] + index._recent.shape[1] != len(index._slots):
            raise IndexMismatchError(f"{directory}: postings and ids.npy disagree on the number of documents")
        index._lay_out_dense()
        return index


def _fill_sorted(chunk: np.ndarray, positions: np.ndarray, top_scores: np.ndarray) -> None:
    """``top_positive`` for every row at once into (q, k) ``positions`` and ``top_scores`` (narrow matrices: a
    small catalogue of jobs). Each score is keyed by its float bits, which order non-negative floats as their
    values do, above its position: one sort of distinct int64 keys per row gives the order of a stable sort by
    descending score (ties by position), at a fraction of the cost."""
    bits = chunk.view(np.int32).astype(np.int64)
    keys = ((np.int64(np.iinfo(np.int32).max) - bits) << np.int64(32)) | np.arange(chunk.shape[1], dtype=np.int64)
    order = np.sort(keys, axis=1)[:, :positions.shape[1]] & np.int64(0xFFFFFFFF)
    best = np.take_along_axis(chunk, order, axis=1)
    found = best > 0
    width = order.shape[1]
    positions[:, :width][found] = order[found]
    top_scores[:, :width][found] = best[found]
