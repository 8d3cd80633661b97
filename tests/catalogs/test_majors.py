"""The majors catalogue: every linked occupation exists, aliases are unambiguous per level, bad rows are named."""
from __future__ import annotations

import csv
import shutil
from collections import Counter

import pytest

from matcher.catalogs import CATALOG_DIR
from matcher.catalogs.majors import (
    MAJOR_LEVELS,
    MAJOR_OCCUPATIONS_FILE,
    MAJORS_FILE,
    load_majors,
    major_by_code,
)
from matcher.catalogs.occupations import load_occupations
from matcher.catalogs.rows import CatalogError


def test_every_linked_occupation_code_exists_in_the_occupation_catalogue():
    known = {o.code for o in load_occupations()}
    with (CATALOG_DIR / MAJOR_OCCUPATIONS_FILE).open(encoding="utf-8", newline="") as handle:
        links = list(csv.DictReader(handle))
    assert len(links) > 400
    assert [row for row in links if row["occupation_code"] not in known] == []


def test_every_major_leads_somewhere_and_codes_are_unique():
    majors = load_majors()
    assert len(majors) >= 200
    assert Counter(m.level for m in majors).keys() == set(MAJOR_LEVELS)
    assert len({m.code for m in majors}) == len(majors)
    assert all(m.occupation_prefixes for m in majors)


def test_a_name_or_alias_names_one_major_per_level():
    names = Counter((m.level, n) for m in load_majors() for n in dict.fromkeys((m.name, *m.aliases)))
    assert [key for key, count in names.items() if count > 1] == []


@pytest.mark.parametrize(("code", "name", "level", "prefix"), [
    ("080601", "电气工程及其自动化", "本科", "2-02-11"),
    ("101101", "护理学", "本科", "2-05-08"),
    ("120203K", "会计学", "本科", "2-06-03"),
    ("040106", "学前教育", "本科", "2-08-03"),
    ("460301", "机电一体化技术", "高职", "6-31-01-10"),
    ("520201", "护理", "高职", "2-05-08"),
    ("720201", "护理", "中职", "2-05-08"),
])
def test_known_majors_and_where_they_lead(code, name, level, prefix):
    major = major_by_code(code)
    assert (major.name, major.level) == (name, level)
    assert prefix in major.occupation_prefixes


def _copy(tmp_path):
    for name in (MAJORS_FILE, MAJOR_OCCUPATIONS_FILE):
        shutil.copy(CATALOG_DIR / name, tmp_path / name)
    return tmp_path


def _append(path, line) -> int:
    """Append a data line; returns its row number (the header is row 1)."""
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
    return len(path.read_text(encoding="utf-8").splitlines())


def test_an_unknown_occupation_code_names_file_row_and_column(tmp_path):
    directory = _copy(tmp_path)
    _append(directory / MAJOR_OCCUPATIONS_FILE, "080601,2-99-99-99")
    with pytest.raises(CatalogError, match=r"major_occupations\.csv, row \d+, column 'occupation_code'"):
        load_majors(directory)


def test_a_link_to_an_unlisted_major_is_refused(tmp_path):
    directory = _copy(tmp_path)
    _append(directory / MAJOR_OCCUPATIONS_FILE, "999999,2-05-08-00")
    with pytest.raises(CatalogError, match=r"column 'major_code'.*listed in majors\.csv"):
        load_majors(directory)


def test_a_malformed_code_or_level_is_refused(tmp_path):
    directory = _copy(tmp_path)
    row = _append(directory / MAJORS_FILE, "08O601,电气,本科,工学,电气类,")
    with pytest.raises(CatalogError, match=rf"majors\.csv, row {row}, column 'code'"):
        load_majors(directory)
    directory = _copy(tmp_path)
    row = _append(directory / MAJORS_FILE, "080699,电气新专业,研究生,工学,电气类,")
    _append(directory / MAJOR_OCCUPATIONS_FILE, "080699,2-02-11-00")
    with pytest.raises(CatalogError, match=rf"row {row}, column 'level'"):
        load_majors(directory)


def test_a_major_without_occupations_is_refused(tmp_path):
    directory = _copy(tmp_path)
    row = _append(directory / MAJORS_FILE, "080699,电气新专业,本科,工学,电气类,")
    with pytest.raises(CatalogError, match=rf"row {row}, column 'code'.*at least one row"):
        load_majors(directory)
