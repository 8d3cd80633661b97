"""Import problems a user can act on: which file, which spreadsheet row, which column, what was expected."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class RowError:
    """One unusable cell or column. ``row`` is the spreadsheet row number as Excel shows it (the header
    row included, counting from 1), so with headers on row 1 the first data row is row 2. ``column`` is
    the canonical field name; ``value`` is masked for personal columns."""

    file: str
    row: int | None
    column: str | None
    value: str
    expected: str

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    def message(self, header: str | None = None) -> str:
        """'talents.csv, row 17, column 手机号 (phone): got '123', expected an 11-digit mobile number …'."""
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            shown = f"{header} ({self.column})" if header and header != self.column else self.column
            where.append(f"column {shown}")
        got = repr(self.value) if self.value else "empty"
        return f"{', '.join(where)}: got {got}, expected {self.expected}"


class ImportFileError(Exception):
    """The file as a whole cannot be imported (unreadable, or a required column is missing)."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        self.errors = tuple(errors)
        super().__init__("; ".join(error.message() for error in self.errors))


@dataclass(frozen=True)
class RowWarning:
    """A value kept as written but not understood (a place, certificate, salary …): imported, shown to staff.

    ``problem`` is Chinese, for the clerk who fixes the sheet; ``value`` is never personal data."""

    file: str
    row: int
    column: str
    value: str
    problem: str

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    def message(self, header: str | None = None) -> str:
        """'talents.xlsx 第12行 籍贯（hometown）：“火星基地”未能识别为地区，已按原文保存'."""
        shown = f"{header}（{self.column}）" if header and header != self.column else self.column
        return f"{self.file} 第{self.row}行 {shown}：“{self.value}”{self.problem}"
