"""The local bulk engine on the tiny pipeline world: known answers, brute-force oracles, restarts."""
from __future__ import annotations

import json
import random

import pandas as pd
import pytest
from openpyxl import load_workbook

from matcher.bulk import BulkParams, CheckpointMismatch, run_bulk
from matcher.bulk.shortlist import Shortlists
from matcher.bulk.workbook import write_workbook
from matcher.cli import main
from tests.bulk.conftest import ALL, Interrupted

UNFIT = {("T-ACCT", "J-WELD-SS"), ("T-JAVA", "J-WELD-SS"), ("T-WELDER", "J-ACCT-LY")}
"""Pairs with no evidence that the work fits (matcher.rank.relevance): never written, whatever the top."""
PAIRS = 36 - len(UNFIT)


@pytest.fixture(scope="module")
def finished(matcher, tmp_path_factory):
    """One uninterrupted run: batches of 2, top 6 jobs per talent, shortlists of 2 (so heaps evict)."""
    out = tmp_path_factory.mktemp("bulk-full")
    return run_bulk(matcher, ALL, out, BulkParams(top=6, shortlist=2, batch=2))


def _csv(path) -> pd.DataFrame:
    return pd.read_csv(path, dtype={"talent_id": str, "job_id": str}, keep_default_na=False)


def test_workbook_has_the_chinese_sheets_and_the_known_shortlist(finished):
    book = load_workbook(finished.out_dir / "matches.xlsx", read_only=True)
    named = ["岗位推荐名单", "人才推荐岗位", "急需岗位缺口", "面试时间表", "人才面试单", "未能安排", "汇总"]
    assert book.sheetnames[:len(named)] == named
    assert book.sheetnames[len(named):] and all("号 " in name for name in book.sheetnames[len(named):])
    rows = {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}
    assert rows["岗位推荐名单"][0] == ("岗位编号", "岗位名称", "用人单位", "排名", "人才编号", "匹配度", "推荐理由")
    welding = [r for r in rows["岗位推荐名单"][1:] if r[0] == "J-WELD-SS"]
    assert welding[0][:5] == ("J-WELD-SS", "焊工", "商水县恒通机械有限公司", 1, "T-WELDER")
    top3 = 6 * 3 + 1  # each talent's best 3 (every talent has more that fit), then the note row
    assert rows["人才推荐岗位"][0][:2] == ("人才编号", "岗位编号") and len(rows["人才推荐岗位"]) == 1 + top3
    assert rows["汇总"][0] == ("项目", "数值") and ("写出匹配条数", str(PAIRS)) in rows["汇总"]
    assert ("暂无合适岗位的人才数", "0") in rows["汇总"] and "暂无合适岗位" not in book.sheetnames
    percents = [r[5] for r in rows["岗位推荐名单"][1:]]
    assert all(isinstance(p, int) and 0 <= p <= 100 for p in percents)
    booth = rows[book.sheetnames[len(named)]]
    assert "面试签到表" in booth[0][0] and booth[1][:3] == ("时间", "人才编号", "岗位名称")
    assert booth[2][0] == "09:00–09:15" and len(booth) == 2 + 12  # every slot a row, booked or not
    cells = " ".join(str(v) for sheet in rows.values() for row in sheet for v in row)
    assert "王建国" not in cells and "13812345678" not in cells


def test_talent_top_holds_every_talent_once_with_top_n_jobs(finished):
    top = _csv(finished.out_dir / "talent_top.csv")
    assert list(top.columns) == ["talent_id", "job_id", "rank", "score", "reasons"]
    assert list(dict.fromkeys(top["talent_id"])) == ALL and len(top) == PAIRS
    assert not top.duplicated(["talent_id", "job_id"]).any()
    written = set(zip(top["talent_id"], top["job_id"], strict=True))
    assert written.isdisjoint(UNFIT) and len(written | UNFIT) == 36  # every other pair, below the top 6
    welder = top[top["talent_id"] == "T-WELDER"].iloc[0]
    assert welder["job_id"] == "J-WELD-SS"
    assert "持有焊工三级（高级工）证书，满足岗位要求的四级" in welder["reasons"].split("；")


