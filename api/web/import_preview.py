"""An import's preview: the import's own reader, row checks and reference checks, with nothing written.

Kept to this one function so it can switch to the store's own dry-run import once that exists.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from matcher.privacy import PERSONAL_FIELDS, mask_name, mask_phone
from matcher.store.errors import ImportFileError, RowError
from matcher.store.reader import read_table
from matcher.store.validate import IMPORT_KINDS, check_references, validate_table

PREVIEW_ROWS = 20
"""Rows shown; rows with errors are shown as well, whatever their place in the file."""


@dataclass(frozen=True)
class ImportPreview:
    file: str
    rows: int = 0
    columns: tuple[str, ...] = ()
    headers: dict[str, str] = field(default_factory=dict)
    shown: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    """(spreadsheet row, cells by field), personal cells masked."""
    errors: list[RowError] = field(default_factory=list)

    @property
    def cell_errors(self) -> dict[tuple[int | None, str | None], list[str]]:
        found: dict[tuple[int | None, str | None], list[str]] = defaultdict(list)
        for error in self.errors:
            found[(error.row, error.column)].append(error.message(self.headers.get(error.column or "")))
        return found


def preview_import(engine: Engine, kind_name: str, path: Path) -> ImportPreview:
    kind = IMPORT_KINDS[kind_name]
    try:
        table = read_table(path, kind.headers, kind.required)
    except ImportFileError as error:
        return ImportPreview(path.name, errors=list(error.errors))
    validated = validate_table(table, kind)
    with Session(engine) as session:  # reads only; closed without a commit
        errors = validated.errors + check_references(session, kind, validated)
    bad_rows = {error.row for error in errors}
    frame = table.frame
    keep = [row for position, row in enumerate(frame.index) if position < PREVIEW_ROWS or row in bad_rows]
    shown = [(int(row), _masked_cells(frame.loc[row].to_dict())) for row in keep]
    return ImportPreview(table.file, len(frame), tuple(frame.columns), dict(table.headers), shown, errors)


def _masked_cells(cells: dict) -> dict[str, str]:
    """The clerk sees which row is which, not whole phone or ID numbers on a shared screen."""
    out = {name: "" if value is None else str(value) for name, value in cells.items()}
    for name in PERSONAL_FIELDS:
        if out.get(name):
            out[name] = {"name": mask_name, "phone": mask_phone}.get(name, lambda v: "*" * len(v))(out[name])
    return out
