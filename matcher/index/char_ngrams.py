"""Character unigram + bigram term counts of texts, hashed into a fixed feature space, vectorised."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import cache, lru_cache

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
"""Set in a bigram's key (two code points of 21 bits each below it), so no bigram key equals a unigram's."""


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
    """Code points of the texts joined by NUL (NFKC only where needed: see :func:`_nfkc`), as uint32; the rest
    of the folding is done by :func:`_terms`."""
    joined = _SEPARATOR.join(_nfkc(t.replace(_SEPARATOR, " ")) for t in texts)
    return np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)


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
    a query needs which terms it has, and the matrix costs more than the text's hashing (scripts/bench_retrieval.py)."""
    if not texts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32)
    rows, features = _hashed_terms(texts, feature_bits)
    pairs = np.unique((rows << np.int64(feature_bits)) | features)
    return pairs >> np.int64(feature_bits), (pairs & ((1 << feature_bits) - 1)).astype(np.int32)


def term_occurrences(texts: Sequence[str],
                     feature_bits: int = DEFAULT_FEATURE_BITS) -> tuple[np.ndarray, np.ndarray]:
    """Text position (int64) and feature id (int32) of every unigram and bigram occurrence, repeats included:
    what a query's weights need when setting a weight twice does no harm, without :func:`distinct_terms`'
    pass over the pairs."""
    if not texts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32)
    return _hashed_terms(texts, feature_bits)


def _hashed_terms(texts: Sequence[str], feature_bits: int) -> tuple[np.ndarray, np.ndarray]:
    """Text position (int64) and hashed feature id (int32) of every unigram and bigram occurrence: every
    unigram in text order, then every bigram."""
    return _compiled()(_code_points(texts), _is_word_char_bmp(), np.uint64(feature_bits))


def _terms(points: np.ndarray, word_bmp: np.ndarray, feature_bits: np.uint64) -> tuple[np.ndarray, np.ndarray]:
    """The folding and hashing of one pass over the code points (compiled): full-width ASCII to ASCII and the
    ideographic space to a space (what NFKC does), ASCII lower-cased; letters and digits are word characters
    (all of them beyond the Basic Multilingual Plane); a bigram is two adjacent word characters, so none spans
    punctuation, space or the NUL between texts. Keys are hashed as :func:`hash_terms` hashes them (the
    tests check the two agree)."""
    n = points.shape[0]
    folded = np.empty(n, dtype=np.int64)
    word = np.empty(n, dtype=np.bool_)
    doc = np.empty(n, dtype=np.int64)
    current, unigrams, bigrams = 0, 0, 0
    for i in range(n):
        c = np.int64(points[i])
        if 0xFF01 <= c <= 0xFF5E:
            c -= 0xFEE0
        elif c == 0x3000:
            c = 0x20
        if 0x41 <= c <= 0x5A:
            c += 0x20
        if c == 0:
            current += 1
        folded[i], doc[i] = c, current
        word[i] = word_bmp[c] if c < 0x10000 else True
        unigrams += word[i]
        if i and word[i] and word[i - 1]:
            bigrams += 1
    rows = np.empty(unigrams + bigrams, dtype=np.int64)
    features = np.empty(unigrams + bigrams, dtype=np.int32)
    shift = np.uint64(64) - feature_bits
    k = 0
    for i in range(n):
        if word[i]:
            rows[k] = doc[i]
            features[k] = np.int32((np.uint64(folded[i]) * _GOLDEN) >> shift)
            k += 1
    for i in range(n - 1):
        if word[i] and word[i + 1]:
            key = _BIGRAM_TAG | (folded[i] << np.int64(21)) | folded[i + 1]
            rows[k] = doc[i]
            features[k] = np.int32((np.uint64(key) * _GOLDEN) >> shift)
            k += 1
    return rows, features


@cache
def _compiled():
    """:func:`_terms` compiled by numba on first use (cached beside this file, as matcher.index.postings does)."""
    from numba import njit

    return njit(cache=True, nogil=True)(_terms)
