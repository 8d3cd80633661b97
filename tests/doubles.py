"""Test doubles shared across layers."""
from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from matcher.config import Settings


class CharNgramEncoder:
    """An Encoder: signed hashing of character unigrams and bigrams, L2-normalised (empty text → zeros).

    Deterministic and instant, for tests whose subject is not the embedding model; n-gram overlap is
    enough to make 电气工程师 find 电气工程师.
    """

    def __init__(self, dim: int = 64, manifest_hash: str = "test-char-ngram-v1") -> None:
        self.dim, self.manifest_hash = dim, manifest_hash

    def encode(self, texts: Sequence[str], batch_size: int = 1024) -> np.ndarray:
        vectors = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for gram in [*text, *(a + b for a, b in zip(text, text[1:], strict=False))]:
                code = zlib.crc32(gram.encode("utf-8"))
                vectors[row, code % self.dim] += 1.0 if code & 0x10000 else -1.0
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


def char_ngram_loader(data_dir: Path, manifest_hash: str) -> Callable[[Settings], CharNgramEncoder]:
    """A ``load_encoder`` for apps under test: the char n-gram encoder for Matchers opened on ``data_dir``, the
    real loader for any other data dir. Session-scoped fixtures patch it in for the whole session, and a blanket
    lambda changed the encoder of every Matcher later tests opened (and with it which pairs pass the floor)."""
    from matcher.embed.encoder import load_encoder

    def load(settings: Settings) -> CharNgramEncoder:
        if Path(settings.data_dir) == Path(data_dir):
            return CharNgramEncoder(dim=128, manifest_hash=manifest_hash)
        return load_encoder(settings)
    return load
