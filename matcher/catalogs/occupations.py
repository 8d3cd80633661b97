"""The occupational classification (职业分类大典 2022, catalogs/occupations.csv) as frozen records."""
from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from matcher.catalogs import CATALOG_DIR

OCCUPATIONS_FILE = "occupations.csv"
OCCUPATION_LEVELS = (1, 2, 3, 4)  # 大类, 中类, 小类, 职业
OCCUPATION_LEVEL = 4

_CODE = re.compile(r"\d-\d{2}-\d{2}-\d{2}")
_COLUMNS = ("code", "level", "name", "definition", "aliases")
# The 2022 edition marks green occupations with L and digital ones with S right after the name.
_EDITION_MARKS = re.compile(r"(?<=[\u4e00-\u9fff）)])(L/S|LS|L|S)$")


@dataclass(frozen=True)
class Occupation:
    """One classification entry; level 4 entries are the occupations people hold."""

    code: str
    level: int
    name: str
    definition: str
    aliases: tuple[str, ...]

    @property
    def plain_name(self) -> str:
        """The name without the edition's L (green) / S (digital) marks: 全媒体运营师S → 全媒体运营师."""
        return _EDITION_MARKS.sub("", self.name)

    @property
    def code_prefix(self) -> str:
        """The code without trailing all-zero parts (2-02-00-00 → 2-02); descendants' codes start with it."""
        parts = self.code.split("-")
        while len(parts) > 1 and set(parts[-1]) == {"0"}:
            parts.pop()
        return "-".join(parts)


def _occupation_from_row(path: Path, row_no: int, row: dict[str, str]) -> Occupation:
    def fail(column: str, expected: str) -> ValueError:
        return ValueError(f"{path}, row {row_no}, column {column!r}: "
                          f"got {row.get(column)!r}, expected {expected}")

    if not _CODE.fullmatch(row["code"]):
        raise fail("code", "a code like 6-04-01-01")
    if not row["level"].isdigit() or int(row["level"]) not in OCCUPATION_LEVELS:
        raise fail("level", f"one of {OCCUPATION_LEVELS}")
    if not row["name"]:
        raise fail("name", "a non-empty name")
    aliases = tuple(a.strip() for a in row["aliases"].split("|") if a.strip())
    return Occupation(code=row["code"], level=int(row["level"]), name=row["name"],
                      definition=row["definition"], aliases=aliases)


@lru_cache(maxsize=4)
def load_occupations(catalog_dir: Path = CATALOG_DIR) -> tuple[Occupation, ...]:
    """Every entry of occupations.csv (all four levels) in file order."""
    path = catalog_dir / OCCUPATIONS_FILE
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in _COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}: missing columns {missing}; expected {list(_COLUMNS)}")
        rows = [(row_no, {k: (v or "").strip() for k, v in row.items()}) for row_no, row in
                enumerate(reader, start=2)]
    return _merge_repeats(_occupation_from_row(path, row_no, row) for row_no, row in rows)


def _merge_repeats(occupations: Iterable[Occupation]) -> tuple[Occupation, ...]:
    """The upstream table repeats a few rows (压缩机装配调试工, 修鞋工); keep the first, with all aliases."""
    merged: dict[tuple[str, int], Occupation] = {}
    for occupation in occupations:
        key = (occupation.code, occupation.level)
        if key in merged:
            first = merged[key]
            aliases = tuple(dict.fromkeys(first.aliases + occupation.aliases))
            merged[key] = Occupation(first.code, first.level, first.name, first.definition, aliases)
        else:
            merged[key] = occupation
    return tuple(merged.values())


@lru_cache(maxsize=1)
def _by_code() -> dict[str, Occupation]:
    # 2-03-01-00 is both a 小类 and its only 职业; the deeper entry is the one callers match against.
    ordered = sorted(load_occupations(), key=lambda o: o.level)
    return {occupation.code: occupation for occupation in ordered}


def occupation_by_code(code: str) -> Occupation | None:
    return _by_code().get(code)


def level4_occupations() -> tuple[Occupation, ...]:
    """The occupations proper (level 4; 1,632 distinct codes), the targets of job-title matching."""
    return tuple(o for o in load_occupations() if o.level == OCCUPATION_LEVEL)
