"""Domain terms from the catalogues (occupations, certificates, regions, industries) for the vocabulary."""
from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

logger = logging.getLogger(__name__)

ALIAS_SEPARATOR = "|"
COMMENT_PREFIX = "#"

# Which columns of which catalogue hold names a talent or a job posting would write.
# Files not checked in yet are skipped, so the vocabulary grows when they arrive.
CATALOGUE_TERM_COLUMNS: dict[str, tuple[str, ...]] = {
    "occupations.csv": ("name", "aliases"),
    "occupation_title_aliases.csv": ("title_pattern",),
    "certificate_aliases.csv": ("alias", "name"),
    "qualifications_2021.csv": ("name", "aliases"),
    "special_operations.csv": ("operation", "aliases"),
    "titles.csv": ("title",),
    "title_ranks.csv": ("name", "aliases"),
    "skill_levels.csv": ("name", "aliases"),
    "education_levels.csv": ("name", "aliases"),
    "talent_categories.csv": ("name", "aliases"),
    "regions.csv": ("name", "short_name"),
    "key_industries.csv": ("name", "aliases"),
    "industries_gbt4754.csv": ("name", "aliases"),
}
# Plain term lists: one "canonical|synonym|..." line per term, '#' starts a comment line.
CATALOGUE_TERM_LISTS: tuple[str, ...] = ("skill_terms.txt",)


def _split_aliases(cell: str) -> list[str]:
    return [term.strip() for term in cell.split(ALIAS_SEPARATOR) if term.strip()]


def _table_terms(path: Path, columns: tuple[str, ...]) -> list[str] | None:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    present = [column for column in columns if column in frame.columns]
    if not present:
        logger.warning("%s has none of the term columns %s; skipped", path, list(columns))
        return None
    return [term for column in present for cell in frame[column] for term in _split_aliases(cell)]


def _list_terms(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [term for line in lines if not line.lstrip().startswith(COMMENT_PREFIX) for term in _split_aliases(line)]


def catalogue_terms(catalog_dir: Path) -> tuple[list[str], list[str]]:
    """Distinct terms (sorted) and the catalogue files they came from, in the order listed above."""
    terms: set[str] = set()
    used_files: list[str] = []
    sources = [*CATALOGUE_TERM_COLUMNS.items(), *((name, None) for name in CATALOGUE_TERM_LISTS)]
    for file_name, columns in sources:
        path = Path(catalog_dir) / file_name
        if not path.is_file():
            logger.info("catalogue %s not present; its terms are not in the vocabulary", path)
            continue
        found = _list_terms(path) if columns is None else _table_terms(path, columns)
        if found is not None:
            terms.update(found)
            used_files.append(file_name)
    return sorted(terms), used_files
