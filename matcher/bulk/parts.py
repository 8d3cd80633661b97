"""Per-batch part files of per-talent top-N rows (``matcher.bulk.written`` joins them into ``talent_top.csv``)."""
from __future__ import annotations

import csv
import os
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

TALENT_TOP_COLUMNS = ("talent_id", "job_id", "rank", "score", "reasons")
REASON_SEPARATOR = "；"

Row = tuple[str, str, int, float, str]
"""(talent_id, job_id, rank, score, reasons joined with REASON_SEPARATOR)."""


def part_path(parts_dir: Path, batch: int) -> Path:
    return parts_dir / f"part-{batch:06d}.csv"


def match_rows(table: pd.DataFrame) -> list[Row]:
    """Rows of one batch from ``Matcher.recommend_table``: talents in the order ranked, jobs best first."""
    return [(t, j, int(rank), float(score), REASON_SEPARATOR.join(reasons))
            for t, j, rank, score, reasons in table[list(TALENT_TOP_COLUMNS)].itertuples(index=False, name=None)]


def write_part(path: Path, rows: Iterable[Row]) -> None:
    """Written to a temp file and moved into place: a part file is whole or absent."""
    tmp = path.with_suffix(".csv.tmp")
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(TALENT_TOP_COLUMNS)
        writer.writerows(rows)
    os.replace(tmp, path)


def read_part(path: Path) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        return [(t, j, int(rank), float(score), reasons) for t, j, rank, score, reasons in reader]
