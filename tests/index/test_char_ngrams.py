"""The compiled tokenizer against a character-by-character oracle of what char_ngrams documents."""
from __future__ import annotations

import numpy as np

from matcher.index.char_ngrams import DEFAULT_FEATURE_BITS, _hashed_terms, hash_terms, term_occurrences


def oracle(texts: list[str], bits: int = DEFAULT_FEATURE_BITS) -> tuple[list[int], list[int]]:
    """Unigrams of every text in order, then bigrams: full-width ASCII and the ideographic space folded,
    ASCII lower-cased, letters and digits (and anything beyond the BMP) as word characters."""
    def fold(c: str) -> int:
        point = ord(c)
        if 0xFF01 <= point <= 0xFF5E:
            point -= 0xFEE0
        elif point == 0x3000:
            point = 0x20
        return point + 0x20 if 0x41 <= point <= 0x5A else point

    points, docs = [], []
    for doc, text in enumerate(texts):
        if doc:
            points.append(0)
            docs.append(doc)
        for c in text:
            points.append(fold(c))
            docs.append(doc)
    word = [p >= 0x10000 or chr(p).isalnum() for p in points]
    keys = [(docs[i], p) for i, p in enumerate(points) if word[i]]
    keys += [(docs[i], (1 << 42) | (points[i] << 21) | points[i + 1])
             for i in range(len(points) - 1) if word[i] and word[i + 1]]
    hashed = hash_terms(np.array([k for _, k in keys], dtype=np.int64), bits)
    return [d for d, _ in keys], hashed.tolist()


def test_terms_equal_the_oracle():
    texts = ["焊工 氩弧焊", "ＡＢ１：x\u3000y", "", "MiXeD 42", "𠀀𠀁x", "a-b_c", "  ", "电焊工（二级）"]
    rows, features = _hashed_terms(texts, DEFAULT_FEATURE_BITS)
    assert (rows.tolist(), features.tolist()) == oracle(texts)
    assert rows.dtype == np.int64 and features.dtype == np.int32


def test_term_occurrences_keep_repeats_in_the_oracle_order():
    texts = ["焊工焊工", "", "ab ab"]
    rows, features = term_occurrences(texts)
    assert (rows.tolist(), features.tolist()) == oracle(texts)
    assert rows.tolist() == [0, 0, 0, 0, 2, 2, 2, 2, 0, 0, 0, 2, 2]  # unigrams, then bigrams: repeats kept
    assert [len(a) for a in term_occurrences([])] == [0, 0]
