"""Reads a CSV (UTF-8 with or without BOM, GBK/GB18030, UTF-16) or XLSX sheet into canonical text columns."""
from __future__ import annotations

import csv
import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import pandas as pd

from matcher.store.columns import MERGEABLE_COLUMNS, field_for_header, header_lookup
from matcher.store.errors import ImportFileError, RowError

log = logging.getLogger(__name__)

HEADER_SEARCH_ROWS = 10
"""Workstation sheets often start with a title row (XX工作站人才登记表); the header is searched below it."""
CSV_SUFFIXES = frozenset({".csv", ".txt", ".tsv"})
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})


@dataclass(frozen=True)
class SourceTable:
    """One sheet with canonical columns of stripped text ('' for empty cells).

    ``frame``'s index is the spreadsheet row number of each record (see RowError); rows whose mapped
    cells are all empty are dropped. ``headers`` maps each field to the header text found in the file.
    """

    file: str
    frame: pd.DataFrame
    headers: dict[str, str]
    header_row: int


def read_table(path: Path, headers: dict[str, tuple[str, ...]], required: Sequence[str]) -> SourceTable:
    """Read ``path`` and map its headers; raises ImportFileError naming the file and what is missing."""
    grid = read_grid(path)
    lookup = header_lookup(headers)
    start = _header_row_index(grid, lookup)
    header_cells = grid[start] if grid else []
    positions = _map_columns(path.name, start + 1, header_cells, lookup, headers, required)
    width = max([len(header_cells), *map(len, grid[start + 1:])])
    body = pd.DataFrame(_padded(grid[start + 1:], width), columns=range(width), dtype=object)
    body.index = pd.RangeIndex(start + 2, start + 2 + len(body), name="row")
    frame = pd.DataFrame({field: _column_text(body, cols) for field, cols in positions.items()}, index=body.index)
    frame = frame[(frame != "").any(axis=1)] if len(frame.columns) else frame
    found = {field: " + ".join(str(header_cells[c]) for c in cols) for field, cols in positions.items()}
    return SourceTable(path.name, frame, found, start + 1)


def read_grid(path: Path) -> list[list[str]]:
    """All cells of the first sheet as text, row by row (rows may differ in length)."""
    if not path.is_file():
        raise ImportFileError([RowError(path.name, None, None, str(path), "an existing CSV or XLSX file")])
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        return _xlsx_grid(path)
    if suffix in CSV_SUFFIXES:
        return _csv_grid(path)
    expected = "a .csv or .xlsx file (save .xls workbooks as .xlsx first)"
    raise ImportFileError([RowError(path.name, None, None, path.suffix, expected)])


def decode_csv(data: bytes, file: str) -> str:
    """UTF-16 when it has a BOM, else UTF-8 (BOM optional), else GB18030, which covers GBK/GB2312 exports."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError([RowError(file, None, None, "undecodable bytes", "a CSV saved as UTF-8 or GBK")])


def _csv_grid(path: Path) -> list[list[str]]:
    text = decode_csv(path.read_bytes(), path.name)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", "\t", ";"), key=first_line.count)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _xlsx_grid(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook  # imported here: only XLSX imports pay for it

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises zipfile/XML errors of many types for a damaged file
        raise ImportFileError([RowError(path.name, None, None, type(error).__name__,
                                        "a readable .xlsx workbook")]) from error
    try:
        sheet = workbook.worksheets[0]
        return [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    """Excel cell → text as the clerk sees it: 13812345678 not 13812345678.0, 2024-03-01 not a timestamp."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _header_row_index(grid: list[list[str]], lookup: dict[str, str]) -> int:
    """The row among the first few with the most recognised headers (the first such row on ties)."""
    scores = [sum(field_for_header(cell, lookup) is not None for cell in row) for row in grid[:HEADER_SEARCH_ROWS]]
    return max(range(len(scores)), key=lambda i: (scores[i], -i)) if scores else 0


def _map_columns(file: str, header_row: int, header_cells: list[str], lookup: dict[str, str],
                 headers: dict[str, tuple[str, ...]], required: Sequence[str]) -> dict[str, list[int]]:
    positions: dict[str, list[int]] = {}
    errors: list[RowError] = []
    for position, cell in enumerate(header_cells):
        field = field_for_header(cell, lookup)
        if field is None:
            continue
        if field in positions and field not in MERGEABLE_COLUMNS:
            first = header_cells[positions[field][0]]
            errors.append(RowError(file, header_row, field, f"{first} / {cell}",
                                   f"one column for {field}: delete or rename one of the two"))
        positions.setdefault(field, []).append(position)
    found = ", ".join(str(cell) for cell in header_cells if str(cell).strip()) or "none"
    for field in required:
        if field not in positions:
            names = " / ".join((*headers[field], field))
            errors.append(RowError(file, header_row, field, f"headers found: {found}",
                                   f"a required column headed {names}"))
    if errors:
        raise ImportFileError(errors)
    ignored = [str(c) for c in header_cells if str(c).strip() and field_for_header(c, lookup) is None]
    if ignored:
        log.info("%s: ignoring columns %s", file, ", ".join(ignored))
    return positions


def _padded(rows: list[list[str]], width: int) -> list[list[str]]:
    """Same-length rows: CSV lines and sheet rows stop at their last filled cell."""
    return [row if len(row) == width else [*row, *[""] * (width - len(row))] for row in rows]


def _column_text(body: pd.DataFrame, positions: list[int]) -> pd.Series:
    # Object columns of str: iterating pyarrow-backed strings row by row later costs seconds per 100k rows.
    parts = [pd.Series([cell.strip() for cell in body[p]], index=body.index, dtype=object) for p in positions]
    merged = parts[0]
    for part in parts[1:]:
        both = (merged != "") & (part != "")
        merged = merged.where(~both, merged + "\n" + part).where(merged != "", part)
    return merged
