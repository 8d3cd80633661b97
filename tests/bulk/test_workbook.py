"""The workbook writer on a hand-made case: sheets and cells as given, text never turned into formulas."""
from __future__ import annotations

import numpy as np
import pandas as pd
from openpyxl import load_workbook

from matcher.bulk.workbook import SHORTLIST_SHEET, SUMMARY_SHEET, TALENT_SHEET, write_workbook

JOBS = pd.DataFrame({"title": ["=HYPERLINK(\"http://x\")", "焊工"], "employer": ["甲公司", "乙公司"]},
                    index=pd.Index(["J1", "J2"], name="job_id"))


def test_cells_are_written_as_given_and_text_stays_text(tmp_path):
    talent_top = tmp_path / "talent_top.csv"
    pd.DataFrame({"talent_id": ["T1", "T1"], "job_id": ["J1", "J2"], "rank": [1, 2], "score": [0.9, 0.5],
                  "reasons": ["=1+1", "http://example.com 技能匹配"]}).to_csv(talent_top, index=False)
    shortlists = pd.DataFrame({"job_id": ["J2"], "rank": [1], "talent_id": ["T1"], "score": [np.nan],
                               "reasons": ["籍贯郑州市"]})
    summary = {"talents": 1, "jobs": 2, "pairs": 2, "seconds": 1.5, "median_score": None, "top": 2,
               "shortlist": 1, "urgent_gaps": []}
    path = tmp_path / "matches.xlsx"
    write_workbook(path, shortlists, talent_top, [], summary, JOBS)
    book = load_workbook(path)
    talent_rows = list(book[TALENT_SHEET].iter_rows(values_only=True))
    assert talent_rows[0] == ("人才编号", "岗位编号", "岗位名称", "用人单位", "排名", "匹配度", "推荐理由")
    assert talent_rows[1] == ("T1", "J1", "=HYPERLINK(\"http://x\")", "甲公司", 1, 100, "=1+1")  # 0.9 is the best
    assert book[TALENT_SHEET]["G2"].data_type == "s" and book[TALENT_SHEET]["C2"].data_type == "s"
    assert book[TALENT_SHEET]["G3"].hyperlink is None
    assert list(book[SHORTLIST_SHEET].iter_rows(values_only=True))[1] == ("J2", "焊工", "乙公司", 1, "T1", None,
                                                                          "籍贯郑州市")
    summary_rows = dict(list(book[SUMMARY_SHEET].iter_rows(values_only=True))[1:])
    assert summary_rows["人才数"] == "1" and summary_rows["匹配用时"] == "2秒"
    assert summary_rows["匹配度中位数（0–100）"] == "—"


def test_talent_sheet_shows_each_talents_best_three_and_says_where_the_rest_are(tmp_path):
    talent_top = tmp_path / "talent_top.csv"
    ranks = [("T1", r) for r in range(1, 6)] + [("T2", r) for r in range(1, 3)] + [("T3", r) for r in range(1, 5)]
    pd.DataFrame({"talent_id": [t for t, _ in ranks], "job_id": ["J1", "J2", "J1", "J2", "J1", "J2", "J1",
                                                                "J1", "J2", "J1", "J2"],
                  "rank": [r for _, r in ranks], "score": [1.0 - r / 10 for _, r in ranks],
                  "reasons": ""}).to_csv(talent_top, index=False)
    summary = {"talents": 3, "jobs": 2, "pairs": len(ranks), "seconds": 1.0, "median_score": None, "top": 5,
               "shortlist": 1, "urgent_gaps": []}
    path = tmp_path / "matches.xlsx"
    empty = pd.DataFrame(columns=["job_id", "rank", "talent_id", "score", "reasons"])
    write_workbook(path, empty, talent_top, [], summary, JOBS)
    rows = list(load_workbook(path)[TALENT_SHEET].iter_rows(values_only=True))[1:]
    assert [(r[0], r[4]) for r in rows[:-1]] == [("T1", 1), ("T1", 2), ("T1", 3), ("T2", 1), ("T2", 2), ("T3", 1),
                                                 ("T3", 2), ("T3", 3)]
    assert "前3个岗位" in rows[-1][0] and "共11行" in rows[-1][0]
    write_workbook(path, empty, talent_top, [], summary, JOBS, row_cap=4)  # the cap still holds
    rows = list(load_workbook(path)[TALENT_SHEET].iter_rows(values_only=True))[1:]
    assert [(r[0], r[4]) for r in rows[:-1]] == [("T1", 1), ("T1", 2), ("T1", 3), ("T2", 1)]
