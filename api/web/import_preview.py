"""An import's preview: the store's own dry run (every error and warning, what would be inserted, changed or left
unchanged) beside the file's first rows as they were read, personal cells masked; nothing is written."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import Engine

from matcher.privacy import PERSONAL_FIELDS, mask_name, mask_phone
from matcher.store.errors import ImportFileError, RowError, RowWarning
from matcher.store.imports import ImportOptions, import_file
from matcher.store.reader import read_table
from matcher.store.validate import IMPORT_KINDS

PREVIEW_ROWS = 20
"""Rows shown; rows with errors or warnings are shown as well, whatever their place in the file."""


@dataclass(frozen=True)
class ImportPreview:
    file: str
    rows: int = 0
    columns: tuple[str, ...] = ()
    headers: dict[str, str] = field(default_factory=dict)
    shown: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    """(spreadsheet row, cells by field), personal cells masked."""
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowWarning] = field(default_factory=list)
    notes: tuple[str, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)
    """What the import would do: inserted, changed, unchanged."""

    @property
    def cell_errors(self) -> dict[tuple[int | None, str | None], list[str]]:
        found: dict[tuple[int | None, str | None], list[str]] = defaultdict(list)
        for error in self.errors:
            found[(error.row, error.column)].append(error.message(self.headers.get(error.column or "")))
        return found

    @property
    def cell_warnings(self) -> dict[tuple[int, str], list[str]]:
        found: dict[tuple[int, str], list[str]] = defaultdict(list)
        for warning in self.warnings:
            found[(warning.row, warning.column)].append(warning.message(self.headers.get(warning.column)))
        return found


def preview_import(engine: Engine, kind_name: str, path: Path, options: ImportOptions) -> ImportPreview:
    """The dry run of ``path`` as ``kind_name`` with the caller's ``options``, and the rows to show."""
    result = import_file(engine, kind_name, path, replace(options, dry_run=True, report=None))
    counts = {"inserted": result.inserted, "changed": result.changed, "unchanged": result.unchanged}
    base = ImportPreview(result.file, result.rows, headers=dict(result.headers), errors=list(result.errors),
                         warnings=list(result.warnings), notes=result.notes, counts=counts)
    kind = IMPORT_KINDS[kind_name]
    try:
        table = read_table(path, kind.headers, ())
    except ImportFileError:
        return base
    marked = {e.row for e in result.errors} | {w.row for w in result.warnings}
    frame = table.frame
    keep = [row for position, row in enumerate(frame.index) if position < PREVIEW_ROWS or row in marked]
    shown = [(int(row), _masked_cells(frame.loc[row].to_dict())) for row in keep]
    return replace(base, columns=tuple(frame.columns), shown=shown)


def _masked_cells(cells: dict) -> dict[str, str]:
    """The clerk sees which row is which, not whole phone or ID numbers on a shared screen."""
    out = {name: "" if value is None else str(value) for name, value in cells.items()}
    for name in PERSONAL_FIELDS:
        if out.get(name):
            out[name] = {"name": mask_name, "phone": mask_phone}.get(name, lambda v: "*" * len(v))(out[name])
    return out
