"""Reading stored records by id: whole records, or only the columns a caller shows."""
from __future__ import annotations

from sqlalchemy.orm import Session

from matcher.store.imports import import_file
from matcher.store.records import get_record, records_by_id
from tests.store.conftest import FIXTURES


def test_records_by_id_leave_out_unknown_keys_and_select_only_the_columns_asked(engine):
    import_file(engine, "talents", FIXTURES / "talents_gbk.csv")
    with Session(engine) as session:
        whole = records_by_id(session, "talents", ["T002", "T001", "NOPE"])
        assert set(whole) == {"T001", "T002"} and whole["T001"] == get_record(session, "talents", "T001")
        narrow = records_by_id(session, "talents", ["T001", "NOPE"], ("phone", "talent_id", "consented_employer_ids"))
    assert narrow == {"T001": {"talent_id": "T001", "phone": "13812345678", "consented_employer_ids": []}}
