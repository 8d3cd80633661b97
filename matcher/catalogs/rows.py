"""One catalogue CSV → checked rows; a bad value raises CatalogError naming file, row and column."""
from __future__ import annotations

import csv
import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

ALIAS_SEPARATOR = "|"
OCCUPATION_CODE = re.compile(r"\d-\d{2}-\d{2}-\d{2}")


class CatalogError(ValueError):
    """A catalogue file is missing a column or holds a value its column cannot take."""


@dataclass(frozen=True)
class CatalogRow:
    """One data row; ``number`` is its line in the file (the header is line 1)."""

    path: Path
    number: int
    values: dict[str, str]

    def fail(self, column: str, expected: str) -> CatalogError:
        return CatalogError(f"{self.path}, row {self.number}, column {column!r}: "
                            f"got {self.values.get(column)!r}, expected {expected}")

    def text(self, column: str) -> str:
        """A required non-empty value."""
        value = self.values[column]
        if not value:
            raise self.fail(column, "a non-empty value")
        return value

    def optional(self, column: str) -> str | None:
        return self.values[column] or None

    def choice(self, column: str, allowed: Collection[str]) -> str:
        value = self.values[column]
        if value not in allowed:
            raise self.fail(column, f"one of {sorted(allowed)}")
        return value

    def optional_choice(self, column: str, allowed: Collection[str]) -> str | None:
        return self.choice(column, allowed) if self.values[column] else None

    def integer(self, column: str, allowed: range) -> int:
        value = self.values[column]
        if not value.isdigit() or int(value) not in allowed:
            raise self.fail(column, f"a whole number from {allowed.start} to {allowed.stop - 1}")
        return int(value)

    def optional_integer(self, column: str, allowed: range) -> int | None:
        return self.integer(column, allowed) if self.values[column] else None

    def occupation_code(self, column: str = "occupation_code") -> str | None:
        """An optional 职业分类大典 code such as 6-31-01-03."""
        value = self.values[column]
        if value and not OCCUPATION_CODE.fullmatch(value):
            raise self.fail(column, "empty or an occupation code like 6-31-01-03")
        return value or None

    def aliases(self, column: str = "aliases") -> tuple[str, ...]:
        """A '|'-separated list; empty entries are an error (they come from a stray separator)."""
        value = self.values[column]
        if not value:
            return ()
        parts = tuple(part.strip() for part in value.split(ALIAS_SEPARATOR))
        if not all(parts):
            raise self.fail(column, f"names separated by single {ALIAS_SEPARATOR!r}")
        return parts


def read_catalog(path: Path, columns: tuple[str, ...]) -> list[CatalogRow]:
    """Every data row of ``path`` with stripped values; the header must hold ``columns``."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise CatalogError(f"{path}: missing columns {missing}; expected {list(columns)}")
        rows = []
        for row in reader:
            if None in row:
                raise CatalogError(f"{path}, row {reader.line_num}: more cells than the "
                                   f"{len(reader.fieldnames or [])} header columns")
            rows.append(CatalogRow(path, reader.line_num, {k: (v or "").strip() for k, v in row.items()}))
    if not rows:
        raise CatalogError(f"{path}: no data rows")
    return rows
