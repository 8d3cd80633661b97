"""Majors on the field evaluation's registers (written independently of majors.csv): resolution and fit."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pytest

from matcher.fieldeval.data import FIELD_SETS
from matcher.normalize.education import normalize_education
from matcher.normalize.major import normalize_major
from matcher.normalize.major_fit import major_fit
from matcher.normalize.occupation import match_occupations

FIELD = FIELD_SETS
RESOLVED_FLOOR = 0.95
FITTING_MEAN_FLOOR = 0.9  # mean major fit of labelled (fitting) pairs whose both sides are known
UNRELATED_MEAN_CEILING = 0.1  # mean major fit of unlabelled pairs
_MAJOR = ("专业", "所学专业")
_EDUCATION = ("学历", "最高学历")
_TALENT_ID = ("人才编号", "编号", "ID")


def _rows(path: Path) -> list[dict[str, str]]:
    """A register or catalogue below its optional title row."""
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    start = next(i for i, line in enumerate(lines) if "姓名" in line or "名称" in line)
    return list(csv.DictReader(io.StringIO("\n".join(lines[start:]))))


def _first(row: dict[str, str], columns: tuple[str, ...]) -> str:
    return next((row[c] for c in columns if row.get(c)), "")


def _job_codes() -> dict[str, str | None]:
    codes = {}
    for path in sorted((FIELD / "catalogues").glob("*.csv")):
        for row in _rows(path):
            title = _first(row, ("职位名称", "岗位名称"))
            best = match_occupations(title, top=1)
            codes[_first(row, ("职位编号", "岗位编号"))] = best[0].code if best and best[0].score >= 0.6 else None
    return codes


def _talent_majors(split: str) -> dict[str, str]:
    return {_first(row, _TALENT_ID): (_first(row, _MAJOR), _first(row, _EDUCATION))
            for path in sorted((FIELD / split).glob("register_*.csv")) for row in _rows(path)}


@pytest.mark.parametrize("split", ["dev", "heldout"])
def test_register_majors_resolve(split):
    majors = [(m, e) for m, e in _talent_majors(split).values() if m]
    resolved = [normalize_major(m, normalize_education(e).rank) for m, e in majors]
    assert len(majors) >= 30
    assert sum(r is not None for r in resolved) / len(majors) >= RESOLVED_FLOOR


@pytest.mark.parametrize("split", ["dev", "heldout"])
def test_major_fit_separates_fitting_from_unrelated_pairs(split):
    jobs = _job_codes()
    with (FIELD / split / "labels.csv").open(encoding="utf-8", newline="") as handle:
        fitting = {(r["talent_id"], r["job_id"]) for r in csv.DictReader(handle)}
    prefixes = {}
    for talent, (major, education) in _talent_majors(split).items():
        found = normalize_major(major, normalize_education(education).rank)
        prefixes[talent] = found.occupation_prefixes if found else None
    pairs = [(t, j) for t in prefixes for j in jobs]
    fit = major_fit([prefixes[t] for t, _ in pairs], [jobs[j] for _, j in pairs])
    labelled = np.array([p in fitting for p in pairs])
    assert np.nanmean(fit[labelled]) >= FITTING_MEAN_FLOOR
    assert np.nanmean(fit[~labelled]) <= UNRELATED_MEAN_CEILING
