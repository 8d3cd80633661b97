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

    started = time.perf_counter()
    first = import_file(engine, "talents", path)
    first_seconds = time.perf_counter() - started
    started = time.perf_counter()
    second = import_file(engine, "talents", path)
    second_seconds = time.perf_counter() - started

    log.warning("100k talents: first import %.1fs, re-import %.1fs", first_seconds, second_seconds)
    assert (first.inserted, second.unchanged) == (ROWS, ROWS)
    assert first_seconds < BUDGET_SECONDS and second_seconds < BUDGET_SECONDS
