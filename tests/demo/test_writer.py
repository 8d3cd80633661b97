"""write_demo and `matcher demo generate`: byte-identical reruns, Chinese headers, no internal truth."""
from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from matcher.cli import demo as demo_cli
from matcher.config import Settings
from matcher.demo import JOB_HEADERS, TALENT_HEADERS, write_demo
from matcher.demo.writer import DEMO_FILES, _CsvFile

TALENT_HEADER_ROW = ("人才编号,姓名,性别,出生年份,手机号,身份证号,籍贯,现居城市,所属工作站,学历,专业,"
                     "工作年限,证书,技能,所属行业,当前职位,自我评价,期望薪资,意向城市,是否愿意返乡,"
                     "人才类别,更新时间")
JOB_HEADER_ROW = ("岗位编号,岗位名称,用人单位,所属行业,工作地点,区县,学历要求,经验要求,证书要求,技能要求,"
                  "岗位描述,薪资,需求人数,紧缺程度,紧缺指数,人才政策")


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    write_demo(out, n_talents=2500, n_jobs=243, seed=3, chunk_size=1000)
    return out


def test_same_seed_writes_the_same_bytes(written: Path, tmp_path: Path) -> None:
    write_demo(tmp_path, n_talents=2500, n_jobs=243, seed=3, chunk_size=1000)
    for name in DEMO_FILES:
        assert (tmp_path / name).read_bytes() == (written / name).read_bytes(), name


def test_files_have_chinese_headers_and_no_truth(written: Path) -> None:
    talents_head = (written / "talents.csv").read_text(encoding="utf-8").splitlines()[0]
    jobs_head = (written / "jobs.csv").read_text(encoding="utf-8").splitlines()[0]
    assert talents_head == TALENT_HEADER_ROW == ",".join(TALENT_HEADERS.values())
    assert jobs_head == JOB_HEADER_ROW == ",".join(JOB_HEADERS.values())
    for name in DEMO_FILES:
        assert "truth" not in (written / name).read_text(encoding="utf-8").splitlines()[0]
    events = pd.read_csv(written / "events.csv", dtype=str)
    assert list(events.columns) == ["talent_id", "job_id", "kind", "occurred_at"]
    assert list(pd.read_csv(written / "workstations.csv").columns) == ["工作站编号", "工作站名称", "所在城市"]
    assert list(pd.read_csv(written / "employers.csv").columns) == ["单位编号", "单位名称", "所在城市"]


def test_files_are_consistent_with_each_other(written: Path) -> None:
    talents = pd.read_csv(written / "talents.csv", dtype=str, keep_default_na=False)
    jobs = pd.read_csv(written / "jobs.csv", dtype=str, keep_default_na=False)
    events = pd.read_csv(written / "events.csv", dtype=str)
    stations = pd.read_csv(written / "workstations.csv", dtype=str)
    employers = pd.read_csv(written / "employers.csv", dtype=str)
    assert len(talents) == 2500 and talents["人才编号"].is_unique and len(jobs) == 243
    assert set(events.talent_id) <= set(talents["人才编号"]) and set(events.job_id) <= set(jobs["岗位编号"])
    assert set(talents["所属工作站"]) <= set(stations["工作站名称"])
    assert set(jobs["用人单位"]) <= set(employers["单位名称"])


def test_values_needing_quotes_are_quoted() -> None:
    buffer = io.BytesIO()
    sink = _CsvFile(buffer, ["a", "b"])
    sink.append(pd.DataFrame({"a": ["焊工证(中级),电工证", "x"], "b": ["he said \"ok\"", "y"]}))
    back = pd.read_csv(io.BytesIO(buffer.getvalue()), dtype=str)
    assert back.a.tolist() == ["焊工证(中级),电工证", "x"] and back.b.tolist() == ['he said "ok"', "y"]


def test_cli_generate_writes_files_and_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser()
    demo_cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["demo", "generate", "--talents", "300", "--jobs", "50", "--seed", "2",
                              "--out", str(tmp_path)])
    assert args.handler(args, Settings(data_dir=tmp_path / "unused")) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["rows"]["talents.csv"] == 300 and report["rows"]["jobs.csv"] == 50
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(DEMO_FILES)


def test_cli_reports_out_of_range_sizes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser()
    demo_cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["demo", "generate", "--jobs", "0", "--out", str(tmp_path)])
    assert args.handler(args, Settings(data_dir=tmp_path)) == 2
    assert "outside 1..20000" in capsys.readouterr().out
