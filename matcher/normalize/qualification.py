"""Graded qualifications as people write them (一级建造师（机电）, 高中数学教师资格证, CATTI二级笔译, 普通话二甲):
the qualification, its grade and its speciality, read from catalogs/qualification_grades.csv and
catalogs/qualification_specialities.csv.

A grade here is the qualification's own (建造师 一级, 教师资格 高级中学), never a 职业技能等级: the text 一级
beside 建造师 is not 高级技师. A speciality is stored as its canonical names joined by ``·`` in catalogue
order, each narrower one with its broader one (注册电气工程师（供配电） → 电气·供配电), so a requirement for
the broader speciality is met by the narrower (see matcher.normalize.qualification_fit).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from matcher.catalogs import certificates as catalog

SPECIALITY_SEPARATOR = "·"
_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "[": "(", "]": ")"})
_FILLER = re.compile(r"及以上|以上|证书|证件|证|执业资格|职业资格|资格|执业|专业|类别|方向|考试|合格|注册|水平"
                     r"|等级|测试|学段|学科|科目|全科|教师|老师|全国|国家|[()/:\-—·+]")
_BRACKETED = re.compile(r"\([^()]*\)")


@dataclass(frozen=True)
class GradedReading:
    """What a piece of a cell says about one graded qualification."""

    kind: str
    name: str
    occupation_code: str | None
    grade: str | None
    speciality: str | None
    title_rank: str | None


@dataclass
class _Scale:
    """One graded qualification: its grades, specialities and the words naming them."""

    kind: str
    occupation_code: str | None
    grade_titles: dict[str, str | None] = field(default_factory=dict)
    speciality_order: dict[str, int] = field(default_factory=dict)
    broader: dict[str, str] = field(default_factory=dict)
    implied_grade: dict[str, str] = field(default_factory=dict)
    words: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    pattern: re.Pattern[str] = field(default_factory=lambda: _alternation(()))
    """All of ``words``, longest first; set once the words are known."""

    def read(self, text: str) -> tuple[list[str], list[str], str]:
        """Grades and specialities named in ``text`` (longest words first) and what is left of it."""
        grades, specialities = [], []
        for match in self.pattern.finditer(text):
            grade, speciality = self.words[match.group()]
            grades.extend([grade] if grade else [])
            specialities.extend([speciality] if speciality else [])
        return grades, specialities, self.pattern.sub(" ", text)

    def speciality(self, names: Iterable[str]) -> str | None:
        found = set(names)
        found |= {self.broader[n] for n in found if n in self.broader}
        ordered = sorted(found, key=self.speciality_order.__getitem__)
        return SPECIALITY_SEPARATOR.join(ordered) or None


@dataclass(frozen=True)
class _Surface:
    qualification: str
    grade: str | None
    specialities: tuple[str, ...]


@dataclass(frozen=True)
class _Index:
    scales: dict[str, _Scale]
    surfaces: dict[str, _Surface]
    pattern: re.Pattern[str]


def read_graded(text: str, strict: bool = True) -> GradedReading | None:
    """The graded qualification ``text`` names, or None when it names none.

    ``text`` is a cleaned piece of a cell (matcher.normalize.certificate's key form: NFKC, no spaces, upper
    case). Strict: every part of the text must be the qualification, a grade, a speciality or a filler word
    (证书, 专业, 类别 …); otherwise words not understood may stand in brackets (中职教师资格证（机械）) and are
    ignored, while words outside brackets (执业药师上岗) mean the text is something else.
    """
    index = _index()
    groups: dict[str, list[tuple[re.Match[str], _Surface]]] = {}
    for match in index.pattern.finditer(text):
        surface = index.surfaces[match.group()]
        groups.setdefault(surface.qualification, []).append((match, surface))
    if not groups:
        return None
    name = max(groups, key=lambda q: sum(len(m.group()) for m, _ in groups[q]))
    scale = index.scales[name]
    grades = [s.grade for _, s in groups[name] if s.grade]
    specialities = [sp for _, s in groups[name] for sp in s.specialities]
    rest = index.pattern.sub(lambda m: m.group() if index.surfaces[m.group()].qualification != name else " ", text)
    more_grades, more_specialities, rest = scale.read(rest)
    if _FILLER.sub("", rest if strict else _BRACKETED.sub("", rest)).strip():
        return None
    speciality_names = [*specialities, *more_specialities]
    grade = next(iter([*grades, *more_grades]), None)
    if grade is None:
        grade = next((scale.implied_grade[s] for s in speciality_names if s in scale.implied_grade), None)
    return GradedReading(scale.kind, name, scale.occupation_code, grade, scale.speciality(speciality_names),
                         scale.grade_titles.get(grade) if grade else None)


def grade_ranks() -> dict[tuple[str, str], int]:
    """(qualification, grade) → its rank within the qualification, higher is better."""
    return {(g.qualification, g.grade): g.rank for g in catalog.load_qualification_grades()}


def speciality_parts(speciality: str | None) -> frozenset[str]:
    """The canonical speciality names of a stored speciality (电气·供配电 → {电气, 供配电})."""
    return frozenset(speciality.split(SPECIALITY_SEPARATOR)) if speciality else frozenset()


def graded_names() -> frozenset[str]:
    """Every qualification read here (the names of catalogs/qualification_grades.csv and _specialities.csv)."""
    return frozenset(_index().scales)


def catalogue_key(text: str) -> str:
    """Catalogue names and cell text compared alike: NFKC, no spaces, ASCII brackets, upper case."""
    return tidy(text).upper()


def tidy(text: str) -> str:
    """NFKC, no spaces, ASCII brackets."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).translate(_BRACKETS)


