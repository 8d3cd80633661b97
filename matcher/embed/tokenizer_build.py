"""The static model's tokenizer: NFKC/lowercase text, Chinese runs kept whole, Unigram over jieba scores."""
from __future__ import annotations

import math
from collections.abc import Sequence

from tokenizers import Regex, Tokenizer, models, normalizers, pre_tokenizers

UNKNOWN_TOKEN = "[UNK]"
"""Row 0 of every static vocabulary; its embedding is zero, so an unknown piece adds nothing."""

# The pieces the model sees: runs of Han characters and runs of ASCII letters/digits (with the
# '+'/'#' of c++/c#). Everything between them (whitespace, punctuation, other scripts) is dropped,
# so it never produces an unknown token. One inverted Split does this in a single regex pass,
# faster than a Replace normaliser followed by whitespace and script splits (scripts/eval_encoder.py).
_PIECE = Regex(r"\p{Han}+|[a-z0-9+#]+")


def text_normalizer() -> normalizers.Normalizer:
    """NFKC (full-width → half-width, ＣＡＤ → CAD) then lowercase."""
    return normalizers.Sequence([normalizers.NFKC(), normalizers.Lowercase()])


def text_pre_tokenizer() -> pre_tokenizers.PreTokenizer:
    """Keep Han runs and ASCII runs, drop the rest ("熟悉c++/java开发" → 熟悉 / c++ / java / 开发)."""
    return pre_tokenizers.Split(_PIECE, behavior="removed", invert=True)


class PieceSplitter:
    """Cuts text into the pieces the tokenizer segments: the same normaliser and pre-tokenizer."""

    def __init__(self) -> None:
        self._normalizer = text_normalizer()
        self._pre_tokenizer = text_pre_tokenizer()

    def __call__(self, text: str) -> list[str]:
        normalized = self._normalizer.normalize_str(text)
        return [piece for piece, _ in self._pre_tokenizer.pre_tokenize_str(normalized)]


def build_tokenizer(tokens: Sequence[str], probabilities: Sequence[float]) -> Tokenizer:
    """A Unigram tokenizer whose piece scores are log relative frequencies.

    Viterbi over these scores is jieba's maximum-probability segmentation of its dictionary DAG,
    so the static model sees the words jieba would cut. ``tokens[0]`` must be ``UNKNOWN_TOKEN``
    (its probability is ignored); the rest must be normalised and unique, so token id = row.
    """
    if not tokens or tokens[0] != UNKNOWN_TOKEN:
        raise ValueError(f"row 0 must be the unknown token {UNKNOWN_TOKEN!r}, found {list(tokens[:1])}")
    scores = [0.0] + [math.log(p) for p in probabilities[1:]]
    unigram = models.Unigram(list(zip(tokens, scores, strict=True)), unk_id=0, byte_fallback=False)
    tokenizer = Tokenizer(unigram)
    tokenizer.normalizer = text_normalizer()
    tokenizer.pre_tokenizer = text_pre_tokenizer()
    return tokenizer
