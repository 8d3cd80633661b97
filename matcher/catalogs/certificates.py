"""Certificate reference catalogues: skill levels, title ranks and titles, the 2021 qualification list with the
grades and specialities of graded qualifications, special operations, and colloquial certificate aliases
(catalogs/*.csv, see catalogs/SOURCES.md)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from matcher.catalogs import CATALOG_DIR
from matcher.catalogs.rows import read_catalog

SKILL_LEVELS_FILE = "skill_levels.csv"
TITLE_RANKS_FILE = "title_ranks.csv"
TITLES_FILE = "titles.csv"
QUALIFICATIONS_FILE = "qualifications_2021.csv"
SPECIAL_OPERATIONS_FILE = "special_operations.csv"
CERTIFICATE_ALIASES_FILE = "certificate_aliases.csv"
QUALIFICATION_GRADES_FILE = "qualification_grades.csv"
QUALIFICATION_SPECIALITIES_FILE = "qualification_specialities.csv"

CERTIFICATE_KINDS = ("skill_level", "qualification", "title", "special_operation", "other")
SKILL_LEVELS = range(1, 6)
"""1 = 一级/高级技师 (highest) … 5 = 五级/初级工."""
TITLE_RANKS = ("初级", "中级", "副高级", "正高级")
"""Professional title ranks, lowest first; 员级 and 助理级 both count as 初级."""
QUALIFICATION_CATEGORIES = ("professional_technical", "skill")
QUALIFICATION_TYPES = ("准入", "水平评价")
OPERATION_REGIMES = ("特种作业", "特种设备作业", "建筑施工特种作业")


@dataclass(frozen=True)
class SkillLevel:
    level: int
    name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class TitleRank:
    rank: int
    name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Title:
    """One professional title (职称) of one series, e.g. 高级会计师 → 副高级 in 会计人员."""

    title: str
    rank: str
    series: str


@dataclass(frozen=True)
class Qualification:
    """One item of the 国家职业资格目录（2021年版）."""

    id: int
    category: str
    type: str
    name: str
    issuing_body: str
    aliases: tuple[str, ...]
    occupation_code: str | None


@dataclass(frozen=True)
class SpecialOperation:
    """One operation item needing an operation permit (特种作业 / 特种设备作业 / 建筑施工特种作业)."""

    regime: str
    category: str
    code: str
    operation: str
    aliases: tuple[str, ...]
    occupation_code: str | None


@dataclass(frozen=True)
class CertificateAlias:
    """A colloquial certificate name and the canonical certificate it stands for."""

    alias: str
    name: str
    kind: str
    occupation_code: str | None
    level: int | None
    title_rank: str | None


@lru_cache(maxsize=4)
def load_skill_levels(catalog_dir: Path = CATALOG_DIR) -> tuple[SkillLevel, ...]:
    rows = read_catalog(catalog_dir / SKILL_LEVELS_FILE, ("level", "name", "aliases"))
    return tuple(SkillLevel(r.integer("level", SKILL_LEVELS), r.text("name"), r.aliases()) for r in rows)


@lru_cache(maxsize=4)
def load_title_ranks(catalog_dir: Path = CATALOG_DIR) -> tuple[TitleRank, ...]:
    rows = read_catalog(catalog_dir / TITLE_RANKS_FILE, ("rank", "name", "aliases"))
    return tuple(TitleRank(r.integer("rank", range(1, len(TITLE_RANKS) + 1)), r.choice("name", TITLE_RANKS),
                           r.aliases()) for r in rows)


@lru_cache(maxsize=4)
def load_titles(catalog_dir: Path = CATALOG_DIR) -> tuple[Title, ...]:
    rows = read_catalog(catalog_dir / TITLES_FILE, ("title", "rank", "series"))
    return tuple(Title(r.text("title"), r.choice("rank", TITLE_RANKS), r.text("series")) for r in rows)


@lru_cache(maxsize=4)
def load_qualifications(catalog_dir: Path = CATALOG_DIR) -> tuple[Qualification, ...]:
    columns = ("id", "category", "type", "name", "issuing_body", "aliases", "occupation_code")
    rows = read_catalog(catalog_dir / QUALIFICATIONS_FILE, columns)
    return tuple(
        Qualification(id=r.integer("id", range(1, 1000)),
                      category=r.choice("category", QUALIFICATION_CATEGORIES),
                      type=r.choice("type", QUALIFICATION_TYPES), name=r.text("name"),
                      issuing_body=r.text("issuing_body"), aliases=r.aliases(),
                      occupation_code=r.occupation_code())
        for r in rows)


@lru_cache(maxsize=4)
def load_special_operations(catalog_dir: Path = CATALOG_DIR) -> tuple[SpecialOperation, ...]:
    columns = ("regime", "category", "code", "operation", "aliases", "occupation_code")
    rows = read_catalog(catalog_dir / SPECIAL_OPERATIONS_FILE, columns)
    return tuple(
        SpecialOperation(regime=r.choice("regime", OPERATION_REGIMES), category=r.text("category"),
                         code=r.text("code"), operation=r.text("operation"), aliases=r.aliases(),
                         occupation_code=r.occupation_code())
        for r in rows)


@lru_cache(maxsize=4)
def load_certificate_aliases(catalog_dir: Path = CATALOG_DIR) -> tuple[CertificateAlias, ...]:
    columns = ("alias", "name", "kind", "occupation_code", "level", "title_rank")
    rows = read_catalog(catalog_dir / CERTIFICATE_ALIASES_FILE, columns)
    return tuple(
        CertificateAlias(alias=r.text("alias"), name=r.text("name"), kind=r.choice("kind", CERTIFICATE_KINDS),
                         occupation_code=r.occupation_code(), level=r.optional_integer("level", SKILL_LEVELS),
                         title_rank=r.optional_choice("title_rank", TITLE_RANKS))
        for r in rows)


@dataclass(frozen=True)
class QualificationGrade:
    """One grade of a graded qualification (建造师 一级, 教师资格 高级中学, 普通话 二级甲等).

    ``rank`` orders the grades of one qualification, higher is better; equal ranks are interchangeable
    (高级中学 and 中等职业学校 teacher qualifications). ``words`` name the grade beside the qualification
    (一级, 高中); ``aliases`` name qualification and grade at once (一建, 幼师资格证).
    """

    qualification: str
    grade: str
    rank: int
    title_rank: str | None
    words: tuple[str, ...]
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class QualificationSpeciality:
    """One speciality (专业, 类别, 方向, 学科, 语种, 资格名称) of a qualification and how people write it.

    ``broader`` is the speciality this one belongs to (供配电 → 电气), so a requirement for the broader one is
    met by it; ``grade`` is the grade the speciality implies (软考 系统架构设计师 → 高级).
    """

    qualification: str
    speciality: str
    broader: str | None
    grade: str | None
    words: tuple[str, ...]
    aliases: tuple[str, ...]


@lru_cache(maxsize=4)
def load_qualification_grades(catalog_dir: Path = CATALOG_DIR) -> tuple[QualificationGrade, ...]:
    columns = ("qualification", "grade", "rank", "title_rank", "words", "aliases")
    rows = read_catalog(catalog_dir / QUALIFICATION_GRADES_FILE, columns)
    return tuple(
        QualificationGrade(qualification=r.text("qualification"), grade=r.text("grade"),
                           rank=r.integer("rank", range(1, 10)),
                           title_rank=r.optional_choice("title_rank", TITLE_RANKS), words=r.aliases("words"),
                           aliases=r.aliases())
        for r in rows)


@lru_cache(maxsize=4)
def load_qualification_specialities(catalog_dir: Path = CATALOG_DIR) -> tuple[QualificationSpeciality, ...]:
    columns = ("qualification", "speciality", "broader", "grade", "words", "aliases")
    rows = read_catalog(catalog_dir / QUALIFICATION_SPECIALITIES_FILE, columns)
    return tuple(
        QualificationSpeciality(qualification=r.text("qualification"), speciality=r.text("speciality"),
                                broader=r.optional("broader"), grade=r.optional("grade"), words=r.aliases("words"),
                                aliases=r.aliases())
        for r in rows)
