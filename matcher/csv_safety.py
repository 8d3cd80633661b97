"""CSV exports a spreadsheet opens as text: cells that Excel or WPS would run as formulas are neutralised.

A cell starting with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return before one) is read by
spreadsheet programs as a formula: an id such as ``=1+2`` or a job title such as ``=HYPERLINK(…)`` in
``schedule.csv`` would run on the clerk's machine. Such cells get a leading apostrophe (OWASP's advice),
which spreadsheets show as the plain text. Numbers are left alone: a negative score stays a number.
"""
from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

FORMULA_START = re.compile(r"^[=+\-@\t\r]")
"""What makes a spreadsheet treat a text cell as a formula."""
QUOTE = "'"


def neutralised_cell(value: object) -> object:
    """``value`` with a leading apostrophe when it is text a spreadsheet would run; anything else (a number
    written as text, such as -1.5, included) unchanged."""
    if isinstance(value, str) and FORMULA_START.match(value) and not _is_number(value):
        return QUOTE + value
    return value


def needs_neutralising(frame: pd.DataFrame, columns: Iterable[str] | None = None) -> bool:
    """Whether any text cell of ``columns`` (default: every text column) starts like a formula."""
    for column in columns if columns is not None else _text_columns(frame):
        values = frame[column]
        if _is_text(values) and values.astype(str).str.match(FORMULA_START).any():
            return True
    return False


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell neutralised (a copy only when one needs it)."""
    columns = [c for c in _text_columns(frame) if needs_neutralising(frame, [c])]
    if not columns:
        return frame
    copy = frame.copy()
    for column in columns:
        copy[column] = copy[column].map(neutralised_cell)
    return copy


def neutralise_csv(path: Path, checked: pd.DataFrame | None = None) -> bool:
    """Rewrite the CSV at ``path`` with its text cells neutralised, row by row (large files stay out of memory).

    ``checked``: the file's columns that could hold text a person typed, already in memory; when none of
    them needs it, the file is left as it is without reading it. Returns whether the file was rewritten.
    """
    if checked is not None and not needs_neutralising(checked):
        return False
    tmp = path.with_name(path.name + ".tmp")
    with path.open(encoding="utf-8", newline="") as source, tmp.open("w", encoding="utf-8", newline="") as target:
        reader, writer = csv.reader(source), csv.writer(target)
        writer.writerow(next(reader, []))
        for row in reader:
            writer.writerow([neutralised_cell(cell) for cell in row])
    os.replace(tmp, path)
    return True


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _text_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if _is_text(frame[c])]


def _is_text(values: pd.Series) -> bool:
    """Object or string columns (pandas 3 reads text as ``str``); numbers and booleans are never formulas."""
    return values.dtype == object or pd.api.types.is_string_dtype(values.dtype)
