"""The outcome of an upload or a preview (a rejected real import is a 422 problem listing every bad cell)."""
from __future__ import annotations

from pydantic import BaseModel, Field


class ImportCellError(BaseModel):
    row: int | None
    column: str | None
    value: str = Field(description="personal values (name, phone, ID number) masked")
    message: str


class ImportWarning(BaseModel):
    """A value imported as written but not understood (place, certificate, salary, experience, occupation)."""

    row: int
    column: str
    header: str | None = Field(description="the column's header in the uploaded sheet")
    value: str
    message: str = Field(description="in Chinese, with file, row and column")


class ImportDuplicate(BaseModel):
    """A person stored before: merged into the stored talent (another workstation's: both links kept), or, when the
    sheet's own id differs (``merged`` false), stored under that id and reported."""

    row: int
    talent_id: str
    matched_by: str
    stored_workstation: str | None
    workstation: str | None
    sheet_id: str | None = None
    merged: bool = Field(True, description="false: the sheet's own id was kept, so the person is stored twice")


class ImportPublic(BaseModel):
    kind: str
    file: str
    dry_run: bool = Field(False, description="true: a preview; nothing was written")
    status: str = Field("ok", description="ok, or rejected (only in a preview: a real import answers 422)")
    rows: int
    inserted: int
    updated: int
    changed: int
    unchanged: int
    rejected: int = 0
    generated_ids: int = Field(0, description="records whose id was derived (the sheet had no 编号 / 岗位编号)")
    errors: list[ImportCellError] = Field(default_factory=list)
    warnings: list[ImportWarning] = Field(default_factory=list)
    warnings_total: int = 0
    notes: list[str] = Field(default_factory=list, description="what the reader skipped or assumed, in Chinese")
    unknown_columns: list[str] = Field(default_factory=list, description="headers of columns not imported")
    duplicates: list[ImportDuplicate] = Field(default_factory=list)
    report_url: str | None = Field(None, description="the annotated XLSX copy of the upload, when it had problems")
