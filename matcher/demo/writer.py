"""Writes a demo dataset as the raw UTF-8 CSV files (Chinese headers) that workstations and bureaus hand in.

Files: jobs.csv, employers.csv, workstations.csv, then talents.csv and events.csv streamed chunk by chunk,
so a million talents never sit in memory at once. Only raw columns are written; truth_* stays inside.
"""
from __future__ import annotations

import logging
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from matcher.demo.catalogue import JOB_COLUMNS, generate_catalogue
from matcher.demo.geography import workstations
from matcher.demo.outcomes import EVENT_COLUMNS, EVENT_KINDS, generate_events
from matcher.demo.talent_text import TALENT_COLUMNS
from matcher.demo.talents import DEFAULT_CHUNK, generate_talents

log = logging.getLogger(__name__)

TALENT_HEADERS: dict[str, str] = dict(zip(TALENT_COLUMNS, (
    "人才编号", "姓名", "性别", "出生年份", "手机号", "身份证号", "籍贯", "现居城市", "所属工作站",
    "学历", "专业", "工作年限", "证书", "技能", "所属行业", "当前职位", "自我评价", "期望薪资", "意向城市",
    "是否愿意返乡", "人才类别", "更新时间"), strict=True))
JOB_HEADERS: dict[str, str] = dict(zip(JOB_COLUMNS, (
    "岗位编号", "岗位名称", "用人单位", "所属行业", "工作地点", "区县", "学历要求", "经验要求", "证书要求",
    "技能要求", "岗位描述", "薪资", "需求人数", "紧缺程度", "紧缺指数", "人才政策"), strict=True))
DEMO_FILES = ("talents.csv", "jobs.csv", "events.csv", "employers.csv", "workstations.csv")
_NO_QUOTES = pa_csv.WriteOptions(include_header=False, quoting_style="none")


@dataclass(frozen=True)
class DemoSummary:
    """What write_demo produced: the directory, row counts per file and event counts per kind."""

    out_dir: Path
    rows: dict[str, int]
    events_by_kind: dict[str, int]


class _CsvFile:
    """One CSV file written as a header then appended frames, quoted only where a value needs it."""

    def __init__(self, handle: BinaryIO, columns: list[str], headers: dict[str, str] | None = None) -> None:
        self.handle, self.columns, self.rows = handle, columns, 0
        names = [headers[c] for c in columns] if headers else columns
        handle.write((",".join(names) + "\n").encode("utf-8"))

    def append(self, frame: pd.DataFrame) -> None:
        frame = frame[self.columns]
        try:
            # Arrow is much faster than pandas; it refuses values with commas, quotes or newlines.
            pa_csv.write_csv(pa.Table.from_pandas(frame, preserve_index=False), self.handle, _NO_QUOTES)
        except pa.ArrowInvalid:
            self.handle.write(frame.to_csv(index=False, header=False, lineterminator="\n").encode("utf-8"))
        self.rows += len(frame)


EMPLOYER_FILE_HEADERS = ("单位编号", "单位名称", "所在城市")
WORKSTATION_FILE_HEADERS = ("工作站编号", "工作站名称", "所在城市")

def _write_small(out_dir: Path, name: str, frame: pd.DataFrame, headers: dict[str, str] | None = None) -> int:
    with (out_dir / name).open("wb") as handle:
        sink = _CsvFile(handle, list(frame.columns), headers)
        sink.append(frame)
    return sink.rows


def write_demo(out_dir: Path, n_talents: int, n_jobs: int = 243, seed: int = 0,
               chunk_size: int = DEFAULT_CHUNK) -> DemoSummary:
    """Generate and write the five demo CSV files to ``out_dir`` (created if missing).

    Same arguments give byte-identical files.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    catalogue = generate_catalogue(n_jobs, seed)
    jobs = catalogue.jobs
    raw_jobs = jobs[list(JOB_COLUMNS)].assign(urgency_index=jobs.urgency_index.map("{:.1f}".format))
    rows = {"jobs.csv": _write_small(out_dir, "jobs.csv", raw_jobs, JOB_HEADERS)}
    # Headers as the importer reads them (matcher.store.columns), like the other demo files.
    employers = catalogue.employers[["employer_id", "name", "city"]].set_axis(EMPLOYER_FILE_HEADERS, axis=1)
    rows["employers.csv"] = _write_small(out_dir, "employers.csv", employers)
    stations = pd.DataFrame([(s.workstation_id, s.name, s.city) for s in workstations()],
                            columns=list(WORKSTATION_FILE_HEADERS))
    rows["workstations.csv"] = _write_small(out_dir, "workstations.csv", stations)
    kinds = dict.fromkeys(EVENT_KINDS, 0)
    with ExitStack() as stack:
        def open_csv(name: str) -> BinaryIO:
            return stack.enter_context((out_dir / name).open("wb"))

        talents_csv = _CsvFile(open_csv("talents.csv"), list(TALENT_COLUMNS), TALENT_HEADERS)
        events_csv = _CsvFile(open_csv("events.csv"), list(EVENT_COLUMNS))
        for k, chunk in enumerate(generate_talents(n_talents, seed, jobs, chunk_size)):
            talents_csv.append(chunk)
            events = generate_events(chunk, jobs, seed, chunk_index=k)
            events_csv.append(events)
            for kind, count in events.kind.value_counts().items():
                kinds[str(kind)] += int(count)
            log.info("demo: wrote talents up to %d of %d", talents_csv.rows, n_talents)
    rows.update({"talents.csv": talents_csv.rows, "events.csv": events_csv.rows})
    return DemoSummary(out_dir, rows, kinds)
