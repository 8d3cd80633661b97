"""Encoder for static-embedding model directories without torch: Rust tokenizer + one sparse-dense product."""
from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from itertools import chain
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file
from scipy import sparse
from tokenizers import Tokenizer

from matcher.embed.encoder import model_fingerprint, require_model_directory

logger = logging.getLogger(__name__)

WEIGHTS_FILE = "model.safetensors"
WEIGHTS_KEY = "embedding.weight"
TOKENIZER_FILE = "tokenizer.json"
# Texts per tokenizer call: the Rust tokenizer spreads a call over all cores, and 4,096 profile
# texts per call run faster than 1,024 (throughput measured by scripts/eval_encoder.py).
STATIC_BATCH_SIZE = 4096
_STATIC_MODULE = "StaticEmbedding"
_NORMALIZE_MODULE = "Normalize"


def is_static_model(path: Path) -> bool:
    """True for a sentence-transformers directory holding only StaticEmbedding (+ Normalize) modules."""
    modules_file = Path(path) / "modules.json"
    if not modules_file.is_file():
        return False
    kinds = [module["type"].rsplit(".", 1)[-1] for module in json.loads(modules_file.read_text(encoding="utf-8"))]
    return (
        bool(kinds)
        and kinds[0] == _STATIC_MODULE
        and all(kind == _NORMALIZE_MODULE for kind in kinds[1:])
        and (Path(path) / WEIGHTS_FILE).is_file()
    )


class StaticEncoder:
    """The same vectors as ``SentenceTransformer(path).encode(..., normalize_embeddings=True)``, faster.

    A static model is a lookup and a mean. In torch every batch pays for the intra-op thread
    pool, most of its time on a busy machine (measured by scripts/eval_encoder.py), and importing
    torch is slow. Here the mean is one scipy CSR product
    and the tokenizer is the same Rust ``encode_batch``; the mean's 1/length is skipped
    because rows are L2-normalised anyway.
    """

    def __init__(self, tokenizer: Tokenizer, weights: np.ndarray, manifest_hash: str, path: Path) -> None:
        if weights.ndim != 2 or weights.shape[0] != tokenizer.get_vocab_size():
            raise ValueError(
                f"{path}: {WEIGHTS_FILE} has shape {weights.shape}, expected "
                f"({tokenizer.get_vocab_size()}, dim) for the {tokenizer.get_vocab_size()} tokens of {TOKENIZER_FILE}"
            )
        tokenizer.no_padding()
        tokenizer.no_truncation()
        self._tokenizer = tokenizer
        self._weights = np.ascontiguousarray(weights, dtype=np.float32)
        self._manifest_hash = manifest_hash
        self.path = path

    @classmethod
    def load(cls, path: str | Path) -> StaticEncoder:
        """Load a static model directory (checked against its manifest like any other model)."""
        path = require_model_directory(path)
        if not is_static_model(path):
            raise ValueError(f"{path}: not a static-embedding model (modules.json lists other modules)")
        fingerprint = model_fingerprint(path)
        tensors = load_file(str(path / WEIGHTS_FILE))
        if WEIGHTS_KEY not in tensors:
            raise ValueError(f"{path / WEIGHTS_FILE}: no {WEIGHTS_KEY!r} tensor (found {sorted(tensors)})")
        tokenizer = Tokenizer.from_file(str(path / TOKENIZER_FILE))
        logger.info("loaded static encoder %s (manifest %s)", path, fingerprint[:12])
        return cls(tokenizer, tensors[WEIGHTS_KEY], fingerprint, path)

    @property
    def dim(self) -> int:
        return int(self._weights.shape[1])

    @property
    def manifest_hash(self) -> str:
        return self._manifest_hash

    def encode(self, texts: Sequence[str], batch_size: int = STATIC_BATCH_SIZE) -> np.ndarray:
        """(len(texts), dim) float32, rows L2-normalised (a text with no known piece gives a zero row)."""
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), batch_size):
            batch = list(texts[start : start + batch_size])
            out[start : start + len(batch)] = self._encode_batch(batch)
        return out

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        ids = [encoding.ids for encoding in self._tokenizer.encode_batch(texts, add_special_tokens=False)]
        indptr = np.zeros(len(ids) + 1, dtype=np.int64)
        np.cumsum([len(row) for row in ids], out=indptr[1:])
        indices = np.fromiter(chain.from_iterable(ids), dtype=np.int64, count=int(indptr[-1]))
        counts = sparse.csr_matrix(
            (np.ones(len(indices), dtype=np.float32), indices, indptr), shape=(len(ids), self._weights.shape[0])
        )
        sums = np.asarray(counts @ self._weights, dtype=np.float32)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        return np.divide(sums, norms, out=np.zeros_like(sums), where=norms > 0)
