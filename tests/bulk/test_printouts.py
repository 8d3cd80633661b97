"""The printed outputs of a timetable: booth sheets and slips in the workbook and the PDFs, laid out for A4."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pandas as pd
import pytest
from openpyxl import load_workbook

from matcher.bulk.print_pdf import write_booth_sheets, write_slips
from matcher.bulk.printed import Printout, booth_lists, event_line, talent_slips
from matcher.bulk.timetable import EventPlan, timetable_event
from matcher.bulk.workbook import SUMMARY_SHEET, TALENT_SHEET, write_workbook

JOBS = pd.DataFrame({"title": ["焊工", "护士", "电工"], "employer": ["甲公司", "乙医院", "甲公司"],
                     "headcount": [2.0, 1.0, 1.0], "urgency_stars": [2.0, 5.0, 1.0]},
                    index=pd.Index(["J1", "J2", "J3"], name="job_id"))
PAIRS = pd.DataFrame({"talent_id": ["T1", "T1", "T2", "T3", "T4"], "job_id": ["J1", "J2", "J1", "J3", "J2"],
                      "score": [2.0, 1.0, 0.5, -1.0, 0.2]})
CONTACTS = pd.DataFrame({"name": ["王建国", "李娜", "赵磊", "钱敏"], "phone": ["13812345678"] * 4},
                        index=pd.Index(["T1", "T2", "T3", "T4"], name="talent_id"))
PLAN = EventPlan(date=dt.date(2026, 12, 20), start=dt.time(9, 0), end=dt.time(10, 0), slot_minutes=20,
                 venue="周口市人才市场")


@pytest.fixture(scope="module")
def printout() -> Printout:
    table = timetable_event(PAIRS, JOBS, PLAN)
    interviews = table.interviews.assign(percent=[100, 67, 50, 40][:len(table.interviews)], reasons="学历匹配")
    return Printout(interviews, table.unplaced, table.booths, PLAN)


def _book(tmp_path, printout, contacts=None):
    talent_top = tmp_path / "talent_top.csv"
    PAIRS.assign(rank=1, reasons="学历匹配").to_csv(talent_top, index=False)
    summary = {"talents": 4, "jobs": 3, "pairs": 5, "seconds": 65.0, "urgent_gaps": []}
    path = tmp_path / "matches.xlsx"
    write_workbook(path, pd.DataFrame(columns=["job_id", "rank", "talent_id", "score", "reasons"]), talent_top, [],
                   summary, JOBS, printout=printout, contacts=contacts)
    return load_workbook(path)


def test_every_sheet_prints_on_a4_with_a_bold_repeated_frozen_header(tmp_path, printout):
    book = _book(tmp_path, printout)
    for sheet in book.worksheets:
        assert sheet.page_setup.paperSize == 9 and "&P" in sheet.oddFooter.center.text
        # one page wide (fitToWidth's default 1), as many pages tall as it takes
        assert sheet.page_setup.fitToHeight == 0 and sheet.sheet_properties.pageSetUpPr.fitToPage
    talents = book[TALENT_SHEET]
    assert talents.freeze_panes == "A2" and talents.print_title_rows == "$1:$1" and talents["A1"].font.b
    assert talents.page_setup.orientation == "landscape"  # 124 character widths: wider than a portrait page
    assert book[SUMMARY_SHEET].page_setup.orientation in (None, "portrait")
    assert talents.column_dimensions["G"].width == pytest.approx(46, abs=1)  # 推荐理由
    assert talents["G2"].alignment.wrap_text


def test_a_sign_up_sheet_per_booth_with_every_slot(tmp_path, printout):
    book = _book(tmp_path, printout)
    assert book.sheetnames[-2:] == ["1号 甲公司", "2号 乙医院"]
    sheet = book["2号 乙医院"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "2号展位　乙医院　面试签到表　2026-12-20　09:00–10:00　周口市人才市场"
    assert rows[1] == ("时间", "人才编号", "岗位名称", "匹配度", "推荐理由", "签到", "备注")
    # the urgent 护士 booth: T1 (its best urgent match) first, then T4, then an empty row for a walk-in
    assert [r[:2] for r in rows[2:]] == [("09:00–09:20", "T1"), ("09:20–09:40", "T4"), ("09:40–10:00", None)]
    assert sheet.freeze_panes == "A3" and sheet.print_title_rows == "$1:$2"


def _cells(book) -> str:
    return " ".join(str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row)


def test_names_and_phones_only_with_contacts(tmp_path, printout):
    without = _cells(_book(tmp_path, printout))
    assert "王建国" not in without and "13812345678" not in without
    with_contacts = _book(tmp_path, printout, CONTACTS)
    header = list(with_contacts["1号 甲公司"].iter_rows(values_only=True))[1]
    assert header[:4] == ("时间", "人才编号", "姓名", "联系电话")
    assert "王建国" in _cells(with_contacts) and "13812345678" in _cells(with_contacts)
    unplaced = list(with_contacts["未能安排"].iter_rows(values_only=True))
    assert unplaced[0] == ("类别", "编号", "姓名", "联系电话", "名称", "原因")
    assert unplaced[1] == ("人才", "T3", "赵磊", "13812345678", None, "没有匹配度为正的推荐岗位")


def test_an_urgent_job_left_short_keeps_its_title_beside_the_contact_columns(tmp_path, printout):
    short = pd.DataFrame([("急需岗位", "J9", "电焊工", "匹配的人才不足：需2人，仅0人匹配")],
                         columns=printout.unplaced.columns)
    with_short = Printout(printout.interviews, pd.concat([printout.unplaced, short], ignore_index=True),
                          printout.booths, PLAN)
    rows = list(_book(tmp_path, with_short, CONTACTS)["未能安排"].iter_rows(values_only=True))
    assert rows[-1] == ("急需岗位", "J9", None, None, "电焊工", "匹配的人才不足：需2人，仅0人匹配")


def test_slips_say_where_and_when_and_why_not(printout):
    slips = {slip.talent_id: slip for slip in talent_slips(printout.interviews, printout.unplaced, CONTACTS)}
    assert [(r["time"], r["place"], r["employer"]) for r in slips["T1"].rows] == [
        ("09:00–09:20", "2号展位", "乙医院"), ("09:20–09:40", "1号展位", "甲公司")]
    assert slips["T1"].name == "王建国"
    assert slips["T3"].rows == [] and slips["T3"].note == "本次未能安排面试：没有匹配度为正的推荐岗位"
    assert event_line(PLAN) == "2026-12-20　09:00–10:00　周口市人才市场"


def test_the_pdfs_have_a_page_per_booth_and_six_slips_a_page(tmp_path, printout):
    lists = list(booth_lists(printout.interviews, printout.booths, PLAN, CONTACTS))
    assert write_booth_sheets(tmp_path / "booths.pdf", lists, event_line(PLAN)) == 2
    slips = talent_slips(printout.interviews, printout.unplaced, None) * 4  # 16 slips
    assert write_slips(tmp_path / "slips.pdf", slips, event_line(PLAN)) == 3
    for name in ("booths.pdf", "slips.pdf"):
        assert (tmp_path / name).read_bytes()[:5] == b"%PDF-"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_the_booth_pdf_reads_back_as_chinese_text_without_phones(tmp_path, printout):
    lists = booth_lists(printout.interviews, printout.booths, PLAN, CONTACTS)
    write_booth_sheets(tmp_path / "booths.pdf", lists, event_line(PLAN))
    text = subprocess.run(["pdftotext", str(tmp_path / "booths.pdf"), "-"], capture_output=True, text=True).stdout
    assert "1号展位" in text and "面试签到表" in text and "王建国" in text and "09:00–09:20" in text
    assert "13812345678" not in text
