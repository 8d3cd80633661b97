"""The printable event report: aggregates of a finished bulk run as self-contained HTML (and PDF) with charts.

Only aggregates reach the report: counts by industry, county and city, salary quantiles, urgent jobs. Talent
ids, names and phones never do. talent_top.csv is read in chunks of two columns, so memory stays
O(jobs + chunk) for any pool size.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from matcher.bulk.event_html import render_report, schedule_rows, summary_rows
from matcher.bulk.report import headcounts, urgent_jobs
from matcher.bulk.schedule import read_pairs
from matcher.catalogs.regions import region_by_code

logger = logging.getLogger(__name__)

REPORT_HTML, REPORT_PDF = "report.html", "report.pdf"
TOP_PLACES = 20
"""Counties and cities shown, most talents first."""
REPORT_TALENT_COLUMNS = ("hometown_county_code", "hometown_city_code", "willing_to_return", "expected_salary_min",
                         "expected_salary_max")
"""The talent columns the report reads: a bulk run hands over these, not its pool's whole rows."""
UNCLASSIFIED = "未分类"
PDF_GAP_LINES = 15


@dataclass(frozen=True)
class EventAggregates:
    """What the charts and tables show; every frame is small (≤ jobs rows)."""

    by_industry: pd.DataFrame
    """index industry_key; pairs, strong (score above the median), int; most pairs first."""
    urgent: pd.DataFrame
    """one row per ★4–5 job: job_id, title, employer, urgency_stars, headcount, fitting_candidates (talents of the
    pool fitting it), shortfall; gaps first."""
    counties: pd.Series
    """talents per hometown county, named 周口市商水县; top ``TOP_PLACES``, most first."""
    returnees: pd.DataFrame
    """index hometown city name; willing (willing_to_return True), talents, share; most willing first."""
    salaries: dict[str, pd.Series]
    """monthly yuan per series label (talents' expected min/max, jobs' offered min/max), missing dropped."""


def pair_counts_by_job(pairs: pd.DataFrame, threshold: float | None) -> pd.DataFrame:
    """Per job_id (str) with a written pair (``read_pairs`` of talent_top.csv, or ``WrittenPairs.job_scores``
    whose job_id is categorical): written pairs and strong ones (score > threshold; 0 when threshold is None)."""
    counts = pd.DataFrame({"pairs": pairs["job_id"].value_counts()})
    strong = (pairs.loc[pairs["score"] > threshold, "job_id"].value_counts() if threshold is not None
              else pd.Series(dtype="int64"))
    counts["strong"] = strong.reindex(counts.index)
    counts = counts[counts["pairs"] > 0]  # a category's jobs are all counted, those without a pair too
    counts.index = counts.index.astype(str)
    return counts.fillna(0).astype(int)


def matches_by_industry(job_counts: pd.DataFrame, jobs: pd.DataFrame) -> pd.DataFrame:
    """job_counts (from ``pair_counts_by_job``) summed by the job's industry_key (missing: 未分类)."""
    industry = pd.Series(jobs["industry_key"].to_numpy(), index=jobs.index.astype(str))
    keys = industry.reindex(job_counts.index)
    keys = keys.where(keys.notna() & (keys != ""), UNCLASSIFIED)
    grouped = job_counts.groupby(keys.to_numpy()).sum()
    return grouped.sort_index().sort_values("pairs", ascending=False, kind="stable")


def urgent_coverage(jobs: pd.DataFrame, fitting: Mapping[str, int]) -> pd.DataFrame:
    """Every ★4–5 job against its headcount (missing: 1, as the run's gap list counts it) and the talents fitting
    it (``fitting``: the summary's urgent_fitting): largest shortfall first, then the least covered."""
    urgent = urgent_jobs(jobs)
    ids = urgent.index.astype(str)
    frame = pd.DataFrame({
        "job_id": ids,
        "title": urgent["title"].to_numpy(), "employer": urgent["employer"].to_numpy(),
        "urgency_stars": pd.to_numeric(urgent["urgency_stars"]).astype(int).to_numpy(),
        "headcount": headcounts(urgent).to_numpy(),
        "fitting_candidates": np.array([int(fitting.get(i, 0)) for i in ids], dtype=np.int64),
    })
    frame["shortfall"] = (frame["headcount"] - frame["fitting_candidates"]).clip(lower=0)
    coverage = frame["fitting_candidates"] / frame["headcount"].clip(lower=1)
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


def aggregate_event(pairs: pd.DataFrame, talents: pd.DataFrame, jobs: pd.DataFrame, summary: dict) -> EventAggregates:
    """Everything the report draws, from the run's written pairs (``read_pairs``) and the two frames."""
    job_counts = pair_counts_by_job(pairs, summary.get("median_score"))
    return EventAggregates(by_industry=matches_by_industry(job_counts, jobs),
                           urgent=urgent_coverage(jobs, summary.get("urgent_fitting") or {}),
                           counties=talents_by_county(talents), returnees=returnees_by_city(talents),
                           salaries=salary_samples(talents, jobs))


def write_event_report(out_dir: Path, talents: pd.DataFrame, jobs: pd.DataFrame, summary: dict,
                       schedule_summary: dict | None = None, title: str = "招才引智活动匹配报告",
                       pairs: pd.DataFrame | None = None) -> Path:
    """Write ``out_dir/report.html`` (charts embedded, print-ready) and ``report.pdf``; returns the HTML path.

    talents: indexed by talent_id with the canonical hometown/salary/willing_to_return columns; jobs: indexed
    by job_id with title, employer, industry_key, salary_min/max, urgency_stars, headcount; summary: the run's
    summary.json; schedule_summary: interviews, total_score, urgent_covered, urgent_positions, optional greedy;
    pairs: at least job_id and score of the run's talent_top.csv (``read_pairs``) when the caller has them (else
    read here).
    """
    started = time.monotonic()
    talent_top = out_dir / "talent_top.csv"
    if not talent_top.exists():
        raise FileNotFoundError(f"{talent_top}: no talent_top.csv in {out_dir}; run the bulk match first")
    from matcher.bulk import charts  # matplotlib stays out of `import matcher.bulk`

    aggregates = aggregate_event(read_pairs(talent_top) if pairs is None else pairs, talents, jobs, summary)
    generated = datetime.now().strftime("%Y-%m-%d %H:%M")
    with charts.chart_style():
        figures = charts.event_figures(aggregates, summary.get("median_score"))
        images = [(caption, charts.png_base64(figure)) for caption, figure in figures]
        pages = [charts.text_page(title, _pdf_summary_lines(summary, schedule_summary, generated))]
        charts.write_pdf(out_dir / REPORT_PDF, pages + [figure for _, figure in figures])
    html = render_report(title, generated, summary, schedule_summary, aggregates,
                         salary_quantiles(aggregates.salaries), images)
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
