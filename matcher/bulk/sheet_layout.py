"""How a workbook sheet prints on A4: column widths, wrapped text, a bold header repeated on every page.

Every sheet gets: widths by column (``COLUMN_WIDTHS``, by the Chinese header), long text columns wrapped, the
header row (and a title row above it when given) bold, shaded, frozen and repeated at the top of every
printed page, A4 paper, landscape when the columns are wider than a portrait page, scaled to one page wide,
and 第 n 页，共 m 页 in the footer. Rows stream in XlsxWriter's constant-memory mode.
"""
from __future__ import annotations

import pandas as pd
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

COLUMN_WIDTHS = {"人才编号": 13, "姓名": 9, "联系电话": 15, "岗位编号": 11, "岗位名称": 20, "用人单位": 22,
                 "排名": 5, "匹配度": 7, "推荐理由": 46, "时间": 12, "桌号": 5, "展位号": 7, "展位": 22, "地点": 22,
                 "签到": 8, "备注": 14, "急需": 5, "工作地点": 10, "紧缺程度（星）": 8, "需求人数": 8,
                 "合适人选数": 10, "缺口人数": 8, "项目": 22, "数值": 40, "类别": 8, "编号": 13,
                 "名称": 20, "原因": 50}
"""Excel character widths per header; another header gets room for itself (2 units a CJK character)."""
WRAPPED = frozenset({"推荐理由", "原因", "岗位名称", "用人单位", "展位", "地点", "数值", "名称"})
PORTRAIT_WIDTH = 95
"""Summed column widths that still fit an A4 portrait page at 100 %; wider sheets print landscape."""
A4_PAPER = 9
FOOTER = "&C第 &P 页，共 &N 页"


class SheetFormats:
    """The workbook's few cell formats, created once (a format per cell would bloat the file)."""

    def __init__(self, book: xlsxwriter.Workbook):
        border = {"border": 1, "border_color": "#999999", "valign": "top"}
        self.header = book.add_format({**border, "bold": True, "bg_color": "#DCE6F1", "text_wrap": True,
                                       "align": "center", "valign": "vcenter"})
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.cell = book.add_format(border)
        self.wrapped = book.add_format({**border, "text_wrap": True})


def column_width(header: str) -> float:
    if header in COLUMN_WIDTHS:
        return COLUMN_WIDTHS[header]
    return max(8, min(40, sum(2 if ord(ch) > 0x2E80 else 1 for ch in header) + 2))


def write_sheet(book: xlsxwriter.Workbook, formats: SheetFormats, name: str, frame: pd.DataFrame,
                title: str | None = None) -> Worksheet:
    """``frame`` as a print-ready sheet ``name``: its columns as the header row, under ``title`` when given.
    Missing values become empty cells; text is written as text (never a formula or a link)."""
    sheet = book.add_worksheet(name)
    headers = [str(c) for c in frame.columns]
    widths = [column_width(h) for h in headers]
    for number, (header, width) in enumerate(zip(headers, widths, strict=True)):
        sheet.set_column(number, number, width, formats.wrapped if header in WRAPPED else formats.cell)
    first = 0
    if title:
        sheet.set_row(0, 24)
        sheet.write_string(0, 0, title, formats.title)
        first = 1
    sheet.write_row(first, 0, headers, formats.header)
    _print_setup(sheet, first, sum(widths), title or name)
    values = frame.astype(object).where(frame.notna(), None)
    for number, row in enumerate(values.itertuples(index=False, name=None), start=first + 1):
        sheet.write_row(number, 0, row)
    return sheet


def _print_setup(sheet: Worksheet, header_row: int, width: float, heading: str) -> None:
    sheet.freeze_panes(header_row + 1, 0)
    sheet.repeat_rows(0, header_row)
    sheet.set_paper(A4_PAPER)
    if width > PORTRAIT_WIDTH:
        sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.5, right=0.5, top=0.7, bottom=0.7)
    sheet.set_header("&L" + heading.replace("&", "&&"))
    sheet.set_footer(FOOTER)
