"""The printable event report: aggregates of a finished bulk run as self-contained HTML (and PDF) with charts.

Only aggregates reach the report: counts by industry, county and city, salary quantiles, urgent jobs. Talent
ids, names and phones never do. talent_top.csv is read in chunks of two columns, so memory stays
O(jobs + chunk) for any pool size.
"""
from __future__ import annotations

import html
import logging
import numbers
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from matcher.bulk.report import CHUNK_ROWS, URGENT_STARS
from matcher.bulk.workbook import GAP_HEADERS, SUMMARY_LABELS
from matcher.catalogs.regions import region_by_code

logger = logging.getLogger(__name__)

REPORT_HTML, REPORT_PDF = "report.html", "report.pdf"
TOP_PLACES = 20
"""Counties and cities shown, most talents first."""
UNCLASSIFIED = "未分类"
PDF_GAP_LINES = 15


@dataclass(frozen=True)
class EventAggregates:
    """What the charts and tables show; every frame is small (≤ jobs rows)."""

    by_industry: pd.DataFrame
    """index industry_key; pairs, strong (score above the median), int; most pairs first."""
    urgent: pd.DataFrame
    """one row per ★4–5 job: job_id, title, employer, urgency_stars, headcount, candidates_above_median,
    shortfall; gaps first."""
    counties: pd.Series
    """talents per hometown county, named 周口市商水县; top ``TOP_PLACES``, most first."""
    returnees: pd.DataFrame
    """index hometown city name; willing (willing_to_return True), talents, share; most willing first."""
    salaries: dict[str, pd.Series]
    """monthly yuan per series label (talents' expected min/max, jobs' offered min/max), missing dropped."""


def pair_counts_by_job(talent_top: Path, threshold: float | None) -> pd.DataFrame:
    """Per job_id (str): pairs in talent_top.csv and strong ones (score > threshold; 0 when threshold is None)."""
    pairs, strong = [], []
    for chunk in pd.read_csv(talent_top, usecols=["job_id", "score"], dtype={"job_id": str}, chunksize=CHUNK_ROWS):
        pairs.append(chunk["job_id"].value_counts())
        if threshold is not None:
            strong.append(chunk.loc[chunk["score"] > threshold, "job_id"].value_counts())
    counts = pd.DataFrame({"pairs": _summed(pairs), "strong": _summed(strong)})
    return counts.fillna(0).astype(int)


def _summed(counts: list[pd.Series]) -> pd.Series:
    return pd.concat(counts).groupby(level=0).sum() if counts else pd.Series(dtype="int64")


def matches_by_industry(job_counts: pd.DataFrame, jobs: pd.DataFrame) -> pd.DataFrame:
    """job_counts (from ``pair_counts_by_job``) summed by the job's industry_key (missing: 未分类)."""
    industry = pd.Series(jobs["industry_key"].to_numpy(), index=jobs.index.astype(str))
    keys = industry.reindex(job_counts.index)
    keys = keys.where(keys.notna() & (keys != ""), UNCLASSIFIED)
    grouped = job_counts.groupby(keys.to_numpy()).sum()
    return grouped.sort_index().sort_values("pairs", ascending=False, kind="stable")


def urgent_coverage(jobs: pd.DataFrame, strong_by_job: pd.Series) -> pd.DataFrame:
    """Every ★4–5 job against its headcount (missing: 1, as the run's gap list counts it): largest shortfall
    first, then the least covered (candidates per position)."""
    stars = pd.to_numeric(jobs["urgency_stars"], errors="coerce")
    urgent = jobs[stars.fillna(0) >= URGENT_STARS]
    ids = urgent.index.astype(str)
    frame = pd.DataFrame({
        "job_id": ids,
        "title": urgent["title"].to_numpy(), "employer": urgent["employer"].to_numpy(),
        "urgency_stars": stars[urgent.index].astype(int).to_numpy(),
        "headcount": pd.to_numeric(urgent["headcount"], errors="coerce").fillna(1).astype(int).to_numpy(),
        "candidates_above_median": strong_by_job.reindex(ids).fillna(0).astype(int).to_numpy(),
    })
    frame["shortfall"] = (frame["headcount"] - frame["candidates_above_median"]).clip(lower=0)
    coverage = frame["candidates_above_median"] / frame["headcount"].clip(lower=1)
    order = frame.assign(coverage=coverage).sort_values(["shortfall", "coverage", "urgency_stars", "job_id"],
                                                        ascending=[False, True, False, True])
    return order.drop(columns="coverage").reset_index(drop=True)


def talents_by_county(talents: pd.DataFrame, top: int = TOP_PLACES) -> pd.Series:
    """Talents per hometown county, named city + county (周口市商水县), most first then by name."""
    counts = _region_codes(talents["hometown_county_code"]).value_counts()
    named = pd.Series(counts.to_numpy(), index=[county_name(code) for code in counts.index])
    return _largest(named.groupby(level=0).sum(), top)


