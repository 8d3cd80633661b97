"""The one read of a bulk run's parts (matcher.bulk.written) against the readers it replaced, on random parts."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from matcher.bulk import workbook
from matcher.bulk.event_report import pair_counts_by_job
from matcher.bulk.interview_event import PairCodes, ScheduleLimits, prepare_event
from matcher.bulk.parts import part_path, write_part
from matcher.bulk.schedule import read_pairs
from matcher.bulk.timetable import EventPlan, timetable_event
from matcher.bulk.workbook import UNPLACED_SHEET, _best_per_talent, write_workbook
from matcher.bulk.written import assemble, pair_reasons

REASONS = ["职业对口；技能匹配：焊接", 'says "yes", then, a comma', "两行\n理由", "=HYPERLINK(\"x\")", ""]


def _parts(tmp_path, seed: int = 0, batches: int = 4, per_batch: int = 5) -> list:
    """Parts as run_bulk writes them: a batch's talents in order, each with 1–6 jobs best first."""
    rng = np.random.default_rng(seed)
    parts_dir = tmp_path / "parts"
    parts_dir.mkdir()
    paths = []
    for batch in range(batches):
        rows = []
        for t in range(per_batch):
            talent = f"T{batch}-{t}"
            jobs = rng.choice(12, size=int(rng.integers(1, 7)), replace=False)
            scores = np.sort(rng.normal(0.3, 0.4, len(jobs)).round(6))[::-1]
            rows += [(talent, f"J{j:02d}", rank, float(score), REASONS[int(rng.integers(len(REASONS)))])
                     for rank, (j, score) in enumerate(zip(jobs, scores, strict=True), start=1)]
        paths.append(part_path(parts_dir, batch))
        write_part(paths[-1], rows)
    return paths


def _concatenated(paths) -> bytes:
    """The parts under one header, byte for byte: what talent_top.csv must be."""
    bodies = [path.read_bytes() for path in paths]
    return bodies[0][:bodies[0].index(b"\n") + 1] + b"".join(body[body.index(b"\n") + 1:] for body in bodies)


@pytest.mark.parametrize("seed", range(3))
def test_talent_top_is_the_parts_and_the_pairs_are_what_read_pairs_gives(tmp_path, seed):
    paths = _parts(tmp_path, seed)
    talent_top = tmp_path / "talent_top.csv"
    written = assemble(paths, talent_top, best_rank=3, best_cap=7)
    assert talent_top.read_bytes() == _concatenated(paths)
    pd.testing.assert_frame_equal(written.frame(), read_pairs(talent_top))
    pd.testing.assert_frame_equal(written.frame(("job_id", "score")), read_pairs(talent_top)[["job_id", "score"]])
    median = float(read_pairs(talent_top)["score"].median())
    pd.testing.assert_frame_equal(pair_counts_by_job(written.job_scores(), median).sort_index(),
                                  pair_counts_by_job(read_pairs(talent_top), median).sort_index())
    assert written.rows == len(read_pairs(talent_top)) and written.part_starts[-1] == written.rows
    pd.testing.assert_frame_equal(written.best, _best_per_talent(talent_top, 3, 7), check_dtype=False)


def test_the_capped_rows_span_parts_and_stop_at_the_cap(tmp_path):
    paths = _parts(tmp_path, seed=5)
    talent_top = tmp_path / "talent_top.csv"
    everything = assemble(paths, talent_top, best_rank=2, best_cap=10_000).best
    assert len(everything) == (read_pairs(talent_top).groupby("talent_id").size().clip(upper=2)).sum()
    few = assemble(paths, talent_top, best_rank=2, best_cap=len(everything) - 1).best
    pd.testing.assert_frame_equal(few, everything.iloc[:-1])


def test_the_reasons_come_from_the_parts_holding_the_talents(tmp_path):
    paths = _parts(tmp_path, seed=1)
    talent_top = tmp_path / "talent_top.csv"
    written = assemble(paths, talent_top, best_rank=3, best_cap=5)
    keys = read_pairs(talent_top).iloc[[3, 11, 12]][["talent_id", "job_id"]].reset_index(drop=True)
    holding = written.parts_holding(keys["talent_id"])
    assert holding == sorted({paths[int(t[1])] for t in keys["talent_id"]})
    from_parts = pair_reasons(holding, keys)
    pd.testing.assert_frame_equal(from_parts, pair_reasons([talent_top], keys))
    assert set(from_parts["reasons"]) <= set(REASONS) and len(from_parts) == 3


