"""The skill vocabulary: which words name a skill, their canonical forms, and the generic words that never do."""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

SKILL_TERMS_FILE = "skill_terms.txt"
"""Hand-written terms and synonyms (IT, tools, trades as people write them); wins over the derived file."""
DERIVED_TERMS_FILE = "skill_terms_derived.txt"
"""Terms derived from the other catalogues by scripts/build_catalogs.py --skill-terms."""
GENERIC_WORDS_FILE = "skill_generic_words.txt"
"""Hand-written deny list: words that never count as a skill, alone (公司, 系统, 管理, 维护 …)."""
MAX_TERM_LENGTH = 24
MAX_SYNONYM_CHAIN = 8
# 焊工证 → 焊工, 电梯修理证 → 电梯修理 when the stem is a term; the longest ending is tried first.
TRADE_SUFFIXES = ("工", "员", "师")
CERTIFICATE_SUFFIXES = ("操作证", "上岗证", "作业证", "资格证", "执业证", "证书", "资格", "证")
_CERTIFICATE_LAST_CHARACTERS = frozenset(suffix[-1] for suffix in CERTIFICATE_SUFFIXES)


def normalise_term(text: str) -> str:
    """NFKC, lower case, trimmed: ＰＬＣ → plc, Spring Boot → spring boot."""
    return unicodedata.normalize("NFKC", text).lower().strip()


def read_term_lines(path: Path) -> list[list[str]]:
    """The forms of each ``canonical|synonym|…`` line of a term file; lines starting with '#' are comments."""
    lines = []
    for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.lstrip().startswith("#"):
            continue
        forms = [f for f in (normalise_term(part) for part in line.split("|")) if f]
        if any(len(f) > MAX_TERM_LENGTH for f in forms):
            raise ValueError(f"{path}, line {line_no}: got {line!r}, expected short terms separated by '|'")
        if forms:
            lines.append(forms)
    return lines


def read_skill_terms(path: Path) -> tuple[list[str], dict[str, str]]:
    """Every form of a term file in order, and synonym → canonical pairs."""
    lines = read_term_lines(path)
    terms = [form for forms in lines for form in forms]
    synonyms = {form: forms[0] for forms in lines for form in forms[1:]}
    return terms, synonyms


def read_generic_words(path: Path) -> frozenset[str]:
    """Whitespace-separated words of the deny list; '#' starts a comment line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(normalise_term(w) for line in lines if not line.lstrip().startswith("#") for w in line.split())


@dataclass(frozen=True)
class SkillVocabulary:
    """Surface form → canonical skill; a form or canonical term in ``generic`` is never a skill."""

    canonical_of: Mapping[str, str]
    generic: frozenset[str]

    @classmethod
    def from_lines(cls, lines: Iterable[list[str]], generic: Iterable[str] = ()) -> SkillVocabulary:
        """Later lines win: a form placed by an earlier line moves to the later line's canonical term."""
        mapping: dict[str, str] = {}
        for forms in lines:
            mapping.update({form: forms[0] for form in forms})
        _fold_trade_names(mapping)
        generic = frozenset(generic)
        resolved = {form: _resolve(mapping, form) for form in mapping}
        return cls({form: term for form, term in resolved.items() if form not in generic and term not in generic},
                   generic)

    @classmethod
    def from_catalogs(cls, catalog_dir: Path) -> SkillVocabulary:
        derived = catalog_dir / DERIVED_TERMS_FILE
        lines = [*(read_term_lines(derived) if derived.is_file() else []),
                 *read_term_lines(catalog_dir / SKILL_TERMS_FILE)]
        return cls.from_lines(lines, read_generic_words(catalog_dir / GENERIC_WORDS_FILE))

    @property
    def terms(self) -> frozenset[str]:
        """The canonical skills."""
        return frozenset(self.canonical_of.values())

    def canonical(self, form: str) -> str | None:
        """The canonical skill a written form names, trying it without a certificate ending; None if none."""
        found = self.canonical_of.get(form)
        if found is not None or form[-1:] not in _CERTIFICATE_LAST_CHARACTERS:
            return found
        for suffix in CERTIFICATE_SUFFIXES:
            if form.endswith(suffix) and len(form) > len(suffix):
                return self.canonical_of.get(form[: -len(suffix)])
        return None


def _fold_trade_names(mapping: dict[str, str]) -> None:
    """A term naming who does a skill maps to the skill when that is a term: 电梯维修工 → 电梯维修,
    农业技术员 → 农业技术; 焊工 stays (焊 is not a term)."""
    for form, term in list(mapping.items()):
        if form == term and form.endswith(TRADE_SUFFIXES) and mapping.get(form[:-1], form) != form:
            mapping[form] = form[:-1]


def _resolve(mapping: Mapping[str, str], form: str) -> str:
    """Follow synonym → canonical links (电焊工 → 电焊 → 焊接) to a term that maps to itself."""
    term = mapping[form]
    for _ in range(MAX_SYNONYM_CHAIN):
        nxt = mapping.get(term, term)
        if nxt == term:
            return term
        term = nxt
    raise ValueError(f"skill terms: synonyms of {form!r} form a cycle; each form must lead to one canonical term")
