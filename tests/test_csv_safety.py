"""CSV exports neutralise cells a spreadsheet would run as formulas, and leave everything else as it was."""
from __future__ import annotations

import csv

import pandas as pd

from matcher.bulk.outputs import _write_csv
from matcher.csv_safety import neutralise_csv, neutralised, neutralised_cell


def test_formula_starts_get_an_apostrophe_and_plain_text_and_numbers_do_not():
    assert [neutralised_cell(v) for v in ("=1+2", "+SUM(A1)", "-A1", "@cmd", "\t=x", "T1", "周口-001")] == [
        "'=1+2", "'+SUM(A1)", "'-A1", "'@cmd", "'\t=x", "T1", "周口-001"]
    assert [neutralised_cell(v) for v in ("-1.5", "+3", -2.0, None)] == ["-1.5", "+3", -2.0, None]


def test_schedule_and_shortlist_csvs_are_written_neutralised(tmp_path):
    frame = pd.DataFrame({"talent_id": ["=1+2", "T2"], "job_id": ["J1", "@J2"], "score": [-0.5, 1.0]})
    _write_csv(frame, tmp_path / "schedule.csv")
    with (tmp_path / "schedule.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows == [["talent_id", "job_id", "score"], ["'=1+2", "J1", "-0.5"], ["T2", "'@J2", "1.0"]]
    assert frame.loc[0, "talent_id"] == "=1+2"  # the caller's frame is not changed


def test_a_clean_frame_is_returned_as_it_is():
    frame = pd.DataFrame({"talent_id": ["T1"], "score": [-1.0]})
    assert neutralised(frame) is frame


def test_a_csv_file_is_rewritten_only_when_a_checked_column_needs_it(tmp_path):
    path = tmp_path / "talent_top.csv"
    path.write_text("talent_id,job_id,rank,score,reasons\n=1+2,J1,1,-0.25,技能相符\nT2,J1,1,0.5,\n", encoding="utf-8")
    clean = pd.DataFrame({"talent_id": ["T2"], "job_id": ["J1"]})
    assert neutralise_csv(path, checked=clean) is False
    risky = pd.DataFrame({"talent_id": ["=1+2", "T2"], "job_id": ["J1", "J1"]})
    assert neutralise_csv(path, checked=risky) is True
    assert path.read_text(encoding="utf-8").splitlines()[1:] == ["'=1+2,J1,1,-0.25,技能相符", "T2,J1,1,0.5,"]
