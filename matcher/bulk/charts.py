"""The event report's matplotlib figures (Agg, no display): a CJK font, the five charts, PNG and PDF output.

Figures are built with ``matplotlib.figure.Figure`` rather than pyplot, so no global figure registry grows and
nothing needs a display. Import this module lazily: matplotlib is slow to import.
"""
from __future__ import annotations

import base64
import contextlib
import io
import logging
import warnings
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib
import pandas as pd
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.ticker import StrMethodFormatter

if TYPE_CHECKING:
    from matcher.bulk.event_report import EventAggregates

logger = logging.getLogger(__name__)

CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
                "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Noto Sans CJK JP", "Droid Sans Fallback",
                "AR PL UMing CN", "SimHei", "Microsoft YaHei", "PingFang SC")
"""Families that cover simplified Chinese, best first (fonts-noto-cjk, fonts-wqy-microhei, Windows, macOS)."""
_CJK_FILE_HINTS = ("cjk", "wqy", "wenquanyi", "droidsansfallback", "uming", "simhei", "msyh", "pingfang", "sourcehan")
URGENT_CHART_ROWS = 25
"""Urgent jobs drawn (largest shortfall, then least covered first), so the chart fits an A4 page; the report's
gap table lists every gap."""
LABEL_CHARS = 22
"""Longest job label on the urgent chart's axis (title + employer), so the bars keep most of the width."""
DPI = 150
WIDTH = 9.0
BAR_COLOR, STRONG_COLOR, SHORT_COLOR, MET_COLOR, NEED_COLOR = "#8fb4d9", "#1f5c99", "#c0392b", "#2e8b57", "#b0b0b0"
JOB_SALARY_COLOR = "#a8d8b9"


@lru_cache(maxsize=1)
def cjk_font_family() -> str | None:
    """The first installed family of ``CJK_FAMILIES``, or None (logged once) when the machine has none."""
    family = _known_cjk_family()
    if family is None:  # matplotlib's font cache predates a font installed since (e.g. by scripts/setup.sh)
        for path in font_manager.findSystemFonts():
            if any(hint in path.lower().replace("-", "").replace("_", "") for hint in _CJK_FILE_HINTS):
                with contextlib.suppress(Exception):
                    font_manager.fontManager.addfont(path)
        family = _known_cjk_family()
    if family is None:
        logger.warning("no CJK font found (tried %s): Chinese text in the report's charts will show as boxes; "
                       "install one, e.g. `apt-get install fonts-wqy-microhei` (scripts/setup.sh does)",
                       ", ".join(CJK_FAMILIES))
    else:
        logger.info("report charts use the font %r", family)
    return family


def _known_cjk_family() -> str | None:
    installed = {font.name for font in font_manager.fontManager.ttflist}
    return next((family for family in CJK_FAMILIES if family in installed), None)


@contextlib.contextmanager
def chart_style() -> Iterator[None]:
    """rcParams for the charts (CJK font first), scoped so the caller's matplotlib settings are left alone."""
    family = cjk_font_family()
    params = {"font.family": "sans-serif", "axes.unicode_minus": False,
              "font.sans-serif": [family, "DejaVu Sans"] if family else ["DejaVu Sans"],
              "axes.spines.top": False, "axes.spines.right": False}
    with matplotlib.rc_context(params), warnings.catch_warnings():
        if family is None:  # already logged once; one warning per missing glyph would flood the log
            warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font")
        yield


