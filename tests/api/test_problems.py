"""Domain errors become problem details in one place: known statuses and bodies, through a real app."""
from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.problems import domain_problem, install_problem_handlers
from matcher.normalize.records import RecordIssue
from matcher.store.accounts import AccountError, LastAdminError
from matcher.store.records import RecordConflict, RecordInvalid, RecordNotFound

PHONE_ISSUE = RecordIssue("phone", "123", "an 11-digit mobile number")


@pytest.mark.parametrize(("error", "status", "slug", "detail"), [
    (RecordNotFound("employer", "E9"), 404, "not-found", "employer 'E9' not found"),
    (RecordConflict("employer_id 'E1' already exists; update it instead"), 409, "conflict",
     "employer_id 'E1' already exists; update it instead"),
    (LastAdminError("the last admin cannot be removed"), 409, "conflict", "the last admin cannot be removed"),
    (AccountError("unknown role 'boss'"), 422, "validation-error", "unknown role 'boss'"),
    (RecordInvalid([PHONE_ISSUE]), 422, "validation-error", "some fields cannot be used"),
])
def test_each_domain_error_maps_to_its_status_and_detail(error, status, slug, detail):
    problem = domain_problem(error)
    assert (problem.status, problem.slug, problem.detail) == (status, slug, detail)


def test_an_invalid_record_lists_each_issue_as_a_field_error():
    assert domain_problem(RecordInvalid([PHONE_ISSUE])).errors == [
        {"loc": ["body", "phone"], "field": "phone", "message": "got '123', expected an 11-digit mobile number"}]


def test_another_error_is_not_mapped():
    with pytest.raises(TypeError, match="KeyError"):
        domain_problem(KeyError("x"))


def test_a_route_raising_a_domain_error_answers_with_its_problem():
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/api/v1/things/{key}")
    def thing(key: str) -> None:
        raise RecordNotFound("thing", key, f"unknown thing id(s): {[key]}")

    @app.get("/api/v1/bad")
    def bad() -> None:
        raise KeyError("a bug, not a missing record")

    client = TestClient(app, raise_server_exceptions=False)
    response = client.get("/api/v1/things/T7")
    assert response.status_code == 404 and response.headers["content-type"] == "application/problem+json"
    assert response.json() == {"type": "/problems/not-found", "title": "Not Found", "status": 404,
                               "detail": "thing 'T7' not found", "instance": "/api/v1/things/T7", "errors": []}
    assert client.get("/api/v1/bad").status_code == 500  # a bare KeyError stays an internal error
