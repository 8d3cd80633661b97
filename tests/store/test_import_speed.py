from __future__ import annotations

import logging
import time

import pytest

from matcher.store.imports import import_file
from tests.store.helpers import TALENT_HEADER, talent_row, write_csv

log = logging.getLogger(__name__)
ROWS = 100_000
BUDGET_SECONDS = 60


@pytest.mark.slow
def test_100k_talents_import_well_under_a_minute(engine, tmp_path):
    path = write_csv(tmp_path / "talents.csv", [TALENT_HEADER, *(talent_row(i) for i in range(ROWS))], "gbk")

    first, first_wall, first_cpu = _timed(lambda: import_file(engine, "talents", path))
    second, second_wall, second_cpu = _timed(lambda: import_file(engine, "talents", path))

    log.warning("100k talents: first import %.1fs wall (%.1fs CPU), re-import %.1fs wall (%.1fs CPU)",
                first_wall, first_cpu, second_wall, second_cpu)
    assert (first.inserted, second.unchanged) == (ROWS, ROWS)
    assert first_wall < BUDGET_SECONDS and second_wall < BUDGET_SECONDS


def _timed(run):
    wall, cpu = time.perf_counter(), time.process_time()
    result = run()
    return result, time.perf_counter() - wall, time.process_time() - cpu
