"""The event workbook ``matches.xlsx``: Chinese sheets for recruiters, talent ids only (no names or phones)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

SHORTLIST_SHEET, TALENT_SHEET, GAP_SHEET, SUMMARY_SHEET = "岗位推荐名单", "人才推荐岗位", "急需岗位缺口", "汇总"
TALENT_SHEET_ROWS = 100_000
"""Rows of per-talent recommendations shown in the workbook; the CSV always holds them all."""

SHORTLIST_HEADERS = {"job_id": "岗位编号", "title": "岗位名称", "employer": "用人单位", "rank": "排名",
                     "talent_id": "人才编号", "score": "匹配度", "reasons": "推荐理由"}
TALENT_HEADERS = {"talent_id": "人才编号", "job_id": "岗位编号", "title": "岗位名称", "employer": "用人单位",
                  "rank": "排名", "score": "匹配度", "reasons": "推荐理由"}
GAP_HEADERS = {"job_id": "岗位编号", "title": "岗位名称", "employer": "用人单位", "city": "工作地点",
               "urgency_stars": "紧缺程度（星）", "headcount": "需求人数",
               "candidates_above_median": "中位数以上候选人数", "shortfall": "缺口人数"}
SUMMARY_LABELS = {"talents": "人才数", "jobs": "岗位数", "pairs": "写出匹配条数", "seconds": "用时（秒）",
                  "median_score": "匹配度中位数", "top": "每人推荐岗位数", "shortlist": "每岗位名单人数",
                  "urgent_gaps": "急需岗位缺口数"}


def write_workbook(path: Path, shortlists: pd.DataFrame, talent_top: Path, gaps: list[dict], summary: dict,
                   jobs: pd.DataFrame, row_cap: int = TALENT_SHEET_ROWS) -> None:
    """shortlists: job_shortlists rows; talent_top: the CSV (first ``row_cap`` rows read); jobs: indexed by id."""
    titles = jobs[["title", "employer"]]
    top = pd.read_csv(talent_top, nrows=row_cap, dtype={"talent_id": str, "job_id": str}, keep_default_na=False)
    talent_sheet = _with_titles(top, titles)[list(TALENT_HEADERS)].rename(columns=TALENT_HEADERS)
    if summary["pairs"] > row_cap:
        note = f"（仅显示前{row_cap}行，共{summary['pairs']}行，完整名单见 talent_top.csv）"
        talent_sheet = pd.concat([talent_sheet, pd.DataFrame([{"人才编号": note}])], ignore_index=True)
    sheets = {
        SHORTLIST_SHEET: _with_titles(shortlists, titles)[list(SHORTLIST_HEADERS)].rename(columns=SHORTLIST_HEADERS),
        TALENT_SHEET: talent_sheet,
        GAP_SHEET: pd.DataFrame(gaps, columns=list(GAP_HEADERS)).rename(columns=GAP_HEADERS),
        SUMMARY_SHEET: pd.DataFrame({"项目": [SUMMARY_LABELS[k] for k in SUMMARY_LABELS],
                                    "数值": [_summary_value(summary, k) for k in SUMMARY_LABELS]}),
    }
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)


def _with_titles(rows: pd.DataFrame, titles: pd.DataFrame) -> pd.DataFrame:
    return rows.join(titles, on="job_id") if len(rows) else rows.reindex(columns=[*rows.columns, *titles.columns])


def _summary_value(summary: dict, key: str) -> object:
    value = summary[key]
    return len(value) if key == "urgent_gaps" else value
