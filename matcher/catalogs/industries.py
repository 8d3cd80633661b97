"""Industry catalogues: GB/T 4754-2017 sections and divisions, and the 14 key industries mapped onto them."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from matcher.catalogs import CATALOG_DIR
from matcher.catalogs.rows import CatalogError, read_catalog

INDUSTRIES_FILE = "industries_gbt4754.csv"
KEY_INDUSTRIES_FILE = "key_industries.csv"
INDUSTRY_LEVELS = ("section", "division")
SECTION_CODE = re.compile(r"[A-T]")
DIVISION_CODE = re.compile(r"\d{2}")


@dataclass(frozen=True)
class IndustryEntry:
    """A GB/T 4754 section (code A..T) or division (code 01..97); ``section`` is the letter either way."""

    code: str
    name: str
    level: str
    section: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class KeyIndustry:
    """One of the 14 key industries and the GB/T 4754 divisions we count as belonging to it."""

    name: str
    aliases: tuple[str, ...]
    divisions: tuple[str, ...]


@lru_cache(maxsize=4)
def load_industries(catalog_dir: Path = CATALOG_DIR) -> tuple[IndustryEntry, ...]:
    """Sections and divisions in file order (each section row precedes its divisions)."""
    entries = []
    for row in read_catalog(catalog_dir / INDUSTRIES_FILE, ("code", "name", "level", "section", "aliases")):
        level = row.choice("level", INDUSTRY_LEVELS)
        pattern = SECTION_CODE if level == "section" else DIVISION_CODE
        if not pattern.fullmatch(row.values["code"]):
            expected = "a section letter A..T" if level == "section" else "a 2-digit division code"
            raise row.fail("code", expected)
        if not SECTION_CODE.fullmatch(row.values["section"]):
            raise row.fail("section", "a section letter A..T")
        entries.append(IndustryEntry(row.values["code"], row.text("name"), level, row.values["section"],
                                     row.aliases()))
    return tuple(entries)


@lru_cache(maxsize=4)
def load_key_industries(catalog_dir: Path = CATALOG_DIR) -> tuple[KeyIndustry, ...]:
    known = {e.code for e in load_industries(catalog_dir) if e.level == "division"}
    key_industries, claimed = [], {}
    for row in read_catalog(catalog_dir / KEY_INDUSTRIES_FILE, ("name", "aliases", "divisions")):
        divisions = row.aliases("divisions")
        unknown = [d for d in divisions if d not in known]
        if unknown:
            raise row.fail("divisions", f"'|'-separated GB/T 4754 division codes; unknown: {unknown}")
        for division in divisions:
            if division in claimed:
                raise CatalogError(f"{row.path}, row {row.number}, column 'divisions': division {division} "
                                   f"already belongs to {claimed[division]}; "
                                   "a division maps to one key industry")
            claimed[division] = row.values["name"]
        key_industries.append(KeyIndustry(row.text("name"), row.aliases(), divisions))
    return tuple(key_industries)
