"""The event workbook ``matches.xlsx``: Chinese sheets for recruiters, laid out to print on A4.

Talent ids only, unless the caller may see contacts (a workstation's staff for their own talents): then
``contacts`` (indexed by talent id: name, phone) adds 姓名 and 联系电话 beside the ids. ID numbers never.
匹配度 is printed 0–100 (``wording.ScoreScale``). With a timetable, the workbook also holds the whole
timetable, every talent's interviews, who could not be placed and why, and one sign-up sheet per booth.
Written with XlsxWriter row by row, faster than openpyxl or pandas' ``to_excel`` (measured by scripts/bench_print.py).
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import xlsxwriter

from matcher.bulk.printed import BOOTH_LIST_HEADERS, SLIP_HEADERS, Printout, booth_lists, event_line, slip_table
from matcher.bulk.sheet_layout import SheetFormats, write_sheet
from matcher.bulk.wording import ScoreScale, summary_rows

SHORTLIST_SHEET, TALENT_SHEET, NO_FIT_SHEET, GAP_SHEET, SCHEDULE_SHEET, SLIP_SHEET, UNPLACED_SHEET, SUMMARY_SHEET = (
    "岗位推荐名单", "人才推荐岗位", "暂无合适岗位", "急需岗位缺口", "面试时间表", "人才面试单", "未能安排", "汇总")
TALENT_SHEET_ROWS = 100_000
"""Rows of per-talent recommendations shown in the workbook; the CSV always holds them all."""
TALENT_SHEET_TOP = 3
"""Jobs shown per talent on 人才推荐岗位: the few staff call a talent about. talent_top.csv (and its Parquet copy)
hold every talent's full top N; a province-wide pool would not fit a sheet with them all."""
LIST_SHEET_ROWS = 100_000
"""Rows of the 未能安排 and 暂无合适岗位 sheets: a province's pool leaves most of its talents without an interview,
more than a sheet holds (1,048,576 rows); unplaced.csv lists every one."""
READ_CHUNK_ROWS = 200_000

CONTACT_HEADERS = {"name": "姓名", "phone": "联系电话"}
SHORTLIST_HEADERS = {"job_id": "岗位编号", "title": "岗位名称", "employer": "用人单位", "rank": "排名",
                     "talent_id": "人才编号", "score": "匹配度", "reasons": "推荐理由"}
TALENT_HEADERS = {"talent_id": "人才编号", "job_id": "岗位编号", "title": "岗位名称", "employer": "用人单位",
                  "rank": "排名", "score": "匹配度", "reasons": "推荐理由"}
SCHEDULE_HEADERS = {"booth_no": "展位号", "booth": "展位", "time": "时间", "desk": "桌号", "talent_id": "人才编号",
                    "job_id": "岗位编号", "title": "岗位名称", "percent": "匹配度", "urgent": "急需"}
UNPLACED_HEADERS = {"kind": "类别", "id": "编号", "name": "名称", "reason": "原因"}
NO_FIT_HEADERS = {"talent_id": "人才编号", "current_title": "现职业/工种", "note": "说明"}
GAP_HEADERS = {"job_id": "岗位编号", "title": "岗位名称", "employer": "用人单位", "city": "工作地点",
               "urgency_stars": "紧缺程度（星）", "headcount": "需求人数",
               "fitting_candidates": "合适人选数", "shortfall": "缺口人数"}
SHEET_NAME_UNSAFE = re.compile(r"[\[\]:*?/\\']")


def write_workbook(path: Path, shortlists: pd.DataFrame, talent_top: Path, gaps: list[dict], summary: dict,
                   jobs: pd.DataFrame, row_cap: int = TALENT_SHEET_ROWS, printout: Printout | None = None,
                   contacts: pd.DataFrame | None = None, scale: ScoreScale | None = None,
                   unmatched: pd.DataFrame | None = None, best_rows: pd.DataFrame | None = None) -> None:
    """shortlists: job_shortlists rows; talent_top: the CSV (first ``row_cap`` rows read); jobs: indexed by id;
    printout: the timetable (its sheets when given); contacts: see the module docstring; scale: the run's
    ScoreScale (None: taken from the rows read); unmatched: ``no_fit_rows`` (its sheet when not empty);
    best_rows: the rows of talent_top.csv ranked TALENT_SHEET_TOP or better, in file order, at most ``row_cap``,
    when the caller already has them (``WrittenPairs.best``), else they are read here."""
    titles = jobs[["title", "employer"]]
    top = _best_per_talent(talent_top, TALENT_SHEET_TOP, row_cap) if best_rows is None else best_rows
    scale = scale or ScoreScale.of(top["score"].dropna())
    talent_sheet = _sheet(_percent(_with_titles(top, titles), scale), TALENT_HEADERS, contacts)
    if summary["pairs"] > len(top):
        note = (f"（每人显示前{TALENT_SHEET_TOP}个岗位，最多{row_cap}行；共{summary['pairs']}行，"
                "完整名单见 talent_top.csv）")
        talent_sheet = pd.concat([talent_sheet, pd.DataFrame([{"人才编号": note}])], ignore_index=True)
    sheets = {SHORTLIST_SHEET: _sheet(_percent(_with_titles(shortlists, titles), scale), SHORTLIST_HEADERS, contacts),
              TALENT_SHEET: talent_sheet,
              **({} if unmatched is None or not len(unmatched) else
                 {NO_FIT_SHEET: _sheet(_capped(unmatched, "note", "暂无合适岗位的人才"), NO_FIT_HEADERS, contacts)}),
              GAP_SHEET: pd.DataFrame(gaps, columns=list(GAP_HEADERS)).rename(columns=GAP_HEADERS)}
    if printout is not None:
        sheets |= _timetable_sheets(printout, contacts)
    sheets[SUMMARY_SHEET] = pd.DataFrame(summary_rows(summary), columns=["项目", "数值"])
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                           "strings_to_urls": False})
    # Text stays text: no formula from a cell starting with "=" (spreadsheet injection through a profile
    # field) and no URL detection, whose per-cell regular expressions cost more than the writing.
    try:
        formats = SheetFormats(book)
        for name, frame in sheets.items():
            write_sheet(book, formats, name, frame)
        if printout is not None:
            _booth_sheets(book, formats, printout, contacts)
    finally:
        book.close()


