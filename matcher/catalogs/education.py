"""People-side classifications: education levels (ranked 1..6) and talent-programme categories."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from matcher.catalogs import CATALOG_DIR
from matcher.catalogs.rows import read_catalog

EDUCATION_LEVELS_FILE = "education_levels.csv"
TALENT_CATEGORIES_FILE = "talent_categories.csv"
EDUCATION_RANKS = range(1, 7)
"""1 初中及以下, 2 高中/中专, 3 大专, 4 本科, 5 硕士, 6 博士: a higher rank satisfies a lower requirement."""


@dataclass(frozen=True)
class EducationLevel:
    rank: int
    name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class TalentCategory:
    """A talent category a workstation files people under; ``basis`` says where the category comes from."""

    name: str
    aliases: tuple[str, ...]
    basis: str


@lru_cache(maxsize=4)
def load_education_levels(catalog_dir: Path = CATALOG_DIR) -> tuple[EducationLevel, ...]:
    rows = read_catalog(catalog_dir / EDUCATION_LEVELS_FILE, ("rank", "name", "aliases"))
    return tuple(EducationLevel(r.integer("rank", EDUCATION_RANKS), r.text("name"), r.aliases())
                 for r in rows)


@lru_cache(maxsize=4)
def load_talent_categories(catalog_dir: Path = CATALOG_DIR) -> tuple[TalentCategory, ...]:
    rows = read_catalog(catalog_dir / TALENT_CATEGORIES_FILE, ("name", "aliases", "basis"))
    return tuple(TalentCategory(r.text("name"), r.aliases(), r.text("basis")) for r in rows)