def test_shortlists_equal_a_brute_force_sort_of_all_rows(finished):
    top = _csv(finished.out_dir / "talent_top.csv").assign(position=lambda f: f["talent_id"].map(ALL.index))
    oracle = (top.sort_values(["job_id", "score", "position"], ascending=[True, False, True])
              .groupby("job_id").head(2))
    shortlists = _csv(finished.out_dir / "job_shortlists.csv")
    assert list(shortlists.columns) == ["job_id", "rank", "talent_id", "score", "reasons"]
    assert shortlists[["job_id", "talent_id", "score", "reasons"]].values.tolist() == \
        oracle[["job_id", "talent_id", "score", "reasons"]].values.tolist()


def test_shortlist_heap_matches_sorting_on_random_rows_with_ties():
    rng = random.Random(7)
    talents = [f"T{i:03d}" for i in range(200)]
    rows = [(rng.choice("ABC"), t, rng.choice([0.1, 0.2, 0.3, 0.5])) for t in talents for _ in range(2)]
    rows = list({(j, t): (j, t, s) for j, t, s in rows}.values())
    heaps = Shortlists(7, {t: i for i, t in enumerate(talents)})
    for job, talent, score in rows:
        heaps.offer(job, talent, score, "")
    for job in "ABC":
        expected = sorted((r for r in rows if r[0] == job), key=lambda r: (-r[2], talents.index(r[1])))[:7]
        assert [(t, s) for t, s, _ in heaps.ranked(job)] == [(t, s) for _, t, s in expected]


def test_urgent_gaps_count_the_talents_fitting_each_position_whatever_the_top(finished, matcher, tmp_path):
    """Every talent fits every position but the UNFIT pairs; a gap is an urgent job with fewer than its headcount,
    the same when each talent gets one job as when each gets six."""
    jobs = matcher.jobs.frame
    fitting = {j: sum((t, j) not in UNFIT for t in ALL) for j in jobs.index[jobs["urgency_stars"] >= 4]}
    assert fitting == {"J-JAVA-ZZ": 6, "J-WELD-SS": 4, "J-WELD-ZZ": 6}
    summary = json.loads((finished.out_dir / "summary.json").read_text(encoding="utf-8"))
    assert summary["urgent_fitting"] == fitting
    assert summary["urgent_gaps"] == [{"job_id": "J-WELD-SS", "title": "焊工", "employer": "商水县恒通机械有限公司",
                                       "city": "周口市", "urgency_stars": 5, "headcount": 5, "fitting_candidates": 4,
                                       "shortfall": 1}]
    one = run_bulk(matcher, ALL, tmp_path / "top1", BulkParams(top=1, shortlist=2, batch=2)).summary
    assert (one["urgent_gaps"], one["urgent_fitting"], one["pairs"]) == (summary["urgent_gaps"], fitting, 6)
    among = matcher.fitting_counts(list(fitting), ["T-WELDER", "T-ACCT"])  # a workstation's register only
    assert among == {"J-JAVA-ZZ": 2, "J-WELD-SS": 1, "J-WELD-ZZ": 2}
    top = _csv(finished.out_dir / "talent_top.csv")
    assert summary["median_score"] == pytest.approx(top["score"].median(), abs=1e-6)
    assert (summary["talents"], summary["jobs"], summary["pairs"], summary["no_fit_talents"]) == (6, 6, PAIRS, 0)


def test_talent_sheet_is_capped_with_a_note_row(finished, matcher, tmp_path):
    summary = json.loads((finished.out_dir / "summary.json").read_text(encoding="utf-8"))
    shortlists = _csv(finished.out_dir / "job_shortlists.csv")
    path = tmp_path / "capped.xlsx"
    write_workbook(path, shortlists, finished.out_dir / "talent_top.csv", summary["urgent_gaps"], summary,
                   matcher.jobs.frame, row_cap=5)
    rows = list(load_workbook(path, read_only=True)["人才推荐岗位"].iter_rows(values_only=True))
    assert len(rows) == 1 + 5 + 1 and f"共{PAIRS}行" in rows[-1][0]


def test_interrupted_run_resumes_to_identical_output(matcher, finished, tmp_path):
    def stop_after_first(batch: int) -> None:
        raise Interrupted(batch)

    params = BulkParams(top=6, shortlist=2, batch=2)
    with pytest.raises(Interrupted):
        run_bulk(matcher, ALL, tmp_path, params, on_batch=stop_after_first)
    assert json.loads((tmp_path / "checkpoint.json").read_text())["completed"] == [0]
    ranked: list[int] = []
    resumed = run_bulk(matcher, ALL, tmp_path, params, on_batch=ranked.append)
    assert resumed.resumed_batches == 1 and ranked == [1, 2]
    for name in ("talent_top.csv", "job_shortlists.csv"):
        assert (tmp_path / name).read_bytes() == (finished.out_dir / name).read_bytes()


