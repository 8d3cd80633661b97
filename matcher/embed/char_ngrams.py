"""Character unigram + bigram term counts of texts, hashed into a fixed feature space, vectorised."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import scipy.sparse as sp

TOKENIZER_ID = "nfkc-lower/char1+char2/fibonacci-hash/v1"
DEFAULT_FEATURE_BITS = 22
_SEPARATOR = "\0"
# Compatibility characters NFKC rewrites other than full-width ASCII: ① ㎡ Ⅻ ㈱, compatibility
# ideographs, vertical and small forms, half-width katakana/hangul.
_COMPATIBILITY_FORMS = re.compile(
    "[\u2150-\u218f\u2460-\u24ff\u3200-\u33ff\uf900-\ufaff\ufe10-\ufe6f\uff5f-\uffef]"
)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_BIGRAM_TAG = np.int64(1) << np.int64(42)


@lru_cache(maxsize=1)
def _is_word_char_bmp() -> np.ndarray:
    """(65536,) bool: letters and digits of the Basic Multilingual Plane (CJK included)."""
    return np.fromiter((chr(c).isalnum() for c in range(0x10000)), dtype=bool, count=0x10000)


def hash_terms(keys: np.ndarray, feature_bits: int) -> np.ndarray:
    """Fibonacci hashing of int64 term keys into [0, 2**feature_bits); stable across processes."""
    mixed = keys.astype(np.uint64) * _GOLDEN  # wraps modulo 2**64 on purpose
    return (mixed >> np.uint64(64 - feature_bits)).astype(np.int32)


def _nfkc(text: str) -> str:
    # Full-width forms are folded below in numpy; NFKC (slow on long text) only runs for the rest.
    return unicodedata.normalize("NFKC", text) if _COMPATIBILITY_FORMS.search(text) else text


def _code_points(texts: Sequence[str]) -> np.ndarray:
    """Code points of the texts joined by NUL, NFKC-folded and ASCII lower-cased, as int64."""
    joined = _SEPARATOR.join(_nfkc(t.replace(_SEPARATOR, " ")) for t in texts)
    points = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    full_width = (points >= 0xFF01) & (points <= 0xFF5E)
    points[full_width] -= 0xFEE0  # what NFKC does: Ａ１：→ A1:
    points[points == 0x3000] = ord(" ")
    upper = (points >= ord("A")) & (points <= ord("Z"))
    points[upper] += ord("a") - ord("A")
    return points


def term_counts(texts: Sequence[str], feature_bits: int = DEFAULT_FEATURE_BITS) -> sp.csr_matrix:
    """(n_texts, 2**feature_bits) float32 CSR counts of character unigrams and bigrams.

    Terms are runs of letters/digits after NFKC and ASCII lower-casing; a bigram never spans
    punctuation or whitespace. Every text is handled in one numpy pass over the joined corpus.
    """
    n_features = 1 << feature_bits
    if not texts:
        return sp.csr_matrix((0, n_features), dtype=np.float32)
    rows, features = _hashed_terms(texts, feature_bits)
    counts = sp.csr_matrix(
        (np.ones(len(features), dtype=np.float32), (rows, features)), shape=(len(texts), n_features),
    )
    counts.sum_duplicates()
    return counts


def distinct_terms(texts: Sequence[str], feature_bits: int = DEFAULT_FEATURE_BITS) -> tuple[np.ndarray, np.ndarray]:
    """The nonzero (text, feature) positions of :func:`term_counts`, in its order, without building the matrix:
    a query needs which terms it has, and the matrix costs more than the text's hashing (~0.2 ms)."""
    if not texts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32)
    rows, features = _hashed_terms(texts, feature_bits)
    pairs = np.unique((rows << np.int64(feature_bits)) | features)
    return pairs >> np.int64(feature_bits), (pairs & ((1 << feature_bits) - 1)).astype(np.int32)


def _hashed_terms(texts: Sequence[str], feature_bits: int) -> tuple[np.ndarray, np.ndarray]:
    """Text position (int64) and hashed feature id (int32) of every unigram and bigram occurrence."""
    points = _code_points(texts)
    doc = np.cumsum(points == ord(_SEPARATOR))
    word = np.ones(len(points), dtype=bool)
    in_bmp = points < 0x10000
    word[in_bmp] = _is_word_char_bmp()[points[in_bmp]]
    unigrams = np.flatnonzero(word)
    bigrams = np.flatnonzero(word[:-1] & word[1:])
    keys = np.concatenate([points[unigrams], _BIGRAM_TAG | (points[bigrams] << 21) | points[bigrams + 1]])
    rows = np.concatenate([doc[unigrams], doc[bigrams]])
    return rows, hash_terms(keys, feature_bits)