def test_coded_pairs_make_the_same_event_as_the_frame(tmp_path):
    paths = _parts(tmp_path, seed=2)
    talent_top = tmp_path / "talent_top.csv"
    written = assemble(paths, talent_top, best_rank=3, best_cap=5)
    jobs = pd.DataFrame({"headcount": 1.0, "urgency_stars": [5.0, 1.0] * 6, "employer": list("ABCD") * 3,
                         "title": "岗位"}, index=[f"J{j:02d}" for j in range(12)])
    coded, framed = (prepare_event(p, jobs, ScheduleLimits()) for p in (written.codes(), written.frame()))
    for name in ("talent", "job", "gain", "score", "job_limit", "employer_cap"):
        np.testing.assert_array_equal(getattr(coded, name), getattr(framed, name))
    assert list(coded.talent_ids) == list(framed.talent_ids)
    plan = EventPlan(slot_minutes=60)
    by_codes, by_frame = timetable_event(written.codes(), jobs, plan), timetable_event(written.frame(), jobs, plan)
    pd.testing.assert_frame_equal(by_codes.interviews, by_frame.interviews)
    pd.testing.assert_frame_equal(by_codes.unplaced, by_frame.unplaced)
    assert len(by_codes.unplaced) > 0


def test_a_bad_part_is_an_error_naming_it(tmp_path):
    paths = _parts(tmp_path, seed=3)
    paths[2].write_text("talent_id,job_id,rank,score,reasons\r\nT,J,first,0.5,x\r\n", encoding="utf-8")
    with pytest.raises(ValueError, match="part-000002.csv"):
        assemble(paths, tmp_path / "talent_top.csv", best_rank=3, best_cap=5)
    assert not (tmp_path / "talent_top.csv").exists()


def test_a_duplicate_pair_in_codes_is_an_error_naming_the_talent():
    codes = PairCodes.of(pd.DataFrame({"talent_id": ["A", "A"], "job_id": ["J1", "J1"], "score": [0.5, 0.4]}))
    jobs = pd.DataFrame({"headcount": [1.0], "urgency_stars": [1.0]}, index=["J1"])
    with pytest.raises(ValueError, match="'A' and job 'J1' are paired more than once"):
        prepare_event(codes, jobs, ScheduleLimits())


def test_the_unplaced_sheet_keeps_urgent_rows_and_notes_the_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(workbook, "LIST_SHEET_ROWS", 3)
    jobs = pd.DataFrame({"title": ["焊工", "护士"], "employer": ["甲", "乙"], "headcount": [1.0, 9.0],
                         "urgency_stars": [1.0, 5.0]}, index=["J1", "J2"])
    pairs = pd.DataFrame({"talent_id": [f"T{i}" for i in range(6)], "job_id": "J1", "score": 1.0})
    table = timetable_event(pairs, jobs, EventPlan(slot_minutes=60), ScheduleLimits(per_job_factor=1.0))
    from matcher.bulk.printed import Printout

    printout = Printout(table.interviews.assign(percent=100, reasons=""), table.unplaced, table.booths,
                        EventPlan(slot_minutes=60))
    talent_top = tmp_path / "talent_top.csv"
    pairs.assign(rank=1, reasons="").to_csv(talent_top, index=False)
    path = tmp_path / "matches.xlsx"
    write_workbook(path, pd.DataFrame(columns=["job_id", "rank", "talent_id", "score", "reasons"]), talent_top, [],
                   {"talents": 6, "jobs": 2, "pairs": 6, "urgent_gaps": []}, jobs, printout=printout)
    rows = list(load_workbook(path, read_only=True)[UNPLACED_SHEET].iter_rows(values_only=True))
    assert (table.unplaced["kind"] == "人才").sum() == 5 and len(rows) == 1 + 3 + 1
    assert [r[0] for r in rows[1:4]] == ["人才", "人才", "急需岗位"]
    assert "共6行" in rows[4][3] and "unplaced.csv" in rows[4][3]
