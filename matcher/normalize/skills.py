"""Skill text (技能, 岗位要求, 自我评价) → canonical skills, via an owned jieba tokenizer and the skill vocabulary."""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

import jieba

from matcher.catalogs import CATALOG_DIR
from matcher.normalize.skill_vocabulary import (
    SkillVocabulary,
    normalise_term,
    read_skill_terms,
)

__all__ = ["SkillTokenizer", "default_skill_tokenizer", "read_skill_terms", "tokenize_skills"]

DOMAIN_TERM_FREQUENCY = 5000
# jieba keeps a run of these characters as one piece; a form with other characters (spaces, '/') is
# rewritten to its canonical term in the text before cutting.
_WORD = re.compile(r"[\w+#.\-]+")
_LATIN = re.compile(r"[a-z]")


class SkillTokenizer:
    """Cuts text with its own ``jieba.Tokenizer`` (the global ``jieba.dt`` is never touched), the vocabulary's
    forms added so that the longest known form wins, and keeps only the pieces the vocabulary names a skill:
    each mapped to its canonical term; generic words (公司, 系统, 管理) never pass."""

    def __init__(self, terms: Iterable[str] = (), synonyms: Mapping[str, str] | None = None,
                 generic_words: Iterable[str] = ()) -> None:
        synonyms = dict(synonyms or {})
        lines = [[t] for t in terms] + [[canonical, form] for form, canonical in synonyms.items()]
        self._init(SkillVocabulary.from_lines(lines, generic_words))

    @classmethod
    def from_vocabulary(cls, vocabulary: SkillVocabulary) -> SkillTokenizer:
        tokenizer = cls.__new__(cls)
        tokenizer._init(vocabulary)
        return tokenizer

    @classmethod
    def from_catalogs(cls, catalog_dir: Path = CATALOG_DIR) -> SkillTokenizer:
        return cls.from_vocabulary(SkillVocabulary.from_catalogs(catalog_dir))

    def _init(self, vocabulary: SkillVocabulary) -> None:
        self.vocabulary = vocabulary
        forms = vocabulary.canonical_of
        unwritable = sorted(t for t in vocabulary.terms if not _WORD.fullmatch(t))
        if unwritable:
            raise ValueError(f"skill terms {unwritable[:5]}: a canonical term must be one word (springboot, "
                             f"not 'spring boot'); list the spaced form after it as a synonym")
        self._phrases = sorted((f for f in forms if not _WORD.fullmatch(f)), key=len, reverse=True)
        self._jieba = jieba.Tokenizer()
        self._jieba.initialize()
        for form in forms:
            if _WORD.fullmatch(form):
                # A fixed high count keeps a known form whole against the general dictionary's splits.
                self._jieba.add_word(form, freq=DOMAIN_TERM_FREQUENCY)

    def tokenize(self, text: str | None) -> list[str]:
        """Canonical skills in order of first appearance, each once."""
        if not text:
            return []
        normalised = normalise_term(text)
        for phrase in self._phrases:
            if phrase in normalised:
                normalised = normalised.replace(phrase, f" {self.vocabulary.canonical_of[phrase]} ")
        skills = []
        end = 0
        for piece in self._jieba.cut(normalised, HMM=False):
            start, end = end, end + len(piece)
            skill = self.vocabulary.canonical(piece)
            if skill is not None and not _inside_latin_word(normalised, start, end):
                skills.append(skill)
        return list(dict.fromkeys(skills))


def _inside_latin_word(text: str, start: int, end: int) -> bool:
    """Whether a piece is cut from a longer Latin word: jieba splits "ppr" into p + pr, and pr is Premiere."""
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    return bool((_LATIN.fullmatch(text[start]) and _LATIN.fullmatch(before))
                or (_LATIN.fullmatch(text[end - 1]) and _LATIN.fullmatch(after)))


@lru_cache(maxsize=1)
def default_skill_tokenizer() -> SkillTokenizer:
    """The tokenizer built from the checked-in catalogues, constructed once per process."""
    return SkillTokenizer.from_catalogs()


def tokenize_skills(text: str | None) -> list[str]:
    return default_skill_tokenizer().tokenize(text)