def county_name(code: str) -> str:
    """周口市商水县 for 411623; 济源市 for 419001 (its city is a placeholder); the code itself if unknown."""
    entry = region_by_code(code)
    if entry is None:
        return code
    city = region_by_code(entry.city_code) if entry.city_code and entry.city_code != entry.code else None
    prefix = city.name if city is not None and not city.is_placeholder and entry.level == "county" else ""
    return prefix + entry.name


def returnees_by_city(talents: pd.DataFrame, top: int = TOP_PLACES) -> pd.DataFrame:
    """Per hometown city: talents willing to return (True only), all talents from there, and the share."""
    willing = talents["willing_to_return"].eq(True).fillna(False).astype(bool).to_numpy()
    frame = pd.DataFrame({"city": _hometown_cities(talents).to_numpy(), "willing": willing}).dropna()
    grouped = frame.groupby("city")["willing"].agg(willing="sum", talents="size")
    grouped.index = [_region_name(code) for code in grouped.index]
    grouped = grouped.groupby(level=0).sum()
    grouped = grouped[grouped["willing"] > 0].astype(int)
    grouped["share"] = grouped["willing"] / grouped["talents"]
    return grouped.loc[_largest(grouped["willing"], top).index]


def _hometown_cities(talents: pd.DataFrame) -> pd.Series:
    """City codes, the county's city when only the county is known; a county under a placeholder city
    (省直辖行政区划, e.g. 济源市) stands for itself."""
    county = _region_codes(talents["hometown_county_code"])
    city = _region_codes(talents["hometown_city_code"])
    city = city.fillna(county.map(lambda code: getattr(region_by_code(code), "city_code", None), na_action="ignore"))
    placeholders = [code for code in city.dropna().unique() if getattr(region_by_code(code), "is_placeholder", False)]
    return city.where(~city.isin(placeholders), county)


def _region_codes(values: pd.Series) -> pd.Series:
    """6-digit code strings whatever dtype the frame gave them (411623.0 → '411623'); NaN when missing."""
    present = values.dropna()
    texts = {value: (str(int(value)) if isinstance(value, float) else str(value).strip()) or None
             for value in present.unique()}
    return present.map(texts).reindex(values.index)


def _region_name(code: str) -> str:
    entry = region_by_code(code)
    return entry.name if entry is not None else code


def _largest(counts: pd.Series, top: int) -> pd.Series:
    return counts.sort_index().sort_values(ascending=False, kind="stable").head(top)


def salary_samples(talents: pd.DataFrame, jobs: pd.DataFrame) -> dict[str, pd.Series]:
    """Positive monthly yuan of each side's range ends; missing (NaN) and zero values dropped."""
    columns = {"人才期望月薪下限": talents.get("expected_salary_min"),
               "人才期望月薪上限": talents.get("expected_salary_max"),
               "岗位提供月薪下限": jobs.get("salary_min"), "岗位提供月薪上限": jobs.get("salary_max")}
    samples = {}
    for label, values in columns.items():
        numbers = pd.to_numeric(values, errors="coerce") if values is not None else pd.Series(dtype=float)
        samples[label] = numbers[numbers > 0].reset_index(drop=True)
    return samples


def salary_quantiles(samples: dict[str, pd.Series]) -> pd.DataFrame:
    """Per series: count, p25, median, p75 (NaN for an empty series)."""
    rows = {label: {"count": len(values), "p25": values.quantile(0.25), "median": values.median(),
                    "p75": values.quantile(0.75)} for label, values in samples.items()}
    return pd.DataFrame.from_dict(rows, orient="index")


def aggregate_event(talent_top: Path, talents: pd.DataFrame, jobs: pd.DataFrame, summary: dict) -> EventAggregates:
    """Everything the report draws, from one chunked pass over talent_top.csv and the two frames."""
    job_counts = pair_counts_by_job(talent_top, summary.get("median_score"))
    return EventAggregates(by_industry=matches_by_industry(job_counts, jobs),
                           urgent=urgent_coverage(jobs, job_counts["strong"]),
                           counties=talents_by_county(talents), returnees=returnees_by_city(talents),
                           salaries=salary_samples(talents, jobs))


def write_event_report(out_dir: Path, talents: pd.DataFrame, jobs: pd.DataFrame, summary: dict,
                       schedule_summary: dict | None = None, title: str = "招才引智活动匹配报告") -> Path:
    """Write ``out_dir/report.html`` (charts embedded, print-ready) and ``report.pdf``; returns the HTML path.

    talents: indexed by talent_id with the canonical hometown/salary/willing_to_return columns; jobs: indexed
    by job_id with title, employer, industry_key, salary_min/max, urgency_stars, headcount; summary: the run's
    summary.json; schedule_summary: interviews, total_score, urgent_covered, urgent_positions, optional greedy.
    """
    started = time.monotonic()
    talent_top = out_dir / "talent_top.csv"
    if not talent_top.exists():
        raise FileNotFoundError(f"{talent_top}: no talent_top.csv in {out_dir}; run the bulk match first")
    from matcher.bulk import charts  # matplotlib stays out of `import matcher.bulk`

    aggregates = aggregate_event(talent_top, talents, jobs, summary)
    generated = datetime.now().strftime("%Y-%m-%d %H:%M")
    with charts.chart_style():
        figures = charts.event_figures(aggregates, summary.get("median_score"))
        images = [(caption, charts.png_base64(figure)) for caption, figure in figures]
        pages = [charts.text_page(title, _pdf_summary_lines(summary, schedule_summary, generated))]
        charts.write_pdf(out_dir / REPORT_PDF, pages + [figure for _, figure in figures])
    html = render_report(title, generated, summary, schedule_summary, aggregates, images)
    path = out_dir / REPORT_HTML
    path.write_text(html, encoding="utf-8")
    logger.info("event report written to %s (and %s) in %.1f s", path, REPORT_PDF, time.monotonic() - started)
    return path


