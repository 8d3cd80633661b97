"""One side's searchable candidates: a dense index, a sparse index and filter metadata, kept in step."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from matcher.embed.manifest import MANIFEST_NAME, read_manifest, write_manifest
from matcher.embed.render import RENDERERS
from matcher.index.bm25 import BM25Params
from matcher.index.faiss_choice import IndexTuning
from matcher.index.faiss_index import VectorIndex
from matcher.index.slots import SlotTable
from matcher.index.snapshot import atomic_directory, check_manifest, recover_interrupted_swap
from matcher.index.sparse import BM25Index
from matcher.retrieve.filters import ID_COLUMNS, SIDES, RetrievalFilters, Side, allowed_rows, filter_metadata
from matcher.retrieve.row_stamps import load_stamps, row_stamps, save_stamps

KIND = "candidate_pool"
DENSE_DIR, SPARSE_DIR, METADATA_FILE = "dense", "sparse", "metadata.parquet"


class CandidatePool:
    """Talents or jobs as retrieval targets: ``dense`` (vectors), ``sparse`` (BM25 over rendered text)
    and ``metadata`` (filter columns, indexed by candidate id). Change it through :meth:`upsert` and
    :meth:`delete` so the three stay in step."""

    def __init__(self, side: Side, dense: VectorIndex, sparse: BM25Index, metadata: pd.DataFrame,
                 stamps: pd.Series | Path | None = None) -> None:
        if side not in SIDES:
            raise ValueError(f"side must be one of {SIDES}, got {side!r}")
        self.side, self.dense, self.sparse, self.metadata = side, dense, sparse, metadata
        self._stamps = stamps
        self._metadata_version = 0
        self._alignment: dict[str, tuple[tuple[int, int, int], np.ndarray]] = {}

    @property
    def stamps(self) -> pd.Series | None:
        """Row stamps (:mod:`matcher.retrieve.row_stamps`) of the rows the data snapshot id names, set with it.
        A loaded pool reads them from its directory when first asked (only a stale pool's catch-up and a save
        need them, and held they are every id again in every process)."""
        if isinstance(self._stamps, Path):
            self._stamps = load_stamps(self._stamps)
        return self._stamps

    @stamps.setter
    def stamps(self, stamps: pd.Series | None) -> None:
        self._stamps = stamps

    @classmethod
    def build(cls, side: Side, frame: pd.DataFrame, vectors: np.ndarray, *, encoder_hash: str,
              texts: Sequence[str] | None = None, factory: str | None = None,
              tuning: IndexTuning | None = None, bm25: BM25Params | None = None,
              data_snapshot_id: str | None = None, native: bool = True) -> CandidatePool:
        """Index ``frame`` (canonical talent/job columns) with its (n, d) ``vectors``, row for row.

        ``texts`` default to the rendered rows (the text the vectors should also have come from). ``native``:
        BM25 scored by the compiled loops, or by scipy (``Settings.native``).
        """
        ids = frame[ID_COLUMNS[side]].astype(str).tolist()
        texts = list(texts) if texts is not None else RENDERERS[side](frame)
        dense = VectorIndex.build(ids, vectors, encoder_hash=encoder_hash, factory=factory, tuning=tuning,
                                  data_snapshot_id=data_snapshot_id)
        sparse = BM25Index.build(ids, texts, bm25, data_snapshot_id=data_snapshot_id, native=native)
        return cls(side, dense, sparse, filter_metadata(frame, side), row_stamps(frame, side))

    def __len__(self) -> int:
        return len(self.metadata)

    def upsert(self, frame: pd.DataFrame, vectors: np.ndarray, texts: Sequence[str] | None = None) -> None:
        """Add new candidates or replace existing ones; visible to the next search."""
        ids = frame[ID_COLUMNS[self.side]].astype(str).tolist()
        texts = list(texts) if texts is not None else RENDERERS[self.side](frame)
        self.dense.add(ids, vectors)
        self.sparse.add(ids, texts)
        fresh = filter_metadata(frame, self.side)
        # A mask, not drop(): drop re-indexes every remaining row by hashing its id (measured by scripts/load_mixed.py).
        self.metadata = pd.concat([self.metadata[~self.metadata.index.isin(ids)], fresh])
        self._metadata_version += 1

    def delete(self, ids: Sequence[str]) -> None:
        """Remove candidates from both channels and the metadata (KeyError for unknown ids)."""
        ids = [str(i) for i in ids]
        self.dense.delete(ids)
        self.sparse.delete(ids)
        self.metadata = self.metadata.drop(index=ids)
        self._metadata_version += 1

    def masks(self, filters: RetrievalFilters) -> tuple[np.ndarray | None, np.ndarray | None]:
        """Allowed-position masks for the dense and the sparse index (None = no filter)."""
        rows = allowed_rows(self.metadata, self.side, filters)
        if rows is None:
            return None, None
        dense = self._positions(self.dense.slots, "dense", rows)
        return dense, self._positions(self.sparse.slots, "sparse", rows)

    def _positions(self, slots: SlotTable, channel: str, rows: np.ndarray) -> np.ndarray:
        """Map a mask over metadata rows onto an index's positions (alignment cached until either changes)."""
        stamp = (slots.generation, len(slots), self._metadata_version)
        cached = self._alignment.get(channel)
        if cached is None or cached[0] != stamp:
            cached = (stamp, self.metadata.index.get_indexer(pd.Index(slots.ids, dtype=object)))
            self._alignment[channel] = cached
        row_of_position = cached[1]
        mask = np.zeros(len(slots), dtype=bool)
        known = row_of_position >= 0
        mask[known] = rows[row_of_position[known]]
        return mask

    def save(self, directory: Path) -> None:
        """Write dense/, sparse/, metadata.parquet and manifest.json, replacing ``directory`` atomically."""
        with atomic_directory(Path(directory)) as staging:
            self.dense.save(staging / DENSE_DIR)
            self.sparse.save(staging / SPARSE_DIR)
            self.metadata.to_parquet(staging / METADATA_FILE)
            if (stamps := self.stamps) is not None:  # read from the directory being replaced, before the swap
                save_stamps(staging, stamps)
            write_manifest(staging / MANIFEST_NAME, {"kind": KIND, "side": self.side, "count": len(self)})

    @classmethod
    def load(cls, directory: Path, side: Side, expected_encoder_hash: str, expected_dim: int,
             expected_bm25: BM25Params | None = None, native: bool = True) -> CandidatePool:
        """Read a saved pool; each part checks its own manifest (IndexMismatchError on a mismatch)."""
        directory = Path(directory)
        recover_interrupted_swap(directory)
        check_manifest(directory, read_manifest(directory / MANIFEST_NAME), {"kind": KIND, "side": side})
        dense = VectorIndex.load(directory / DENSE_DIR, expected_encoder_hash, expected_dim)
        sparse = BM25Index.load(directory / SPARSE_DIR, expected_bm25, native)
        return cls(side, dense, sparse, pd.read_parquet(directory / METADATA_FILE), directory)
