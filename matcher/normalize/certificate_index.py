"""Every catalogue name and alias → the canonical certificate it names (the lookup the cell reader uses)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from matcher.catalogs import certificates as catalog
from matcher.catalogs.occupations import level4_occupations
from matcher.normalize.qualification import catalogue_key as _key

SKILL_OCCUPATION_GROUPS = frozenset("3456")
"""大类 of the 职业分类大典 whose occupations are certified by skill level (办事人员 … 生产制造人员)."""


@dataclass(frozen=True)
class Certificate:
    """One certificate named in a cell; ``raw`` is the piece of the cell it was read from."""

    raw: str
    kind: str
    name: str | None
    occupation_code: str | None
    level: int | None
    title_rank: str | None
    grade: str | None = None
    """A graded qualification's own grade (建造师 一级, 教师资格 高级中学, 普通话 二级甲等); never a skill level."""
    speciality: str | None = None
    """Its speciality (专业, 类别, 学科, 语种, 资格名称) as canonical names joined by ·; see qualification.py."""

    @property
    def identity(self) -> tuple[str, str | None, str | None, int | None, str | None, str | None, str | None]:
        """Everything but ``raw``: two pieces with one identity name the same certificate."""
        return (self.kind, self.name, self.occupation_code, self.level, self.title_rank, self.grade,
                self.speciality)


def is_skill_occupation(code: str | None) -> bool:
    return bool(code) and code[0] in SKILL_OCCUPATION_GROUPS


@dataclass(frozen=True)
class CertificateIndex:
    exact: dict[str, Certificate]
    titles: dict[str, str]
    level_tokens: dict[str, int]
    level_pattern: re.Pattern[str]
    occupation_names: dict[str, str]


@lru_cache(maxsize=1)
def certificate_index() -> CertificateIndex:
    """Every catalogue name and alias → its certificate; later sources override earlier ones."""
    occupation_names = {o.code: o.plain_name for o in level4_occupations()}
    level_tokens = {_key(a): s.level for s in catalog.load_skill_levels() for a in s.aliases}
    titles = {_key(t.title): t.rank for t in catalog.load_titles() if _key(t.title) not in level_tokens}
    exact: dict[str, Certificate] = {}
    for code, name in occupation_names.items():
        if is_skill_occupation(code):
            exact[_key(name)] = Certificate("", "skill_level", name, code, None, None)
    for key, rank in titles.items():
        exact[key] = Certificate("", "title", key, None, None, rank)
    for rank in catalog.load_title_ranks():
        exact.update((_key(a), Certificate("", "title", None, None, None, rank.name)) for a in rank.aliases)
    exact.update((token, Certificate("", "skill_level", None, None, level, None))
                 for token, level in level_tokens.items())
    for q in catalog.load_qualifications():
        found = Certificate("", "qualification", q.name, q.occupation_code, None, None)
        exact.update((_key(name), found) for name in (q.name, *q.aliases))
    for op in catalog.load_special_operations():
        found = Certificate("", "special_operation", op.operation, op.occupation_code, None, None)
        exact.update((_key(name), found) for name in (op.operation, *op.aliases))
    for a in catalog.load_certificate_aliases():
        exact[_key(a.alias)] = Certificate("", a.kind, a.name, a.occupation_code, a.level, a.title_rank)
    tokens = sorted(level_tokens, key=len, reverse=True)
    return CertificateIndex(exact, titles, level_tokens, re.compile("|".join(map(re.escape, tokens))), occupation_names)
