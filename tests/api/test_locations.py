"""``Location`` headers of created records: UTF-8 ids percent-encoded, and never a record left behind a failure."""
from __future__ import annotations

import uuid
from urllib.parse import quote

import pytest

import api.routes.talents

BASE = "/api/v1/talents"


def cjk_id() -> str:
    return f"周口-人才-{uuid.uuid4().hex[:6]}"


def test_a_chinese_id_gets_a_percent_encoded_location_that_reads_back(admin):
    talent_id = cjk_id()
    response = admin.post(BASE, json={"talent_id": talent_id, "name": "孙强", "workstation": "WS1"})
    assert response.status_code == 201, response.text
    assert response.headers["location"] == f"{BASE}/{quote(talent_id, safe='')}"
    assert admin.get(response.headers["location"]).json()["talent_id"] == talent_id


def test_a_create_whose_response_fails_commits_nothing_so_a_retry_succeeds(admin, monkeypatch):
    talent_id = cjk_id()
    calls = []

    def failing_once(request, response, record_id):
        calls.append(record_id)
        if len(calls) == 1:
            raise RuntimeError("the response could not be written")
        response.headers["Location"] = f"{BASE}/{quote(record_id, safe='')}"

    monkeypatch.setattr(api.routes.talents, "set_location", failing_once)
    with pytest.raises(RuntimeError):
        admin.post(BASE, json={"talent_id": talent_id, "name": "孙强", "workstation": "WS1"})
    retry = admin.post(BASE, json={"talent_id": talent_id, "name": "孙强", "workstation": "WS1"})
    assert retry.status_code == 201, retry.text
