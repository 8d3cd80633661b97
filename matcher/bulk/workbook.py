"""The event workbook ``matches.xlsx``: Chinese sheets for recruiters.

Talent ids only, unless the caller may see contacts (a workstation's staff for their own talents): then
``contacts`` (indexed by talent id: name, phone) adds 姓名 and 联系电话 beside the ids. ID numbers never.
Written with XlsxWriter row by row: openpyxl took ~20 s for a 100k-row sheet, pandas' ``to_excel`` ~10 s.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import xlsxwriter

SHORTLIST_SHEET, TALENT_SHEET, GAP_SHEET, SCHEDULE_SHEET, SUMMARY_SHEET = (
    "岗位推荐名单", "人才推荐岗位", "急需岗位缺口", "面试安排", "汇总")
TALENT_SHEET_ROWS = 100_000
"""Rows of per-talent recommendations shown in the workbook; the CSV always holds them all."""

CONTACT_HEADERS = {"name": "姓名", "phone": "联系电话"}
SHORTLIST_HEADERS = {"job_id": "岗位编号", "title": "岗位名称", "employer": "用人单位", "rank": "排名",
                     "talent_id": "人才编号", "score": "匹配度", "reasons": "推荐理由"}
TALENT_HEADERS = {"talent_id": "人才编号", "job_id": "岗位编号", "title": "岗位名称", "employer": "用人单位",
                  "rank": "排名", "score": "匹配度", "reasons": "推荐理由"}
SCHEDULE_HEADERS = {"employer": "用人单位", "booth_queue": "面试顺序", "job_id": "岗位编号", "title": "岗位名称",
                    "talent_id": "人才编号", "talent_slot": "人才面试场次", "score": "匹配度"}
GAP_HEADERS = {"job_id": "岗位编号", "title": "岗位名称", "employer": "用人单位", "city": "工作地点",
               "urgency_stars": "紧缺程度（星）", "headcount": "需求人数",
               "candidates_above_median": "中位数以上候选人数", "shortfall": "缺口人数"}
SUMMARY_LABELS = {"talents": "人才数", "jobs": "岗位数", "pairs": "写出匹配条数", "seconds": "用时（秒）",
                  "median_score": "匹配度中位数", "top": "每人推荐岗位数", "shortlist": "每岗位名单人数",
                  "urgent_gaps": "急需岗位缺口数"}


def write_workbook(path: Path, shortlists: pd.DataFrame, talent_top: Path, gaps: list[dict], summary: dict,
                   jobs: pd.DataFrame, row_cap: int = TALENT_SHEET_ROWS, schedule: pd.DataFrame | None = None,
                   contacts: pd.DataFrame | None = None) -> None:
    """shortlists: job_shortlists rows; talent_top: the CSV (first ``row_cap`` rows read); jobs: indexed by id;
    schedule: interview assignments (sheet 面试安排 when given); contacts: see the module docstring."""
    titles = jobs[["title", "employer"]]
    top = pd.read_csv(talent_top, nrows=row_cap, dtype={"talent_id": str, "job_id": str}, keep_default_na=False)
    talent_sheet = _sheet(_with_titles(top, titles), TALENT_HEADERS, contacts)
    if summary["pairs"] > row_cap:
        note = f"（仅显示前{row_cap}行，共{summary['pairs']}行，完整名单见 talent_top.csv）"
        talent_sheet = pd.concat([talent_sheet, pd.DataFrame([{"人才编号": note}])], ignore_index=True)
    sheets = {SHORTLIST_SHEET: _sheet(_with_titles(shortlists, titles), SHORTLIST_HEADERS, contacts),
              TALENT_SHEET: talent_sheet,
              GAP_SHEET: pd.DataFrame(gaps, columns=list(GAP_HEADERS)).rename(columns=GAP_HEADERS)}
    if schedule is not None:
        ordered = schedule.drop(columns=["employer"], errors="ignore").sort_values(["job_id", "booth_queue"])
        sheets[SCHEDULE_SHEET] = _sheet(_with_titles(ordered, titles).sort_values(["employer", "booth_queue"]),
                                        SCHEDULE_HEADERS, contacts)
    sheets[SUMMARY_SHEET] = pd.DataFrame({"项目": [SUMMARY_LABELS[k] for k in SUMMARY_LABELS],
                                         "数值": [_summary_value(summary, k) for k in SUMMARY_LABELS]})
    _write_sheets(path, sheets)


def _write_sheets(path: Path, sheets: dict[str, pd.DataFrame]) -> None:
    """Row by row in XlsxWriter's constant-memory mode (rows stream to disk, strings inline): a third of the
    time pandas' cell-by-cell ``to_excel`` takes for the 100k-row sheet. Missing values become empty cells."""
    # Text stays text: no formula from a cell starting with "=" (spreadsheet injection through a profile
    # field) and no URL detection, whose per-cell regular expressions cost more than the writing.
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                           "strings_to_urls": False})
    try:
        for name, frame in sheets.items():
            sheet = book.add_worksheet(name)
            sheet.write_row(0, 0, [str(c) for c in frame.columns])
            values = frame.astype(object).where(frame.notna(), None)  # Python scalars, None for NaN
            for number, row in enumerate(values.itertuples(index=False, name=None), start=1):
                sheet.write_row(number, 0, row)
    finally:
        book.close()


def _sheet(rows: pd.DataFrame, headers: dict[str, str], contacts: pd.DataFrame | None) -> pd.DataFrame:
    """The header columns renamed to Chinese; contact columns right after 人才编号 when allowed."""
    columns = list(headers)
    if contacts is not None:
        rows = rows.join(contacts[list(CONTACT_HEADERS)], on="talent_id")
        at = columns.index("talent_id") + 1
        columns[at:at] = list(CONTACT_HEADERS)
    return rows[columns].rename(columns={**headers, **CONTACT_HEADERS})


def _with_titles(rows: pd.DataFrame, titles: pd.DataFrame) -> pd.DataFrame:
    return rows.join(titles, on="job_id") if len(rows) else rows.reindex(columns=[*rows.columns, *titles.columns])


def _summary_value(summary: dict, key: str) -> object:
    value = summary[key]
    return len(value) if key == "urgent_gaps" else value
