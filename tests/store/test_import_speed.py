from __future__ import annotations

import logging
import time

import pytest

from matcher.store.imports import ImportOptions, import_file
from tests.store.helpers import TALENT_HEADER, id_number, talent_row, write_csv

log = logging.getLogger(__name__)
ROWS = 100_000
BUDGET_SECONDS = 60
PREVIEW_FACTOR = 1.5
"""A preview with identities and warnings may cost at most this many times a plain import of the same rows."""


@pytest.mark.slow
def test_100k_talents_import_well_under_a_minute(engine, tmp_path):
    path = write_csv(tmp_path / "talents.csv", [TALENT_HEADER, *(talent_row(i) for i in range(ROWS))], "gbk")

    first, first_wall, first_cpu = _timed(lambda: import_file(engine, "talents", path))
    second, second_wall, second_cpu = _timed(lambda: import_file(engine, "talents", path))

    log.warning("100k talents: first import %.1fs wall (%.1fs CPU), re-import %.1fs wall (%.1fs CPU)",
                first_wall, first_cpu, second_wall, second_cpu)
    assert (first.inserted, second.unchanged) == (ROWS, ROWS)
    assert first_wall < BUDGET_SECONDS and second_wall < BUDGET_SECONDS


@pytest.mark.slow
def test_100k_bureau_register_preview_with_identities_warnings_and_report(engine, tmp_path):
    """序号 instead of an id (every id derived from the ID number) and an unknown place on every row."""
    plain = write_csv(tmp_path / "talents.csv", [TALENT_HEADER, *(talent_row(i) for i in range(ROWS))], "gbk")
    bureau = write_csv(tmp_path / "bureau.csv", [["序号", *TALENT_HEADER[1:]], *map(_bureau_row, range(ROWS))], "gbk")
    _, import_wall, import_cpu = _timed(lambda: import_file(engine, "talents", plain))
    options = ImportOptions(secret=b"benchmark", dry_run=True)

    preview, preview_wall, preview_cpu = _timed(lambda: import_file(engine, "talents", bureau, options))
    report = ImportOptions(secret=b"benchmark", dry_run=True, report=tmp_path / "report.xlsx")
    _, with_report_wall, with_report_cpu = _timed(lambda: import_file(engine, "talents", bureau, report))

    log.warning("100k: plain import %.1fs wall (%.1fs CPU); preview with identities and %d warnings %.1fs wall "
                "(%.1fs CPU); the same with the annotated report %.1fs wall (%.1fs CPU)", import_wall, import_cpu,
                len(preview.warnings), preview_wall, preview_cpu, with_report_wall, with_report_cpu)
    assert preview.ok and (preview.inserted, len(preview.warnings)) == (ROWS, ROWS)
    assert preview_cpu <= PREVIEW_FACTOR * import_cpu
    assert with_report_cpu - preview_cpu < BUDGET_SECONDS


def _bureau_row(i: int) -> list[str]:
    row = talent_row(i)
    row[0] = str(i + 1)
    row[TALENT_HEADER.index("身份证号")] = id_number(1970 + i % 30, i, month=1 + i // 1000 % 12, day=1 + i // 12000)
    row[TALENT_HEADER.index("籍贯")] = f"火星基地{i % 50}"
    return row


def _timed(run):
    wall, cpu = time.perf_counter(), time.process_time()
    result = run()
    return result, time.perf_counter() - wall, time.process_time() - cpu