def _pdf_summary_lines(summary: dict, schedule_summary: dict | None, generated: str) -> list[str]:
    lines = [f"生成时间：{generated}", ""] + [f"{label}：{value}" for label, value in summary_rows(summary)]
    if schedule_summary:
        columns = "（本次 / 贪心 / 差值）" if isinstance(schedule_summary.get("greedy"), dict) else ""
        rows = schedule_rows(schedule_summary)
        lines += ["", f"面试排程{columns}："] + [f"  {row[0]}：{' / '.join(row[1:])}" for row in rows]
    gaps = summary.get("urgent_gaps") or []
    lines += ["", f"急需岗位缺口（{len(gaps)}个）："]
    lines += [f"  ★{gap['urgency_stars']} {gap['title']}（{gap['employer']}）缺{gap['shortfall']}人"
              for gap in gaps[:PDF_GAP_LINES]]
    return lines + ([f"  ……其余{len(gaps) - PDF_GAP_LINES}个见 HTML 报告"] if len(gaps) > PDF_GAP_LINES else [])


SCHEDULE_LABELS = {"interviews": "安排面试场次", "total_score": "匹配度合计", "urgent_covered": "已覆盖急需岗位数",
                   "urgent_positions": "急需岗位数"}
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


def summary_rows(summary: dict) -> list[tuple[str, str]]:
    """(label, value) for the summary keys present, formatted for print; urgent_gaps is counted."""
    rows = []
    for key, label in SUMMARY_LABELS.items():
        if key in summary:
            value = summary[key]
            rows.append((label, _number(len(value) if key == "urgent_gaps" else value)))
    return rows


def schedule_rows(schedule: dict) -> list[list[str]]:
    """[label, schedule value(, greedy value, difference)] per scalar key; known keys first."""
    greedy = schedule.get("greedy") if isinstance(schedule.get("greedy"), dict) else None
    keys = [k for k in SCHEDULE_LABELS if k in schedule]
    keys += [k for k, v in schedule.items() if k not in SCHEDULE_LABELS and isinstance(v, numbers.Real | str)]
    rows = []
    for key in keys:
        row = [SCHEDULE_LABELS.get(key, key), _number(schedule[key])]
        if greedy is not None:
            other = greedy.get(key)
            both = all(_is_number(v) for v in (schedule[key], other))
            row += [_number(other), _number(schedule[key] - other) if both else ""]
        rows.append(row)
    return rows


def _number(value: object) -> str:
    """Thousands separators; floats to 3 decimals below 1000 (scores), whole numbers above (yuan)."""
    if value is None or (isinstance(value, float) and value != value):
        return "—"
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return f"{int(value):,}"
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return f"{value:,.3f}".rstrip("0").rstrip(".") if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _table(headers: list[str], rows: list[list[object]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(_cell(v) for v in row) + "</tr>\n" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>\n{body}</tbody></table>"


def _cell(value: object) -> str:
    numeric = _is_number(value)
    text = _number(value) if numeric else html.escape(str(value))
    return f'<td class="num">{text}</td>' if numeric else f"<td>{text}</td>"


def render_report(title: str, generated: str, summary: dict, schedule: dict | None, aggregates: EventAggregates,
                  images: list[tuple[str, str]]) -> str:
    """The whole HTML page; images are (caption, base64 PNG)."""
    gaps = summary.get("urgent_gaps") or []
    salaries = salary_quantiles(aggregates.salaries)
    parts = [f"<h1>{html.escape(title)}</h1>", f'<p class="meta">生成时间：{generated}</p>',
             "<h2>汇总</h2>", _table(["项目", "数值"], [list(row) for row in summary_rows(summary)])]
    if schedule:
        greedy = isinstance(schedule.get("greedy"), dict)
        headers = ["指标", "本次排程"] + (["贪心排程（对照）", "差值"] if greedy else [])
        parts += ["<h2>面试排程对比</h2>", _table(headers, schedule_rows(schedule))]
    parts += [f"<h2>急需岗位缺口（{len(gaps)}个）</h2>",
              _table(list(GAP_HEADERS.values()), [[gap.get(k, "") for k in GAP_HEADERS] for gap in gaps])
              if gaps else "<p>所有急需岗位的中位数以上候选人数均已达到需求人数。</p>",
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