def _figure(bars: int = 0) -> Figure:
    """A figure tall enough for ``bars`` horizontal bars (0: the default chart height)."""
    figure = Figure(figsize=(WIDTH, max(3.6, 0.32 * bars + 1.4) if bars else 4.8), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _empty(axes, message: str = "无数据") -> None:
    axes.text(0.5, 0.5, message, ha="center", va="center", transform=axes.transAxes, fontsize=14, color="grey")
    axes.set_xticks([])
    axes.set_yticks([])


def industry_chart(by_industry: pd.DataFrame, median: float | None) -> Figure:
    """by_industry: index industry_key, columns pairs, strong (int), largest first."""
    figure = _figure(len(by_industry))
    axes = figure.add_subplot()
    axes.set_title("各重点产业的推荐匹配数")
    if by_industry.empty:
        _empty(axes)
        return figure
    rows = by_industry.iloc[::-1]
    axes.barh(rows.index, rows["pairs"], color=BAR_COLOR, label="推荐匹配（人才前N名岗位）")
    if median is not None:
        axes.barh(rows.index, rows["strong"], color=STRONG_COLOR, label=f"其中匹配度高于中位数 {median:.3f}")
    for y, (pairs, strong) in enumerate(zip(rows["pairs"], rows["strong"], strict=True)):
        axes.text(pairs, y, f" {pairs}（{strong}）" if median is not None else f" {pairs}", va="center", fontsize=8)
    axes.set_xlabel("匹配条数")
    axes.set_ylabel("岗位所属产业")
    axes.margins(x=0.15)
    axes.legend(loc="lower right", fontsize=8)
    return figure


def urgent_chart(coverage: pd.DataFrame) -> Figure:
    """coverage: one row per ★4–5 job with title, employer, headcount, fitting_candidates, shortfall."""
    figure = _figure(len(coverage) + len(coverage) // 4)
    axes = figure.add_subplot()
    axes.set_title("急需岗位（★4–5）合适人选与需求人数")
    if coverage.empty:
        _empty(axes, "无急需岗位")
        return figure
    rows = coverage.iloc[::-1].reset_index(drop=True)
    height = 0.4
    axes.barh(rows.index + height / 2, rows["headcount"], height, color=NEED_COLOR, label="需求人数")
    colors = [SHORT_COLOR if gap > 0 else MET_COLOR for gap in rows["shortfall"]]
    axes.barh(rows.index - height / 2, rows["fitting_candidates"], height, color=colors,
              label="合适人选（红色：不足）")
    for y, (found, gap) in enumerate(zip(rows["fitting_candidates"], rows["shortfall"], strict=True)):
        note = f" {found}，缺{gap}人" if gap > 0 else f" {found}"
        axes.text(found, y - height / 2, note, va="center", fontsize=7,
                  color=SHORT_COLOR if gap > 0 else "black")
    labels = [_short(f"{title}（{employer}）") for title, employer in zip(rows["title"], rows["employer"], strict=True)]
    axes.set_yticks(rows.index, labels, fontsize=8)
    axes.set_xscale("symlog", linthresh=1)  # a few needed vs thousands of candidates on one axis
    axes.xaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    axes.set_xlabel("人数（对数刻度）")
    axes.margins(x=0.2)
    axes.legend(loc="lower right", fontsize=8)
    return figure


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1] + "…"


def count_chart(counts: pd.Series, title: str, axis_label: str, shares: pd.Series | None = None) -> Figure:
    """Horizontal bars of ``counts`` (largest first); ``shares`` (0–1, same index) annotate each bar."""
    figure = _figure(len(counts))
    axes = figure.add_subplot()
    axes.set_title(title)
    if counts.empty:
        _empty(axes)
        return figure
    rows = counts.iloc[::-1]
    axes.barh(rows.index, rows.to_numpy(), color=STRONG_COLOR)
    for y, (key, count) in enumerate(rows.items()):
        note = f" {count}" if shares is None else f" {count}（占该地人才{shares[key]:.0%}）"
        axes.text(count, y, note, va="center", fontsize=8)
    axes.set_xlabel("人数")
    axes.set_ylabel(axis_label)
    axes.margins(x=0.2)
    return figure


def salary_chart(samples: Mapping[str, pd.Series]) -> Figure:
    """Box plots of monthly yuan per series (talent series, labelled 人才…, in blue; job series in green), without
    outlier dots: typos like 500000 would squash the boxes."""
    figure = _figure()
    axes = figure.add_subplot()
    axes.set_title("人才期望月薪与岗位提供月薪分布")
    filled = {label: values for label, values in samples.items() if len(values)}
    if not filled:
        _empty(axes)
        return figure
    positions = range(1, len(filled) + 1)
    boxes = axes.boxplot([values.to_numpy() for values in filled.values()], positions=list(positions),
                         showfliers=False, widths=0.5, patch_artist=True, medianprops={"color": "black"})
    for box, label in zip(boxes["boxes"], filled, strict=True):
        box.set_facecolor(BAR_COLOR if label.startswith("人才") else JOB_SALARY_COLOR)
    axes.set_xticks(list(positions), [f"{label}\n（{len(values)}条）" for label, values in filled.items()])
    for x, values in zip(positions, filled.values(), strict=True):
        median = float(values.median())
        axes.text(x + 0.28, median, f"中位数\n{median:,.0f}", va="center", fontsize=8)
    axes.set_ylabel("月薪（元）")
    axes.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    return figure


def event_figures(aggregates: EventAggregates, median: float | None) -> list[tuple[str, Figure]]:
    """(caption, figure) of the five charts, in report order."""
    urgent = aggregates.urgent.head(URGENT_CHART_ROWS)
    urgent_note = "" if len(aggregates.urgent) <= URGENT_CHART_ROWS else \
        f"（共{len(aggregates.urgent)}个急需岗位，图中仅列缺口最大或候选人最少的{URGENT_CHART_ROWS}个，完整缺口见上表）"
    return [
        ("各重点产业岗位在人才推荐名单中出现的次数；深色为匹配度高于本次中位数的部分。",
         industry_chart(aggregates.by_industry, median)),
        ("急需岗位（★4–5）：人才库中与岗位对口的合适人选数与需求人数对比，红色为人选不足。" + urgent_note,
         urgent_chart(urgent)),
        (f"人才库按籍贯县（区）统计，人数最多的{len(aggregates.counties)}个县（区）。",
         count_chart(aggregates.counties, "人才籍贯县（区）分布", "籍贯县（区）")),
        ("明确表示愿意返乡的人才按籍贯市统计，括号内为占该市人才的比例。",
         count_chart(aggregates.returnees["willing"], "愿意返乡人才的籍贯市分布", "籍贯市",
                     aggregates.returnees["share"])),
        ("人才期望月薪与岗位提供月薪（上下限）的分布：箱体为25%–75%分位，中线为中位数。",
         salary_chart(aggregates.salaries)),
    ]


def png_base64(figure: Figure) -> str:
    """The figure as a base64 PNG, ready for ``<img src="data:image/png;base64,...">``."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def text_page(title: str, lines: list[str]) -> Figure:
    """An A4-portrait page of plain lines, the PDF's summary page."""
    figure = Figure(figsize=(8.27, 11.69), dpi=DPI)
    FigureCanvasAgg(figure)
    figure.text(0.08, 0.94, title, fontsize=18, va="top")
    for i, line in enumerate(lines):
        figure.text(0.08, 0.89 - i * 0.024, line, fontsize=10, va="top")
    return figure


def write_pdf(path: Path, figures: list[Figure]) -> None:
    """One page per figure, in order. Glyphs go in as Type 3 subsets (matplotlib's default): they print
    anywhere, and embed twice as fast as Type 42 from a CJK font collection."""
    with PdfPages(path) as pdf:
        for figure in figures:
            pdf.savefig(figure)
