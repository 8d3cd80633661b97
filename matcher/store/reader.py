"""Reads a CSV (UTF-8 with or without BOM, GBK/GB18030, UTF-16) or XLSX sheet into canonical text columns.

Sheets are read as bureaus keep them: the header row is found under title and 填报单位/填报日期 lines
(whose values are kept as ``preamble``), blank rows and footer rows (合计, 填表人, 审核人 …) are skipped with
a note, 序号 is recognised as a row number, and every column not imported is named in ``unknown_columns``.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import pandas as pd

from matcher.store.columns import EXAMPLE_ROW_MARK, MERGEABLE_COLUMNS, field_for_header, header_lookup
from matcher.store.errors import ImportFileError, RowError
from matcher.store.sheet_layout import footer_marker, preamble_fields, row_number_column

HEADER_SEARCH_ROWS = 15
"""Workstation sheets often start with a title row (XX工作站人才登记表); the header is searched below it."""
CSV_SUFFIXES = frozenset({".csv", ".txt", ".tsv"})
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})


@dataclass(frozen=True)
class SourceTable:
    """One sheet with canonical columns of stripped text ('' for empty cells).

    ``frame``'s index is the spreadsheet row number of each record (see RowError); rows whose mapped
    cells are all empty, and footer rows, are dropped. ``headers`` maps each field to the header text
    found in the file, ``positions`` to its 0-based column(s) in ``grid`` (the whole sheet as read).
    """

    file: str
    frame: pd.DataFrame
    headers: dict[str, str]
    header_row: int
    grid: list[list[str]] = field(default_factory=list, repr=False)
    positions: dict[str, list[int]] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    """What the reader skipped or assumed, in Chinese, for the import summary."""
    unknown_columns: tuple[str, ...] = ()
    """Headers of columns not imported (as written in the sheet)."""
    preamble: dict[str, str] = field(default_factory=dict)
    """填报单位 / 填报日期 found above the header row."""


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
    frame = pd.DataFrame({f: _column_text(body, cols, MERGEABLE_COLUMNS.get(f, "\n")) for f, cols in positions.items()},
                         index=body.index)
    filled = (frame != "").any(axis=1) if len(frame.columns) else pd.Series(False, index=body.index)
    footers = _footer_rows(body) | _example_rows(body, header_cells)
    frame = frame[filled & ~body.index.isin(list(footers))] if len(frame.columns) else frame
    found = {f: " + ".join(str(header_cells[c]) for c in cols) for f, cols in positions.items()}
    unknown = _unknown_columns(header_cells, body, positions, lookup)
    notes = _notes(start, body, filled, footers, header_cells, unknown)
    return SourceTable(path.name, frame, found, start + 1, grid, positions, notes, unknown,
                       preamble_fields(grid[:start]))


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


MAX_UNPACKED_MB = 400
"""The most a workbook's sheets and shared strings may unpack to: a 100k-row register is well under 100 MB,
while a zip bomb (one 200 MB cell in a 204 KB file) would drive openpyxl, which parses the whole shared-strings
table even in read-only mode, past several GB."""
MAX_COMPRESSION_RATIO = 200


def _refuse_bombs(path: Path) -> None:
    """ImportFileError when the workbook's XML parts unpack to more than the limits allow; nothing is parsed."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            parts = [i for i in archive.infolist() if i.filename.startswith(("xl/worksheets/", "xl/sharedStrings"))]
    except (zipfile.BadZipFile, OSError) as error:
        raise ImportFileError([RowError(path.name, None, None, type(error).__name__,
                                        "a readable .xlsx workbook")]) from error
    unpacked, packed = sum(i.file_size for i in parts), sum(i.compress_size for i in parts)
    if unpacked > MAX_UNPACKED_MB * 1024 * 1024 or (unpacked > 10 * 1024 * 1024
                                                    and unpacked > MAX_COMPRESSION_RATIO * max(packed, 1)):
        raise ImportFileError([RowError(path.name, None, None, f"{unpacked / 1024 / 1024:.0f} MB unpacked",
                                        f"a workbook whose sheets unpack to at most {MAX_UNPACKED_MB} MB "
                                        f"(工作簿解压后过大，请拆分或另存为CSV)")])


