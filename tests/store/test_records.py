"""Reading stored records by id: whole records, or only the columns a caller shows."""
from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from matcher.store.imports import import_file
from matcher.store.records import RecordNotFound, delete_record, get_record, records_by_id, update_record
from tests.store.conftest import FIXTURES


def test_records_by_id_leave_out_unknown_keys_and_select_only_the_columns_asked(engine):
    import_file(engine, "talents", FIXTURES / "talents_gbk.csv")
    with Session(engine) as session:
        whole = records_by_id(session, "talents", ["T002", "T001", "NOPE"])
        assert set(whole) == {"T001", "T002"} and whole["T001"] == get_record(session, "talents", "T001")
        narrow = records_by_id(session, "talents", ["T001", "NOPE"], ("phone", "talent_id", "consented_employer_ids"))
    assert narrow == {"T001": {"talent_id": "T001", "phone": "13812345678", "consented_employer_ids": []}}


def test_updating_or_deleting_a_missing_record_is_a_record_not_found_naming_its_kind(engine):
    with Session(engine) as session:
        with pytest.raises(RecordNotFound) as updated:
            update_record(session, "employers", "NOPE", {"city": "郑州"})
        with pytest.raises(KeyError) as deleted:  # still a KeyError for callers that catch one
            delete_record(session, "workstations", "NOPE")
    assert (updated.value.what, updated.value.key) == ("employer", "NOPE")
    assert (deleted.value.what, deleted.value.key) == ("workstation", "NOPE")
