"""Printable PDFs for the event day: booth sign-up sheets (a page per booth) and interview slips (six an A4 page).

Drawn with ReportLab's canvas, not with matplotlib as the report's charts are: matplotlib lays out every glyph
of a CJK string in Python and took about a second a page, so the slips of a 3,000-talent event would take
minutes; ReportLab draws a page of text in milliseconds. The CJK font is embedded as a subset (TrueType only:
fonts-wqy-microhei is the one the project installs), so the file prints anywhere.
"""
from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

import pandas as pd
from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from matcher.bulk.printed import BOOTH_LIST_HEADERS, SLIP_HEADERS, Slip

logger = logging.getLogger(__name__)

FONT_FILES = ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
              "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")
"""TrueType CJK fonts, best first (Debian paths); ReportLab cannot embed the CFF outlines of Noto CJK."""
FALLBACK_FONT = "STSong-Light"
"""ReportLab's built-in CID font: not embedded, so a viewer substitutes its own; used only without a TrueType."""
WIDTH, HEIGHT = A4
MARGIN = 36.0
BODY_SIZE, TITLE_SIZE, LINE = 9.0, 15.0, 11.5
BOOTH_WIDTHS = {"time": 62, "desk": 26, "talent_id": 64, "name": 46, "phone": 0, "title": 86, "percent": 34,
                "reasons": 0, "signed": 34, "note": 40}
"""Column widths in points; 0: the column takes what is left (phones are not printed: see write_booth_sheets)."""
SLIP_WIDTHS = {"time": 72, "place": 90, "employer": 0, "title": 160}
SLIPS_PER_PAGE = 6
SLIP_ROWS = 6
"""Interviews listed on one slip; more (a talent limit above six) are summed up in a last line."""


@lru_cache(maxsize=1)
def pdf_font() -> str:
    """The registered name of the first usable CJK TrueType of FONT_FILES, else the built-in CID font."""
    for path in FONT_FILES:
        if Path(path).is_file():
            try:
                pdfmetrics.registerFont(TTFont("MatcherCJK", path, subfontIndex=0, validate=False))
            except Exception as error:  # a damaged or CFF font: try the next one
                logger.warning("cannot embed %s in the printable PDFs: %s", path, error)
                continue
            return "MatcherCJK"
    logger.warning("no CJK TrueType font (tried %s): the printed PDFs use %s, not embedded; install one, e.g. "
                   "`apt-get install fonts-wqy-microhei`", ", ".join(FONT_FILES), FALLBACK_FONT)
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    return FALLBACK_FONT


@contextlib.contextmanager
def _binary_streams() -> Iterator[None]:
    """Page streams compressed but not ASCII85-armoured (ReportLab's default): a quarter smaller and cheaper."""
    armoured, rl_config.useA85 = rl_config.useA85, 0
    try:
        yield
    finally:
        rl_config.useA85 = armoured


def write_booth_sheets(path: Path, lists: Iterable[tuple[int, str, pd.DataFrame]], event: str) -> int:
    """One sign-up sheet per booth (``printed.booth_lists``), continued on further pages with the header
    repeated; phones are left out of print (they stay in the workbook). Returns the pages written."""
    with _binary_streams():
        return _write_booth_sheets(path, lists, event)


def write_slips(path: Path, slips: list[Slip], event: str) -> int:
    """Interview slips, SLIPS_PER_PAGE to an A4 page with dashed cut lines. Returns the pages written."""
    with _binary_streams():
        return _write_slips(path, slips, event)


def _write_booth_sheets(path: Path, lists: Iterable[tuple[int, str, pd.DataFrame]], event: str) -> int:
    canvas, font = Canvas(str(path), pagesize=A4, pageCompression=1), pdf_font()
    canvas.setTitle("展位面试签到表")
    pages = 0
    for booth_no, name, rows in lists:
        columns = [c for c in rows.columns if c != "phone"]
        widths = _widths(BOOTH_WIDTHS, columns)
        chunks = list(_chunks(rows, _rows_per_page(2 * LINE + 4)))
        for number, chunk in enumerate(chunks, start=1):
            _heading(canvas, font, f"{booth_no}号展位　面试签到表", f"{name}　{event}")
            _table(canvas, font, [BOOTH_LIST_HEADERS[c] for c in columns], widths,
                   [[_cell(c, v) for c, v in zip(columns, row, strict=True)]
                    for row in chunk[columns].itertuples(index=False, name=None)], 2)
            _footer(canvas, font, f"{booth_no}号展位　第{number}页，共{len(chunks)}页")
            canvas.showPage()
            pages += 1
    if not pages:
        _heading(canvas, font, "展位面试签到表", event)
        canvas.showPage()
    canvas.save()
    return pages


def _write_slips(path: Path, slips: list[Slip], event: str) -> int:
    canvas, font = Canvas(str(path), pagesize=A4, pageCompression=1), pdf_font()
    canvas.setTitle("人才面试通知单")
    height = (HEIGHT - 2 * MARGIN) / SLIPS_PER_PAGE
    pages = (len(slips) + SLIPS_PER_PAGE - 1) // SLIPS_PER_PAGE
    for page in range(max(pages, 1)):
        for position, slip in enumerate(slips[page * SLIPS_PER_PAGE:(page + 1) * SLIPS_PER_PAGE]):
            top = HEIGHT - MARGIN - position * height
            _slip(canvas, font, slip, event, top)
            if position:
                canvas.setDash(4, 3)
                canvas.line(MARGIN, top, WIDTH - MARGIN, top)
                canvas.setDash()
        _footer(canvas, font, f"第{page + 1}页，共{max(pages, 1)}页")
        canvas.showPage()
    canvas.save()
    return max(pages, 1)