def _xlsx_grid(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook  # imported here: only XLSX imports pay for it

    _refuse_bombs(path)
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
    return positions


def _padded(rows: list[list[str]], width: int) -> list[list[str]]:
    """Same-length rows: CSV lines and sheet rows stop at their last filled cell."""
    return [row if len(row) == width else [*row, *[""] * (width - len(row))] for row in rows]


def _column_text(body: pd.DataFrame, positions: list[int], joiner: str) -> pd.Series:
    # Object columns of str: iterating pyarrow-backed strings row by row is slower (tests/store/test_import_speed.py).
    parts = [pd.Series([cell.strip() for cell in body[p]], index=body.index, dtype=object) for p in positions]
    merged = parts[0]
    for part in parts[1:]:
        both = (merged != "") & (part != "")
        merged = merged.where(~both, merged + joiner + part).where(merged != "", part)
    return merged


def _footer_rows(body: pd.DataFrame) -> dict[int, str]:
    """Spreadsheet row → the footer word its first filled cell starts with (合计, 填表人 …)."""
    footers: dict[int, str] = {}
    for row, cells in zip(body.index, body.itertuples(index=False, name=None), strict=True):
        first = cells[0] if cells and cells[0].strip() else next((cell for cell in cells if cell.strip()), None)
        marker = footer_marker(first) if first is not None else None
        if marker is not None:
            footers[int(row)] = marker
    return footers


def _example_rows(body: pd.DataFrame, header_cells: list[str]) -> dict[int, str]:
    """Rows marked 示例 in the 序号 column (a template's example row)."""
    examples: dict[int, str] = {}
    for position, header in enumerate(header_cells):
        if row_number_column(str(header)) and position in body.columns:
            marked = body.index[[cell.strip() == EXAMPLE_ROW_MARK for cell in body[position]]]
            examples.update({int(row): EXAMPLE_ROW_MARK for row in marked})
    return examples


def _unknown_columns(header_cells: list[str], body: pd.DataFrame, positions: dict[str, list[int]],
                     lookup: dict[str, str]) -> tuple[str, ...]:
    """Headers neither mapped nor a row number, plus '第N列（无表头）' for a headerless column with data."""
    used = {p for cols in positions.values() for p in cols}
    unknown = []
    for position in range(len(body.columns)):
        header = str(header_cells[position]).strip() if position < len(header_cells) else ""
        if position in used or row_number_column(header) or field_for_header(header, lookup) is not None:
            continue
        if header:
            unknown.append(header)
        elif any(str(cell).strip() for cell in body[position]):
            unknown.append(f"第{position + 1}列（无表头）")
    return tuple(unknown)


def _notes(start: int, body: pd.DataFrame, filled: pd.Series, footers: dict[int, str],
           header_cells: list[str], unknown: tuple[str, ...]) -> tuple[str, ...]:
    notes = []
    if start:
        notes.append(f"表头在第{start + 1}行；第1–{start}行（标题、填报信息）未导入" if start > 1
                     else "表头在第2行；第1行（标题）未导入")
    if any(row_number_column(str(cell)) for cell in header_cells):
        notes.append("“序号”列是行号，不作为人员或岗位编号")
    last_data = max((int(r) for r, f in filled.items() if f and int(r) not in footers), default=0)
    blank = [int(r) for r, f in filled.items() if not f and int(r) < last_data and int(r) not in footers]
    if blank:
        shown = "、".join(map(str, blank[:10])) + ("…" if len(blank) > 10 else "")
        notes.append(f"跳过空行{len(blank)}行（第{shown}行）")
    for row, marker in sorted(footers.items()):
        what = "示例行" if marker == EXAMPLE_ROW_MARK else f"表尾（{marker}）"
        notes.append(f"第{row}行是{what}，未导入")
    if unknown:
        notes.append(f"未识别的列（其内容未导入）：{'、'.join(unknown)}")
    return tuple(notes)
