"""The outcome of an accepted upload (a rejected one is a 422 problem listing every bad cell)."""
from __future__ import annotations

from pydantic import BaseModel


class ImportPublic(BaseModel):
    kind: str
    file: str
    rows: int
    inserted: int
    updated: int
    changed: int
    unchanged: int
