"""The annotated copy of an import file: every cell with an error red, every unresolved value yellow, each with a
comment saying what is wrong, and a 问题清单 sheet listing them all, so staff fix the sheet and upload it again.

Written in openpyxl's write-only mode from the cells the reader already holds (the values as read, not
the original formatting): a 100k-row register is a single streaming pass.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from matcher.store.columns import DERIVED_FROM
from matcher.store.errors import RowError, RowWarning
from matcher.store.reader import SourceTable

ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
WARNING_FILL = PatternFill("solid", fgColor="FFEB9C")
BOLD = Font(bold=True)
COMMENT_AUTHOR = "matcher 导入检查"
LIST_HEADERS = ("级别", "行", "列", "内容", "问题")


def write_report(table: SourceTable | None, errors: Sequence[RowError], warnings: Sequence[RowWarning],
                 path: Path) -> None:
    """Write the annotated copy to ``path`` (XLSX). Without a table (the file could not be read) only the list."""
    flagged = _flags(table, errors, warnings) if table is not None else {}
    workbook = Workbook(write_only=True)
    if table is not None:
        _copy_sheet(workbook, table, flagged)
    _problem_list(workbook, table, errors, warnings)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)


def _flags(table: SourceTable, errors: Sequence[RowError],
           warnings: Sequence[RowWarning]) -> dict[tuple[int, int], tuple[bool, list[str]]]:
    """(sheet row, 0-based column) → (is an error, messages); a problem with no column goes on the row's last cell."""
    flagged: dict[tuple[int, int], tuple[bool, list[str]]] = {}
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


def _copy_sheet(workbook: Workbook, table: SourceTable, flagged: dict[tuple[int, int], tuple[bool, list[str]]]) -> None:
    sheet = workbook.create_sheet("导入检查")
    width = max(map(len, table.grid), default=0)
    by_row: dict[int, list[tuple[int, tuple[bool, list[str]]]]] = {}
    for (row, position), flag in flagged.items():
        by_row.setdefault(row, []).append((width if position < 0 else position, flag))
    for number, cells in enumerate(table.grid, start=1):
        values: list[object] = [*cells, *[""] * (width - len(cells)), ""]
        if number == table.header_row:
            values[width] = "导入检查"
        for position, (is_error, texts) in by_row.get(number, ()):
            values[position] = _flagged_cell(sheet, values[position], is_error, texts)
        sheet.append(values)


def _flagged_cell(sheet: Worksheet, value: object, is_error: bool, texts: list[str]) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.fill = ERROR_FILL if is_error else WARNING_FILL
    cell.comment = Comment("\n".join(texts), COMMENT_AUTHOR, width=320, height=40 + 20 * len(texts))
    return cell


def _problem_list(workbook: Workbook, table: SourceTable | None, errors: Sequence[RowError],
                  warnings: Sequence[RowWarning]) -> None:
    sheet = workbook.create_sheet("问题清单")
    header = [WriteOnlyCell(sheet, value=text) for text in LIST_HEADERS]
    for cell in header:
        cell.font = BOLD
    sheet.append(header)
    headers = table.headers if table is not None else {}
    for error in errors:
        sheet.append(["错误", error.row or "", _header(headers, error.column), error.value, f"应为 {error.expected}"])
    for warning in warnings:
        sheet.append(["提示", warning.row, _header(headers, warning.column), warning.value, warning.problem])


def _header(headers: dict[str, str], column: str | None) -> str:
    if not column:
        return ""
    shown = headers.get(column) or headers.get(DERIVED_FROM.get(column, ""), "")
    return f"{shown}（{column}）" if shown and shown != column else column