_key = catalogue_key


def _scales() -> dict[str, _Scale]:
    items = {q.name: q for q in catalog.load_qualifications()}
    others = {a.name: a for a in catalog.load_certificate_aliases()}
    scales: dict[str, _Scale] = {}

    def scale(name: str) -> _Scale:
        if name not in scales:
            item = items.get(name)
            kind = "qualification" if item else others[name].kind
            scales[name] = _Scale(kind, item.occupation_code if item else others[name].occupation_code)
        return scales[name]

    for g in catalog.load_qualification_grades():
        found = scale(g.qualification)
        found.grade_titles[g.grade] = g.title_rank
        found.words.update((_key(w), (g.grade, None)) for w in g.words)
    for s in catalog.load_qualification_specialities():
        found = scale(s.qualification)
        found.speciality_order[s.speciality] = len(found.speciality_order)
        found.broader.update({s.speciality: s.broader} if s.broader else {})
        found.implied_grade.update({s.speciality: s.grade} if s.grade else {})
        found.words.update((_key(w), (None, s.speciality)) for w in s.words)
    for found in scales.values():
        found.pattern = _alternation(found.words)
    return scales


def _stems(scales: dict[str, _Scale]) -> Iterable[tuple[str, str]]:
    """(qualification, name) for every name of a graded qualification that carries no grade of its own."""
    for item in catalog.load_qualifications():
        if item.name in scales:
            yield from ((item.name, n) for n in (item.name, *item.aliases))
    for alias in catalog.load_certificate_aliases():
        if alias.name in scales and alias.level is None and alias.title_rank is None:
            yield from ((alias.name, n) for n in (alias.name, alias.alias))


@lru_cache(maxsize=1)
def _index() -> _Index:
    """Every way of writing a graded qualification → the qualification, with the grade and specialities the
    name itself carries (幼儿园教师资格 → 幼儿园, 注册结构工程师 → 结构); grade and speciality aliases win."""
    scales = _scales()
    surfaces: dict[str, _Surface] = {}
    for name, stem in _stems(scales):
        surfaces[_key(stem)] = _surface(scales, name, stem, None, ())
    for g in catalog.load_qualification_grades():
        surfaces.update((_key(a), _surface(scales, g.qualification, a, g.grade, ())) for a in g.aliases)
    for s in catalog.load_qualification_specialities():
        surfaces.update((_key(a), _surface(scales, s.qualification, a, s.grade, (s.speciality,))) for a in s.aliases)
    return _Index(scales, surfaces, _alternation(surfaces))


def _surface(scales: dict[str, _Scale], name: str, alias: str, grade: str | None,
             specialities: tuple[str, ...]) -> _Surface:
    """An alias with what its row states, plus what its own words name (一级注册结构工程师 → 一级 and 结构)."""
    grades, named, _ = scales[name].read(_key(alias))
    return _Surface(name, grade or next(iter(grades), None), tuple(dict.fromkeys((*specialities, *named))))


def _alternation(words: Iterable[str]) -> re.Pattern[str]:
    ordered = sorted(words, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, ordered)) or r"(?!)")