def test_a_checkpoint_for_other_parameters_is_refused_unless_restarted(matcher, tmp_path):
    run_bulk(matcher, ALL[:4], tmp_path, BulkParams(top=3, shortlist=2, batch=2))
    with pytest.raises(CheckpointMismatch, match="batch"):
        run_bulk(matcher, ALL[:4], tmp_path, BulkParams(top=3, shortlist=2, batch=3))
    with pytest.raises(CheckpointMismatch, match="talents_hash"):
        run_bulk(matcher, ALL, tmp_path, BulkParams(top=3, shortlist=2, batch=2))
    again = run_bulk(matcher, ALL, tmp_path, BulkParams(top=3, shortlist=2, batch=3), restart=True)
    assert again.resumed_batches == 0 and again.summary["pairs"] == 18


def test_cli_runs_one_workstation_and_refuses_a_mismatch(pipeline_settings, tmp_path, capsys):
    out = str(tmp_path / "event")
    assert main(["bulk", "--workstation", "周口驻北京人才工作站", "--out", out, "--top", "2"],
                settings=pipeline_settings) == 0
    top = _csv(tmp_path / "event" / "talent_top.csv")
    assert sorted(set(top["talent_id"])) == ["T-NURSE", "T-WELDER"] and len(top) == 4
    assert main(["bulk", "--out", out, "--top", "2"], settings=pipeline_settings) == 1
    assert "different pool or parameters" in capsys.readouterr().err
    assert main(["bulk", "--workstation", "nowhere", "--out", str(tmp_path / "x")], settings=pipeline_settings) == 1


def test_cli_reads_a_talent_id_file_and_names_unknown_ids(pipeline_settings, tmp_path, capsys):
    ids = tmp_path / "ids.txt"
    ids.write_text("T-WELDER\nT-ACCT\n\n", encoding="utf-8")
    assert main(["bulk", "--talent-ids", str(ids), "--out", str(tmp_path / "a"), "--top", "1"],
                settings=pipeline_settings) == 0
    assert _csv(tmp_path / "a" / "talent_top.csv")["talent_id"].tolist() == ["T-WELDER", "T-ACCT"]
    ids.write_text("T-WELDER\nNOPE\n", encoding="utf-8")
    assert main(["bulk", "--talent-ids", str(ids), "--out", str(tmp_path / "b")], settings=pipeline_settings) == 1
    assert "NOPE" in capsys.readouterr().err


def test_schedule_report_and_parquet_outputs(matcher, tmp_path):
    params = BulkParams(top=6, shortlist=2, batch=4, formats=("csv", "parquet"))
    result = run_bulk(matcher, ALL, tmp_path, params)
    schedule = _csv(tmp_path / "schedule.csv")
    assert len(schedule) and schedule.groupby("talent_id").size().max() <= 3  # default: 3 interviews a talent
    assert not schedule.duplicated(["talent_id", "job_id"]).any()
    summary = result.summary["schedule"]
    assert summary["interviews"] == len(schedule) and summary["greedy"]["interviews"] > 0
    top = pd.read_parquet(tmp_path / "talent_top.parquet")
    assert top.astype({"rank": int}).values.tolist() == _csv(tmp_path / "talent_top.csv").values.tolist()
    report = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert report.count("data:image/png;base64") == 5
    assert not any(word in report for word in ("solver", "talents_scheduled", "score_scale", "用时（秒）"))
    assert "排程方法" in report and "面试时间" in report and "09:00–12:00，每场15分钟，共12场" in report
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")


def test_contacts_appear_in_the_workbook_only_when_given(matcher, finished, tmp_path):
    contacts = pd.DataFrame({"name": ["王建国"], "phone": ["13812345678"]}, index=["T-WELDER"])
    result = run_bulk(matcher, ALL, tmp_path, BulkParams(top=6, shortlist=2, batch=2), contacts=contacts)
    sheet = load_workbook(result.out_dir / "matches.xlsx", read_only=True)["岗位推荐名单"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][4:7] == ("人才编号", "姓名", "联系电话")
    assert ("T-WELDER", "王建国", "13812345678") in {r[4:7] for r in rows}
    for name in ("talent_top.csv", "job_shortlists.csv", "schedule.csv", "summary.json", "report.html"):
        assert "13812345678" not in (tmp_path / name).read_text(encoding="utf-8")


