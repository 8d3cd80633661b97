"""The field evaluation's hand-written data: catalogues, registers, fit labels and colloquial descriptions.

Layout under a field directory (matcher/fieldeval/sets is the checked-in one)::

    catalogues/*.csv            urgent-need position catalogues, importable by ``matcher import jobs``
    <set>/register_*.csv        workstation registers, importable by ``matcher import talents``
    <set>/labels.csv            talent_id, job_id, grade (2 fits well, 1 acceptable)
    <set>/descriptions.csv      description_id, text, occupation_code, occupation_name,
                                fits_well, fits_acceptable (space-separated job ids)

Sets are ``dev`` (may be looked at while improving matching) and ``heldout`` (never used for tuning);
``all`` is both.
"""
from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

FIELD_SETS = Path(__file__).parent / "sets"
"""The checked-in field sets, shipped with the package (the ranker gate evaluates on them)."""
SETS = ("dev", "heldout")
SET_CHOICES = (*SETS, "all")
GRADES = (1, 2)


class FieldDataError(ValueError):
    """A field data file breaks the layout above; the message names the file, row and column."""


@dataclass(frozen=True)
class Description:
    """A seeker's own words, the 大典 occupation they describe, and the catalogue positions that fit."""

    description_id: str
    text: str
    occupation_code: str
    occupation_name: str
    fits: Mapping[str, int]
    """job_id → grade."""


@dataclass(frozen=True)
class FieldSet:
    name: str
    catalogues: tuple[Path, ...]
    registers: tuple[Path, ...]
    labels: Mapping[str, Mapping[str, int]]
    """talent_id → job_id → grade; every labelled talent has at least one fitting job."""
    descriptions: tuple[Description, ...]

    def job_labels(self) -> dict[str, dict[str, int]]:
        """job_id → talent_id → grade: the same labels read from the position's side."""
        by_job: dict[str, dict[str, int]] = {}
        for talent_id, jobs in self.labels.items():
            for job_id, grade in jobs.items():
                by_job.setdefault(job_id, {})[talent_id] = grade
        return by_job


def load_field_set(root: Path, which: str) -> FieldSet:
    """Read set ``which`` (dev, heldout or all) from ``root``; raises FieldDataError on a malformed file."""
    if which not in SET_CHOICES:
        raise FieldDataError(f"unknown set {which!r}: expected one of {', '.join(SET_CHOICES)}")
    names = SETS if which == "all" else (which,)
    catalogues = tuple(sorted((root / "catalogues").glob("*.csv")))
    if not catalogues:
        raise FieldDataError(f"{root / 'catalogues'}: no catalogue CSV files")
    labels: dict[str, dict[str, int]] = {}
    registers: list[Path] = []
    descriptions: list[Description] = []
    for name in names:
        folder = root / name
        registers.extend(sorted(folder.glob("register_*.csv")))
        for talent_id, jobs in read_labels(folder / "labels.csv").items():
            labels.setdefault(talent_id, {}).update(jobs)
        descriptions.extend(read_descriptions(folder / "descriptions.csv"))
    return FieldSet(which, catalogues, tuple(registers), labels, tuple(descriptions))


def read_labels(path: Path) -> dict[str, dict[str, int]]:
    labels: dict[str, dict[str, int]] = {}
    for row_number, row in _rows(path, ("talent_id", "job_id", "grade")):
        grade = _grade(path, row_number, row["grade"])
        labels.setdefault(row["talent_id"].strip(), {})[row["job_id"].strip()] = grade
    return labels


def read_descriptions(path: Path) -> list[Description]:
    columns = ("description_id", "text", "occupation_code", "occupation_name", "fits_well", "fits_acceptable")
    found = []
    for row_number, row in _rows(path, columns):
        fits = {job: 1 for job in _ids(row["fits_acceptable"])} | {job: 2 for job in _ids(row["fits_well"])}
        if not fits or not row["text"].strip():
            raise FieldDataError(f"{path.name} row {row_number}: a text and at least one fitting job id expected")
        found.append(Description(row["description_id"].strip(), row["text"].strip(), row["occupation_code"].strip(),
                                 row["occupation_name"].strip(), fits))
    return found


def _rows(path: Path, columns: Iterable[str]) -> Iterable[tuple[int, dict[str, str]]]:
    if not path.is_file():
        raise FieldDataError(f"{path}: file not found")
    with path.open(encoding="utf-8-sig", newline="") as stream:
        reader = csv.DictReader(stream)
        missing = [c for c in columns if c not in (reader.fieldnames or ())]
        if missing:
            raise FieldDataError(f"{path.name}: missing column(s) {', '.join(missing)}")
        for row_number, row in enumerate(reader, start=2):
            yield row_number, {k: (v or "") for k, v in row.items()}


def _grade(path: Path, row_number: int, text: str) -> int:
    if text.strip() not in {str(g) for g in GRADES}:
        raise FieldDataError(f"{path.name} row {row_number}, column grade: {text!r}; expected 1 or 2")
    return int(text)


def _ids(text: str) -> list[str]:
    return [piece for piece in text.replace("|", " ").split() if piece]