def _best_per_talent(talent_top: Path, top: int, row_cap: int) -> pd.DataFrame:
    """The rows of talent_top.csv ranked ``top`` or better, in file order, at most ``row_cap``; read in chunks
    that stop once the cap is reached, so the whole file is never held."""
    kept, count = [], 0
    dtypes = {"talent_id": str, "job_id": str, "reasons": str}
    with pd.read_csv(talent_top, dtype=dtypes, keep_default_na=False, chunksize=READ_CHUNK_ROWS) as chunks:
        for chunk in chunks:
            best = chunk[pd.to_numeric(chunk["rank"], errors="coerce") <= top].iloc[:row_cap - count]
            kept.append(best)
            count += len(best)
            if count >= row_cap:
                break
    rows = pd.concat(kept, ignore_index=True) if kept else pd.read_csv(talent_top, dtype=dtypes, nrows=0)
    return rows.assign(score=pd.to_numeric(rows["score"], errors="coerce"))


def _timetable_sheets(printout: Printout, contacts: pd.DataFrame | None) -> dict[str, pd.DataFrame]:
    interviews = printout.interviews.assign(
        time=printout.interviews["start"] + "–" + printout.interviews["end"],
        urgent=printout.interviews["urgent"].map({True: "是", False: ""}))
    headers = {k: v for k, v in SCHEDULE_HEADERS.items() if k != "desk" or printout.plan.interviewers > 1}
    slips = slip_table(printout.interviews, contacts)
    return {SCHEDULE_SHEET: _sheet(interviews, headers, contacts),
            SLIP_SHEET: slips.rename(columns={"talent_id": "人才编号", **CONTACT_HEADERS, **SLIP_HEADERS}),
            UNPLACED_SHEET: _unplaced_sheet(_capped(printout.unplaced, "reason", "未能安排的人才和岗位"), contacts)}


def _capped(rows: pd.DataFrame, note_column: str, what: str) -> pd.DataFrame:
    """``rows`` when they fit LIST_SHEET_ROWS; else every row but a talent's (an urgent position's stays) and the
    first talents up to the cap, then a note in ``note_column`` saying where the rest are."""
    if len(rows) <= LIST_SHEET_ROWS:
        return rows
    talent = rows["kind"].eq("人才") if "kind" in rows else pd.Series(True, index=rows.index)
    shown = rows[~talent | (talent.cumsum() <= LIST_SHEET_ROWS - int((~talent).sum()))]
    where = "，完整名单见 unplaced.csv）" if "kind" in rows else "）"
    note = f"（仅显示{len(shown)}行；共{len(rows)}行{what}{where}"
    return pd.concat([shown, pd.DataFrame([{note_column: note}])], ignore_index=True)


def _unplaced_sheet(unplaced: pd.DataFrame, contacts: pd.DataFrame | None) -> pd.DataFrame:
    """Who could not be placed and why; a talent's 姓名 and 联系电话 beside the id when allowed, so staff can call."""
    if contacts is None:
        return unplaced.rename(columns=UNPLACED_HEADERS)
    talent = unplaced["kind"] == "人才"
    known = contacts[list(CONTACT_HEADERS)].reindex(unplaced["id"].where(talent)).to_numpy()
    sheet = unplaced.rename(columns=UNPLACED_HEADERS)
    for position, (i, header) in enumerate(enumerate(CONTACT_HEADERS.values()), start=2):
        sheet.insert(position, header, known[:, i])
    return sheet


def _booth_sheets(book: xlsxwriter.Workbook, formats: SheetFormats, printout: Printout,
                  contacts: pd.DataFrame | None) -> None:
    """A sign-up sheet per booth, named "3号 用人单位" (Excel's 31 characters, its forbidden characters out)."""
    line = event_line(printout.plan)
    for booth_no, name, rows in booth_lists(printout.interviews, printout.booths, printout.plan, contacts):
        sheet_name = SHEET_NAME_UNSAFE.sub("", f"{booth_no}号 {name}")[:31]
        title = f"{booth_no}号展位　{name}　面试签到表　{line}"
        write_sheet(book, formats, sheet_name, rows.rename(columns=BOOTH_LIST_HEADERS), title=title)


def _percent(rows: pd.DataFrame, scale: ScoreScale) -> pd.DataFrame:
    return rows.assign(score=scale.percent(pd.to_numeric(rows["score"], errors="coerce")))


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