def _slip(canvas: Canvas, font: str, slip: Slip, event: str, top: float) -> None:
    canvas.setFont(font, 12)
    who = f"{slip.talent_id}　{slip.name}" if slip.name else slip.talent_id
    canvas.drawString(MARGIN + 4, top - 18, f"面试通知单　{who}")
    canvas.setFont(font, BODY_SIZE)
    canvas.drawRightString(WIDTH - MARGIN - 4, top - 18, event)
    if slip.note:
        canvas.drawString(MARGIN + 4, top - 38, _fit(slip.note, font, WIDTH - 2 * MARGIN - 8))
        return
    rows = [[row[c] for c in SLIP_HEADERS] for row in slip.rows[:SLIP_ROWS]]
    if len(slip.rows) > SLIP_ROWS:
        rows[-1] = ["", "", f"……另有{len(slip.rows) - SLIP_ROWS + 1}场，见面试时间表", ""]
    widths = _widths(SLIP_WIDTHS, list(SLIP_HEADERS))
    _table(canvas, font, list(SLIP_HEADERS.values()), widths, rows, 1, top=top - 26)


def _heading(canvas: Canvas, font: str, title: str, subtitle: str) -> None:
    """The title, and under it the booth's name with the event's date, hours and venue (cut to the width)."""
    canvas.setFont(font, TITLE_SIZE)
    canvas.drawString(MARGIN, HEIGHT - MARGIN - TITLE_SIZE, _fit(title, font, WIDTH - 2 * MARGIN, TITLE_SIZE))
    canvas.setFont(font, BODY_SIZE + 1)
    canvas.drawString(MARGIN, HEIGHT - MARGIN - TITLE_SIZE - 16,
                      _fit(subtitle, font, WIDTH - 2 * MARGIN, BODY_SIZE + 1))


def _footer(canvas: Canvas, font: str, text: str) -> None:
    canvas.setFont(font, 8)
    canvas.drawCentredString(WIDTH / 2, MARGIN / 2, text)


def _table(canvas: Canvas, font: str, headers: list[str], widths: list[float], rows: list[list[str]], lines: int,
           top: float = HEIGHT - MARGIN - 44) -> None:
    """A ruled table: a shaded bold-looking header row, then rows of ``lines`` text lines each (long cells
    wrapped onto them, the rest cut with …)."""
    xs = [MARGIN + sum(widths[:i]) for i in range(len(widths) + 1)]
    head = LINE + 4
    canvas.setFillGray(0.88)
    canvas.rect(xs[0], top - head, xs[-1] - xs[0], head, stroke=0, fill=1)
    canvas.setFillGray(0)
    canvas.setFont(font, BODY_SIZE)
    for x, text in zip(xs, headers, strict=False):
        canvas.drawString(x + 3, top - head + 4, text)
    height = lines * LINE + 4
    y = top - head
    for row in rows:
        for x, width, text in zip(xs, widths, row, strict=False):
            for k, line in enumerate(_wrap(text, font, width - 6, lines)):
                canvas.drawString(x + 3, y - (k + 1) * LINE + 1, line)
        y -= height
    bottom = y
    canvas.setLineWidth(0.5)
    canvas.lines([(xs[0], yy, xs[-1], yy) for yy in [top, top - head, *(top - head - i * height
                                                                          for i in range(1, len(rows) + 1))]]
                 + [(x, top, x, bottom) for x in xs])


def _widths(fixed: dict[str, float], columns: list[str]) -> list[float]:
    free = WIDTH - 2 * MARGIN - sum(fixed[c] for c in columns)
    stretch = [c for c in columns if not fixed[c]]
    return [fixed[c] or max(free / len(stretch), 30) for c in columns]


def _rows_per_page(row_height: float) -> int:
    return max(int((HEIGHT - 2 * MARGIN - 44 - LINE - 4 - 12) // row_height), 1)


def _chunks(rows: pd.DataFrame, size: int) -> Iterator[pd.DataFrame]:
    yield from (rows.iloc[i:i + size] for i in range(0, max(len(rows), 1), size))


def _cell(column: str, value: object) -> str:
    if value is None or value != value:
        return ""
    return str(int(value)) if column in ("percent", "desk") else str(value)


def _wrap(text: str, font: str, width: float, lines: int) -> list[str]:
    """``text`` on at most ``lines`` lines of ``width`` points, cut with … when it does not fit."""
    out, rest = [], text
    while rest and len(out) < lines:
        line = _fit(rest, font, width, BODY_SIZE, ellipsis=len(out) == lines - 1)
        out.append(line)
        rest = rest[len(line):] if not line.endswith("…") else ""
    return out


def _fit(text: str, font: str, width: float, size: float = BODY_SIZE, ellipsis: bool = True) -> str:
    """The longest prefix of ``text`` within ``width`` points (with … when cut and ``ellipsis``)."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    low, high = 0, len(text)
    while low < high:  # longest prefix that fits, leaving room for the ellipsis
        middle = (low + high + 1) // 2
        fits = pdfmetrics.stringWidth(text[:middle] + ("…" if ellipsis else ""), font, size) <= width
        low, high = (middle, high) if fits else (low, middle - 1)
    return text[:low] + ("…" if ellipsis else "")
