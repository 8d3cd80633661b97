"""The event report's HTML: summary, schedule-vs-greedy and gap tables, and the embedded charts, print-ready."""
from __future__ import annotations

import html
import numbers
from typing import TYPE_CHECKING

import pandas as pd

from matcher.bulk.wording import SCHEDULE_LABELS, number_words, schedule_value, summary_rows
from matcher.bulk.workbook import GAP_HEADERS

if TYPE_CHECKING:
    from matcher.bulk.event_report import EventAggregates

SALARY_HEADERS = {"count": "条数", "p25": "25%分位（元）", "median": "中位数（元）", "p75": "75%分位（元）"}
CSS = """
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei",
       "PingFang SC", sans-serif; margin: 2em auto; max-width: 60em; color: #222; }
h1 { border-bottom: 3px solid #1f5c99; padding-bottom: .3em; } h2 { color: #1f5c99; margin-top: 1.6em; }
table { border-collapse: collapse; margin: .5em 0 1em; } th { background: #e8eef5; }
th, td { border: 1px solid #999; padding: .25em .6em; } td.num { text-align: right; }
figure { margin: 1em 0; } figure img { width: 100%; } figcaption { color: #555; font-size: .9em; }
.meta { color: #666; }
@page { size: A4; margin: 15mm; }
@media print {
  body { margin: 0; max-width: none; }
  section.chart { break-before: page; page-break-before: always; }
  figure, tr { break-inside: avoid; page-break-inside: avoid; } thead { display: table-header-group; }
}
"""


def schedule_rows(schedule: dict) -> list[list[str]]:
    """[label, this schedule (, greedy, difference)] for each key of SCHEDULE_LABELS present, in words; the
    solver's internals (bonus, plan, comparison) are not shown."""
    greedy = schedule.get("greedy") if isinstance(schedule.get("greedy"), dict) else None
    rows = []
    for key, label in SCHEDULE_LABELS.items():
        if key not in schedule:
            continue
        row = [label, schedule_value(key, schedule[key])]
        if greedy is not None:
            other = greedy.get(key)
            both = key not in ("seconds", "solver") and all(_is_number(v) for v in (schedule[key], other))
            row += [schedule_value(key, other) if other is not None else "—",
                    number_words(schedule[key] - other) if both else ""]
        rows.append(row)
    return rows


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _table(headers: list[str], rows: list[list[object]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(_cell(v) for v in row) + "</tr>\n" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>\n{body}</tbody></table>"


def _cell(value: object) -> str:
    numeric = _is_number(value)
    text = number_words(value) if numeric else html.escape(str(value))
    return f'<td class="num">{text}</td>' if numeric else f"<td>{text}</td>"


def render_report(title: str, generated: str, summary: dict, schedule: dict | None, aggregates: EventAggregates,
                  salaries: pd.DataFrame, images: list[tuple[str, str]]) -> str:
    """The whole HTML page; salaries: salary_quantiles of the aggregates; images are (caption, base64 PNG)."""
    gaps = summary.get("urgent_gaps") or []
    parts = [f"<h1>{html.escape(title)}</h1>", f'<p class="meta">生成时间：{generated}</p>',
             "<h2>汇总</h2>", _table(["项目", "数值"], [list(row) for row in summary_rows(summary)])]
    if schedule:
        greedy = isinstance(schedule.get("greedy"), dict)
        headers = ["指标", "本次排程"] + (["贪心排程（对照）", "差值"] if greedy else [])
        parts += ["<h2>面试排程对比</h2>", _table(headers, schedule_rows(schedule))]
    parts += [f"<h2>急需岗位缺口（{len(gaps)}个）</h2>",
              _table(list(GAP_HEADERS.values()), [[gap.get(k, "") for k in GAP_HEADERS] for gap in gaps])
              if gaps else "<p>所有急需岗位的合适人选数均已达到需求人数。</p>",
              "<h2>人才籍贯县（区）</h2>",
              _table(["籍贯县（区）", "人数"], [[county, count] for county, count in aggregates.counties.items()]),
              "<h2>愿意返乡人才的籍贯市</h2>",
              _table(["籍贯市", "愿意返乡人数", "该市人才数", "占比"],
                     [[city, r.willing, r.talents, f"{r.share:.0%}"] for city, r in aggregates.returnees.iterrows()]),
              "<h2>薪资分布（月薪）</h2>",
              _table(["序列", *SALARY_HEADERS.values()],
                     [[label, *(row[k] for k in SALARY_HEADERS)] for label, row in salaries.iterrows()])]
    for number, (caption, image) in enumerate(images, start=1):
        parts.append(f'<section class="chart"><figure><img alt="图{number}" src="data:image/png;base64,{image}">'
                     f"<figcaption>图{number}：{html.escape(caption)}</figcaption></figure></section>")
    body = "\n".join(parts)
    return (f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html.escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")