def test_progress_counts_every_batch_without_a_terminal(matcher, tmp_path):
    seen: list[tuple[int, int]] = []
    run_bulk(matcher, ALL, tmp_path, BulkParams(top=2, shortlist=2, batch=2),
             on_progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_cli_event_jobs_file_limits_the_run_and_contacts_are_audited(pipeline_copy, tmp_path, capsys):
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from matcher.store.db import make_engine
    from matcher.store.models import AuditLog
    from tests.conftest import FIXTURES

    lines = (FIXTURES / "pipeline" / "jobs.csv").read_text(encoding="utf-8").splitlines()
    event = tmp_path / "event-jobs.csv"
    event.write_text("\n".join([lines[0], *[line for line in lines if line.startswith("J-WELD")]]), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["bulk", "--jobs", str(event), "--out", str(out), "--top", "2", "--contacts"],
                settings=pipeline_copy) == 0
    top = _csv(out / "talent_top.csv")
    assert set(top["job_id"]) <= {"J-WELD-SS", "J-WELD-ZZ"} and "J-WELD-SS" in set(top["job_id"])
    assert "13812345678" not in (out / "talent_top.csv").read_text(encoding="utf-8")
    with Session(make_engine(pipeline_copy)) as session:
        exports = session.scalars(select(AuditLog).where(AuditLog.action == "export")).all()
    assert exports and "13812345678" not in str([e.detail for e in exports])
    bad = tmp_path / "bad.csv"
    bad.write_text(lines[0] + "\nJ-X,,,,,,,,,,,,,,,\n", encoding="utf-8")
    assert main(["bulk", "--jobs", str(bad), "--out", str(tmp_path / "o2")], settings=pipeline_copy) == 1
    assert "bad.csv" in capsys.readouterr().err


def test_worker_processes_give_the_same_files_as_the_local_engine(matcher, finished, tmp_path):
    from matcher.bulk.engine import ProcessEngine

    run_bulk(matcher, ALL, tmp_path, BulkParams(top=6, shortlist=2, batch=2), engine=ProcessEngine(matcher, 2))
    for name in ("talent_top.csv", "job_shortlists.csv", "schedule.csv"):
        assert (tmp_path / name).read_bytes() == (finished.out_dir / name).read_bytes()


def test_choose_engine_honours_an_explicit_worker_count(matcher):
    from matcher.bulk.engine import LocalEngine, ProcessEngine, choose_engine

    assert isinstance(choose_engine(matcher, 1, batches=10), LocalEngine)
    assert isinstance(choose_engine(matcher, 2, batches=10), ProcessEngine)
    assert isinstance(choose_engine(matcher, 2, batches=2), LocalEngine)


def test_cli_timetables_the_event_it_is_given(pipeline_settings, tmp_path, capsys):
    out = tmp_path / "event"
    assert main(["bulk", "--workstation", "周口驻北京人才工作站", "--out", str(out), "--top", "2",
                 "--event-date", "2026-12-20", "--start", "14:00", "--end", "15:00", "--slot-minutes", "20",
                 "--booths", "job", "--venue", "周口市人才市场"], settings=pipeline_settings) == 0
    schedule = _csv(out / "schedule.csv")
    assert len(schedule) and set(schedule["start"]) <= {"14:00", "14:20", "14:40"}
    assert set(schedule["date"]) == {"2026-12-20"} and schedule["place"].str.startswith("周口市人才市场 ").all()
    assert not schedule.duplicated(["talent_id", "start"]).any()
    assert (schedule["booth"] == schedule["title"] + "（" + schedule["employer"] + "）").all()  # a booth per job
    for name in ("booth_sheets.pdf", "interview_slips.pdf"):
        assert (out / name).read_bytes()[:5] == b"%PDF-"
    assert "interviews timetabled" in capsys.readouterr().out
    assert main(["bulk", "--out", str(tmp_path / "x"), "--start", "15:00", "--end", "14:00"],
                settings=pipeline_settings) == 1
    assert "end must come" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["bulk", "--out", str(tmp_path / "y"), "--start", "9点"], settings=pipeline_settings)
    assert "expected a time as HH:MM" in capsys.readouterr().err
