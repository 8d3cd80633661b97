"""The national catalogues of majors (本科 2024, 职业教育 2021) and the occupations each major leads to.

catalogs/majors.csv holds one row per major (code, name, level, 门类 or 专业大类, 专业类, aliases as people
write them); catalogs/major_occupations.csv links a major code to 职业分类大典 2022 codes at the 中类,
小类 or occupation level. A major's occupation prefixes (2-05-08, 6-31-01-03) are what major fit compares
a job's occupation code against.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from matcher.catalogs import CATALOG_DIR
from matcher.catalogs.occupations import load_occupations
from matcher.catalogs.rows import CatalogRow, read_catalog

MAJORS_FILE = "majors.csv"
MAJOR_OCCUPATIONS_FILE = "major_occupations.csv"
MAJOR_LEVELS = ("本科", "高职", "中职")
"""本科: 普通高等学校本科专业目录; 高职: 高职专科 (and 高职本科) and 中职 of the 职业教育专业目录（2021年）."""

_MAJOR_COLUMNS = ("code", "name", "level", "category", "major_class", "aliases")
_LINK_COLUMNS = ("major_code", "occupation_code")
# Six digits, then the catalogues' marks: K (国家控制布点), T (特设), TK.
_MAJOR_CODE = re.compile(r"\d{6}(?:TK|K|T)?")


@dataclass(frozen=True)
class MajorEntry:
    """One catalogue major; ``occupation_prefixes`` are 大典 codes without trailing -00 parts."""

    code: str
    name: str
    level: str
    category: str
    major_class: str
    aliases: tuple[str, ...]
    occupation_prefixes: tuple[str, ...]


@lru_cache(maxsize=4)
def load_majors(catalog_dir: Path = CATALOG_DIR) -> tuple[MajorEntry, ...]:
    """Every major of majors.csv in file order, each with the occupation prefixes it leads to."""
    rows = read_catalog(catalog_dir / MAJORS_FILE, _MAJOR_COLUMNS)
    links = _occupation_links(catalog_dir, {row.values["code"] for row in rows})
    majors = []
    for row in rows:
        code = _major_code(row, "code")
        if code not in links:
            raise row.fail("code", f"a major with at least one row in {MAJOR_OCCUPATIONS_FILE}")
        majors.append(MajorEntry(code=code, name=row.text("name"), level=row.choice("level", MAJOR_LEVELS),
                                 category=row.text("category"), major_class=row.text("major_class"),
                                 aliases=row.aliases(), occupation_prefixes=links[code]))
    return tuple(majors)


def _major_code(row: CatalogRow, column: str) -> str:
    value = row.values[column]
    if not _MAJOR_CODE.fullmatch(value):
        raise row.fail(column, "a catalogue major code such as 080601, 101101 or 100201K")
    return value


def _occupation_links(catalog_dir: Path, major_codes: set[str]) -> dict[str, tuple[str, ...]]:
    """major code → its occupation prefixes; every code must name a major and an existing 大典 entry."""
    prefixes = {o.code: o.code_prefix for o in load_occupations()}
    links: dict[str, list[str]] = defaultdict(list)
    for row in read_catalog(catalog_dir / MAJOR_OCCUPATIONS_FILE, _LINK_COLUMNS):
        major = _major_code(row, "major_code")
        if major not in major_codes:
            raise row.fail("major_code", f"a code listed in {MAJORS_FILE}")
        occupation = row.occupation_code("occupation_code")
        if occupation is None or occupation not in prefixes:
            raise row.fail("occupation_code", "a code of catalogs/occupations.csv (大典 2022)")
        if prefixes[occupation] in links[major]:
            raise row.fail("occupation_code", f"an occupation not already linked to {major}")
        links[major].append(prefixes[occupation])
    return {major: tuple(found) for major, found in links.items()}


def major_by_code(code: str) -> MajorEntry | None:
    return _by_code().get(code)


@lru_cache(maxsize=1)
def _by_code() -> dict[str, MajorEntry]:
    return {major.code: major for major in load_majors()}

