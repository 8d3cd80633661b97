"""The annotated copy of an import file: every cell with an error red, every unresolved value yellow, each with a
comment saying what is wrong, and a 问题清单 sheet listing them all, so staff fix the sheet and upload it again.

Written from the cells the reader already holds (the values as read, not the original formatting) with
XlsxWriter in constant-memory mode, row by row: openpyxl's pure-Python XML writer is several times slower
per cell, too slow for the 100k-row registers this is for.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from matcher.store.columns import DERIVED_FROM
from matcher.store.errors import RowError, RowWarning
from matcher.store.reader import SourceTable

ERROR_COLOUR = "#FFC7CE"
WARNING_COLOUR = "#FFEB9C"
COMMENT_AUTHOR = "matcher 导入检查"
LIST_HEADERS = ("级别", "行", "列", "内容", "问题")
Flags = dict[tuple[int, int], tuple[bool, list[str]]]


def write_report(table: SourceTable | None, errors: Sequence[RowError], warnings: Sequence[RowWarning],
                 path: Path) -> None:
    """Write the annotated copy to ``path`` (XLSX). Without a table (the file could not be read) only the list."""
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                           "strings_to_urls": False, "strings_to_numbers": False})
    formats = {True: book.add_format({"bg_color": ERROR_COLOUR}), False: book.add_format({"bg_color": WARNING_COLOUR})}
    if table is not None:
        _copy_sheet(book.add_worksheet("导入检查"), table, _flags(table, errors, warnings), formats)
    _problem_list(book.add_worksheet("问题清单"), book.add_format({"bold": True}), table, errors, warnings)
    book.close()


def _flags(table: SourceTable, errors: Sequence[RowError], warnings: Sequence[RowWarning]) -> Flags:
    """(sheet row, 0-based column) → (is an error, messages); a problem with no column goes on the row's last cell."""
    flagged: Flags = {}
    problems = [(True, e.row, e.column, _error_text(e)) for e in errors if e.row is not None]
    problems += [(False, w.row, w.column, f"“{w.value}”{w.problem}") for w in warnings]
    for is_error, row, column, text in problems:
        cell = (row, _column_position(table, column))
        was_error, texts = flagged.get(cell, (False, []))
        flagged[cell] = (was_error or is_error, [*texts, ("错误：" if is_error else "提示：") + text])
    return flagged


def _error_text(error: RowError) -> str:
    got = f"“{error.value}”" if error.value else "空"
    return f"{got}不可用，应为 {error.expected}"


def _column_position(table: SourceTable, column: str | None) -> int:
    """The column's first position in the sheet; -1 (the appended 导入检查 column) when the sheet has none."""
    for name in (column, DERIVED_FROM.get(column or "")):
        if name and name in table.positions:
            return table.positions[name][0]
    return -1


def _copy_sheet(sheet: Worksheet, table: SourceTable, flagged: Flags, formats: dict) -> None:
    width = max(map(len, table.grid), default=0)
    by_row: dict[int, list[tuple[int, tuple[bool, list[str]]]]] = {}
    for (row, position), flag in flagged.items():
        by_row.setdefault(row, []).append((width if position < 0 else position, flag))
    sheet.freeze_panes(table.header_row, 0)
    for index, cells in enumerate(table.grid):
        for position, value in enumerate(cells):
            if value:  # text, as read: an ID number stays 18 characters, not a float
                sheet.write_string(index, position, value)
        if index + 1 == table.header_row:
            sheet.write_string(index, width, "导入检查")
        for position, (is_error, texts) in by_row.get(index + 1, ()):
            value = cells[position] if position < len(cells) else ""
            sheet.write_string(index, position, value, formats[is_error])
            sheet.write_comment(index, position, "\n".join(texts),
                                {"author": COMMENT_AUTHOR, "x_scale": 2.5, "y_scale": 1 + 0.6 * len(texts)})


def _problem_list(sheet: Worksheet, bold: object, table: SourceTable | None, errors: Sequence[RowError],
                  warnings: Sequence[RowWarning]) -> None:
    sheet.write_row(0, 0, LIST_HEADERS, bold)
    headers = table.headers if table is not None else {}
    row = 1
    for error in errors:
        sheet.write_row(row, 0, ("错误", error.row or "", _header(headers, error.column), error.value,
                                 f"应为 {error.expected}"))
        row += 1
    for warning in warnings:
        sheet.write_row(row, 0, ("提示", warning.row, _header(headers, warning.column), warning.value,
                                 warning.problem))
        row += 1


def _header(headers: dict[str, str], column: str | None) -> str:
    if not column:
        return ""
    shown = headers.get(column) or headers.get(DERIVED_FROM.get(column, ""), "")
    return f"{shown}（{column}）" if shown and shown != column else column
