"""Templates: every header is read by the importer, every choice passes the row checks, a filled copy imports."""
from __future__ import annotations

import pytest
from openpyxl import load_workbook

from matcher.cli import main
from matcher.store.columns import field_for_header, header_lookup
from matcher.store.imports import ImportOptions, import_file
from matcher.store.templates import TEMPLATES, template_workbook
from matcher.store.validate import IMPORT_KINDS

KINDS = ("talents", "jobs", "events")


@pytest.mark.parametrize("kind", KINDS)
def test_every_header_is_one_the_import_reads_and_required_ones_are_marked(kind):
    sheet = template_workbook(kind).worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    lookup = header_lookup(IMPORT_KINDS[kind].headers)
    fields = {field_for_header(header, lookup) for header in headers if header != "序号"}
    assert None not in fields
    required = set(IMPORT_KINDS[kind].sheet_required(kind != "events"))
    marked = {field_for_header(h, lookup) for h in headers if h.startswith("*")}
    assert required <= marked
    assert sheet.freeze_panes == "A2"


@pytest.mark.parametrize(("kind", "header", "must_include"), [
    ("talents", "学历", "本科"), ("talents", "是否愿意返乡", "否"), ("jobs", "紧缺程度", "5"),
    ("jobs", "学历要求", "不限"), ("events", "*类型", "录用"),
])
def test_drop_down_lists_sit_on_their_columns(kind, header, must_include):
    sheet = template_workbook(kind).worksheets[0]
    letter = next(cell.column_letter for cell in sheet[1] if cell.value == header)
    [validation] = [v for v in sheet.data_validations.dataValidation if f"{letter}2:" in str(v.sqref)]
    assert must_include in validation.formula1


@pytest.mark.parametrize("kind", KINDS)
def test_every_choice_passes_the_row_checks(kind):
    check = IMPORT_KINDS[kind].check_row
    lookup = header_lookup(IMPORT_KINDS[kind].headers)
    for column in TEMPLATES[kind].columns:
        field = field_for_header(column.header, lookup)
        for choice in column.choices:
            assert not [i for i in check({field: choice}).issues if i.column == field], (column.header, choice)


def test_notes_sheet_lists_every_column(tmp_path):
    workbook = template_workbook("talents")
    notes = workbook["说明"]
    listed = [row[0] for row in notes.iter_rows(min_row=2, values_only=True) if row[0]]
    assert [c.header for c in TEMPLATES["talents"].columns] == listed[:len(TEMPLATES["talents"].columns)]


@pytest.mark.parametrize("kind", ["talents", "jobs"])
def test_the_template_as_written_imports_nothing_and_filled_in_imports(engine, tmp_path, settings, kind):
    path = tmp_path / f"{kind}.xlsx"
    assert main(["template", kind, "--out", str(path)], settings=settings) == 0

    untouched = import_file(engine, kind, path, ImportOptions(secret=b"k", dry_run=True))
    assert untouched.ok and untouched.rows == 0 and "第2行是示例行，未导入" in untouched.notes

    workbook = load_workbook(path)
    sheet = workbook.worksheets[0]
    sheet.append(["1", *[cell.value for cell in sheet[2]][1:]])
    workbook.save(path)
    filled = import_file(engine, kind, path, ImportOptions(secret=b"k"))
    assert filled.ok, filled.messages()
    assert (filled.inserted, filled.unknown_columns) == (1, ())
