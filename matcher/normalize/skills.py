"""Skill text (技能, 岗位要求) → canonical skill tokens, via an owned jieba tokenizer and domain terms."""
from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

import jieba

from matcher.catalogs import CATALOG_DIR
from matcher.catalogs.occupations import load_occupations

SKILL_TERMS_FILE = "skill_terms.txt"
CERTIFICATE_ALIASES_FILE = "certificate_aliases.csv"
MAX_TERM_LENGTH = 12
DOMAIN_TERM_FREQUENCY = 5000
CERTIFICATE_SUFFIXES = ("证书", "证", "资格")  # 焊工证 → 焊工 when 焊工 is a domain term

# Words that say how well or whether someone has a skill, not which skill.
STOPWORDS = frozenset("""
熟练 熟练掌握 熟练使用 熟悉 精通 掌握 了解 使用 运用 能够 能 会 可以 具有 具备 拥有 持有 取得 获得 考取 有
相关 工作 经验 以上 以下 左右 优先 良好 较强 强 一定 基本 基础 能力 技能 技术 知识 操作 进行 负责 从事
和 及 与 或 等 的 了 在 是 并 且 对 为 将 把 被 也 都 还 又 及其 以及 并且 或者 其他 其它 各类 各种 相应
年 月 日 个 名 人 位 项 份 证 证书 本人 我 我们 能吃苦 吃苦耐劳 责任心 沟通 团队 合作 团队合作 学习 学习能力
""".split())
_SEPARATORS = re.compile(r"[\s/\\|,，、;；:：()（）\[\]【】<>《》\"'“”‘’·•]+")
_WORD = re.compile(r"[\w+#.\-]+")
_ASCII_LETTER = re.compile(r"[a-z]")
_NUMBER = re.compile(r"[\d.\-%]+")



def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower().strip()


def read_skill_terms(path: Path) -> tuple[list[str], dict[str, str]]:
    """Terms and synonym → canonical pairs from a skill_terms.txt ("canonical|synonym|..." per line)."""
    terms: list[str] = []
    synonyms: dict[str, str] = {}
    for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.split("#", 1)[0] if line.lstrip().startswith("#") else line
        forms = [_normalise(f) for f in line.split("|") if _normalise(f)]
        if not forms:
            continue
        if any(len(f) > MAX_TERM_LENGTH * 2 for f in forms):
            raise ValueError(f"{path}, line {line_no}: got {line!r}, expected short terms separated by '|'")
        terms.extend(forms)
        synonyms.update({form: forms[0] for form in forms[1:]})
    return terms, synonyms


def _catalogue_terms(catalog_dir: Path) -> list[str]:
    """Occupation names and aliases, plus certificate names/aliases when that catalogue exists."""
    texts = []
    for occupation in load_occupations():
        texts.append(occupation.plain_name)
        texts.extend(occupation.aliases)
    certificates = catalog_dir / CERTIFICATE_ALIASES_FILE
    if certificates.exists():
        with certificates.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                texts.extend(row.get(column) or "" for column in ("alias", "name"))
    terms = []
    for text in texts:
        terms.extend(p for p in _SEPARATORS.split(_normalise(text)) if 2 <= len(p) <= MAX_TERM_LENGTH)
    return terms


class SkillTokenizer:
    """Cuts skill text with its own ``jieba.Tokenizer`` (the global ``jieba.dt`` is never touched) and keeps
    the words that name skills: lower-cased, NFKC-normalised, synonyms mapped, stopwords and noise dropped."""

    def __init__(self, terms: Iterable[str] = (), synonyms: Mapping[str, str] | None = None,
                 stopwords: Iterable[str] = STOPWORDS) -> None:
        self._synonyms = dict(synonyms or {})
        self._stopwords = frozenset(stopwords)
        # Synonyms that jieba cannot keep whole (spaces, slashes) are rewritten in the text before cutting.
        self._phrases = sorted((s for s in self._synonyms if not _WORD.fullmatch(s)), key=len, reverse=True)
        self._jieba = jieba.Tokenizer()
        self._jieba.initialize()
        self._terms = frozenset(t for t in terms if _WORD.fullmatch(t))
        for term in self._terms:
            # A fixed high count keeps a domain term whole against the general dictionary's splits.
            self._jieba.add_word(term, freq=DOMAIN_TERM_FREQUENCY)

    @classmethod
    def from_catalogs(cls, catalog_dir: Path = CATALOG_DIR) -> SkillTokenizer:
        terms, synonyms = read_skill_terms(catalog_dir / SKILL_TERMS_FILE)
        return cls(terms=[*terms, *_catalogue_terms(catalog_dir)], synonyms=synonyms)

    def _canonical(self, token: str) -> str:
        for suffix in CERTIFICATE_SUFFIXES:
            stem = token[: -len(suffix)]
            if token.endswith(suffix) and (stem in self._terms or stem in self._synonyms):
                token = stem
                break
        return self._synonyms.get(token, token)

    def _keep(self, token: str) -> bool:
        if token in self._stopwords or _NUMBER.fullmatch(token) or not _WORD.fullmatch(token):
            return False
        return len(token) > 1 or bool(_ASCII_LETTER.fullmatch(token))

    def tokenize(self, text: str | None) -> list[str]:
        """Skill tokens in order of first appearance, each once."""
        if not text:
            return []
        normalised = _normalise(text)
        for phrase in self._phrases:
            normalised = normalised.replace(phrase, f" {self._synonyms[phrase]} ")
        tokens = []
        for token in self._jieba.cut(normalised, HMM=False):
            token = self._canonical(token.strip())
            if self._keep(token):
                tokens.append(token)
        return list(dict.fromkeys(tokens))


@lru_cache(maxsize=1)
def default_skill_tokenizer() -> SkillTokenizer:
    """The tokenizer built from the checked-in catalogues, constructed once per process."""
    return SkillTokenizer.from_catalogs()


def tokenize_skills(text: str | None) -> list[str]:
    return default_skill_tokenizer().tokenize(text)
