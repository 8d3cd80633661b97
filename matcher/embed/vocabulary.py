"""The static model's vocabulary: frequent jieba words, every CJK character, ASCII pieces, catalogue terms."""
from __future__ import annotations

import re
import string
from collections.abc import Iterable
from pathlib import Path

import jieba
import numpy as np
import pandas as pd

from matcher.embed.tokenizer_build import UNKNOWN_TOKEN, PieceSplitter

TOKEN = "token"
PROBABILITY = "probability"
"""Relative frequency: the Unigram score is its log, the SIF weight is a / (a + probability)."""
SOURCE = "source"

SOURCE_UNKNOWN = "unknown"
SOURCE_JIEBA = "jieba_word"
SOURCE_CHARACTER = "character"
SOURCE_ASCII = "ascii"
SOURCE_CATALOGUE = "catalogue"

# Technical words common in Chinese CVs and postings that jieba's dictionary lacks; letters and
# digits alone would cover them, but as whole pieces they carry the teacher's meaning.
TECH_TERMS: tuple[str, ...] = (
    "python", "java", "javascript", "c++", "c#", "go", "golang", "php", "sql", "mysql", "oracle", "linux",
    "windows", "android", "ios", "html", "css", "vue", "react", "spring", "docker", "kubernetes", "hadoop",
    "spark", "excel", "word", "ppt", "office", "cad", "autocad", "cam", "cae", "solidworks", "ug", "catia",
    "proe", "revit", "bim", "plc", "cnc", "dcs", "scada", "erp", "sap", "mes", "crm", "pcb", "smt", "fpga",
    "arm", "mcu", "ai", "it", "ui", "ux", "qa", "hr", "pmp", "cpa", "acca", "cfa", "mba", "gmp", "iso",
    "haccp", "5g", "3d", "iot", "gps", "gis", "seo", "app", "api", "matlab", "labview", "photoshop", "ps",
)


# Basic CJK ideographs are unchanged by NFKC and lowercasing, so such a word is already one piece;
# checking this first skips the tokenizer round trip for ~99% of jieba's 349k entries.
_PLAIN_HAN_WORD = re.compile("[\u4e00-\u9fff]+")


def jieba_dictionary_path() -> Path:
    """jieba's bundled dict.txt: one ``word frequency pos`` line per entry."""
    return Path(jieba.__file__).resolve().parent / "dict.txt"


def read_jieba_frequencies(path: Path, split: PieceSplitter) -> tuple[dict[str, int], int]:
    """Normalised word → count for entries the tokenizer can produce whole, and the total of all counts.

    Entries that mix scripts ("b超", "t恤") are dropped: the pre-tokenizer cuts them apart.
    """
    counts: dict[str, int] = {}
    total = 0
    with Path(path).open(encoding="utf-8") as handle:
        for line_number, line in enumerate(handle, start=1):
            fields = line.split()
            if len(fields) < 2 or not fields[1].isdigit():
                found = line.strip()
                raise ValueError(f"{path}:{line_number}: expected 'word frequency [pos]', found {found!r}")
            count = int(fields[1])
            total += count
            word = fields[0]
            pieces = [word] if _PLAIN_HAN_WORD.fullmatch(word) else split(word)
            if len(pieces) == 1:
                counts[pieces[0]] = max(count, counts.get(pieces[0], 0))
    return counts, total


def _is_cjk(character: str) -> bool:
    return "\u3400" <= character <= "\u9fff" or "\U00020000" <= character <= "\U0002ffff"


def build_vocabulary(word_count: int, terms: Iterable[str], dictionary: Path | None = None) -> pd.DataFrame:
    """Rows TOKEN, PROBABILITY, SOURCE; row 0 is the unknown token, the rest unique normalised pieces.

    Holds the ``word_count`` most frequent jieba words, every CJK character of jieba's dictionary,
    ASCII letters, digits and ``TECH_TERMS``, and the pieces of ``terms`` (catalogue names).
    A piece jieba knows keeps jieba's frequency; a catalogue or technical piece it does not know
    gets the median frequency of the chosen words; a bare character or letter jieba lacks gets
    the smallest, so the tokenizer only falls back to it when nothing longer matches.
    """
    if word_count < 0:
        raise ValueError(f"word_count must be >= 0, got {word_count}")
    split = PieceSplitter()
    counts, total = read_jieba_frequencies(dictionary or jieba_dictionary_path(), split)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:word_count]
    floor = min(counts.values()) / total
    typical = float(np.median([count for _, count in ranked])) / total if ranked else floor

    def known(piece: str, default: float) -> float:
        return counts[piece] / total if piece in counts else default

    rows: dict[str, tuple[float, str]] = {UNKNOWN_TOKEN: (float("nan"), SOURCE_UNKNOWN)}
    for word, count in ranked:
        rows.setdefault(word, (count / total, SOURCE_JIEBA))
    for character in sorted({c for word in counts for c in word if _is_cjk(c)}):
        rows.setdefault(character, (known(character, floor), SOURCE_CHARACTER))
    for piece in string.ascii_lowercase + string.digits + "+#":
        rows.setdefault(piece, (known(piece, floor), SOURCE_ASCII))
    for piece in TECH_TERMS:
        rows.setdefault(piece, (known(piece, typical), SOURCE_ASCII))
    for term in terms:
        for piece in split(term):
            rows.setdefault(piece, (known(piece, typical), SOURCE_CATALOGUE))
    return pd.DataFrame(
        [(token, probability, source) for token, (probability, source) in rows.items()],
        columns=[TOKEN, PROBABILITY, SOURCE],
    )
