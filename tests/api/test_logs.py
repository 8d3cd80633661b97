"""No personal data in any log line when a write fails in the database (the probe saw SQLAlchemy's
``[parameters: …]`` with name, phone and ID number in uvicorn's log)."""
from __future__ import annotations

import logging

import pytest
from sqlalchemy import text

from matcher.normalize.cells import id_check_char
from matcher.personal_data import LOG_MASK, install_log_scrubbing, scrub

V1 = "/api/v1"
NAME, PHONE = "欧阳修远", "13912345678"
ID_NUMBER = "41162319880315011" + id_check_char("41162319880315011")


@pytest.fixture
def failing_talent_writes(api):
    """Every UPDATE of talents fails inside the database, as a held lock or a driver error would."""
    postgres = api.engine.dialect.name == "postgresql"
    with api.engine.begin() as connection:
        if postgres:
            connection.execute(text("CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
                                    "$$ BEGIN RAISE EXCEPTION 'refused by test'; END $$"))
            connection.execute(text("CREATE TRIGGER refuse BEFORE UPDATE ON talents "
                                    "FOR EACH ROW EXECUTE FUNCTION refuse()"))
        else:
            connection.execute(text("CREATE TRIGGER refuse BEFORE UPDATE ON talents "
                                    "BEGIN SELECT RAISE(ABORT, 'refused by test'); END"))
    yield
    with api.engine.begin() as connection:
        connection.execute(text("DROP TRIGGER refuse ON talents" if postgres else "DROP TRIGGER refuse"))
        if postgres:
            connection.execute(text("DROP FUNCTION refuse()"))


def test_a_failed_write_logs_no_personal_data(api, failing_talent_writes, caplog):
    caplog.set_level(logging.DEBUG)
    body = {"name": NAME, "phone": PHONE, "id_number": ID_NUMBER, "summary": f"电话{PHONE}"}
    with pytest.raises(Exception) as raised:  # what uvicorn catches from the app and logs with its traceback
        api.as_("admin").patch(f"{V1}/talents/T1", json=body)
    logging.getLogger("uvicorn.error").error("Exception in ASGI application", exc_info=raised.value)
    assert "refused by test" in caplog.text  # the failure itself is logged, traceback and all
    for value in (NAME, PHONE, ID_NUMBER):
        assert value not in caplog.text
        assert value not in str(raised.value)  # the engine hides statement parameters


def test_every_log_record_is_scrubbed_message_arguments_and_traceback():
    install_log_scrubbing()
    record = logging.getLogger("any.library").makeRecord(
        "any.library", logging.ERROR, __file__, 1, "row %s failed: %s", ("T1", f"phone {PHONE}"), None)
    assert record.getMessage() == f"row T1 failed: phone {LOG_MASK}"
    try:
        raise ValueError(f"id {ID_NUMBER}, mail zhang.san@example.com, landline 0394-8234567")
    except ValueError as error:
        record = logging.getLogger("x").makeRecord("x", logging.ERROR, __file__, 1, "failed", (),
                                                   (type(error), error, error.__traceback__))
    assert ID_NUMBER not in record.exc_text and "example.com" not in record.exc_text
    assert "0394-8234567" not in record.exc_text and "ValueError" in record.exc_text
    assert scrub("平平常常的一句话，编号T20240001") == "平平常常的一句话，编号T20240001"
