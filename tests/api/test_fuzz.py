"""Schemathesis fuzzes every route from the OpenAPI document, as an admin and as a seeker, on a data dir of
its own: no answer may be a server error, a status the document does not list, or a body off its schema.

The budget is bounded: a few examples per operation and role, derandomised so every run sends the same
cases. The schema is read from an app that is never started (the document does not depend on the data);
requests go to a second app, started once for the module through schemathesis's in-process client.
"""
from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.app import create_app
from matcher.config import Settings
from tests.api.conftest import seed_data_dir
from tests.doubles import char_ngram_loader

EXAMPLES_PER_OPERATION = 6
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
BASE_URL = f"http://{asgi.HOST}"

schema = schemathesis.openapi.from_dict(create_app(Settings(data_dir=Path(tempfile.gettempdir()))).openapi())
BUDGET = settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[asgi.ASGIClient, dict[str, str]]]:
    """An in-process client of a started app over the API fixtures, and the users' keys."""
    data = Settings(data_dir=tmp_path_factory.mktemp("fuzz-data"), max_upload_mb=0.05)
    engine, keys = seed_data_dir(data)
    engine.dispose()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("matcher.pipeline.load_encoder",
                      char_ngram_loader(data.data_dir, "tests-api-char-ngram-v1"))
        with asgi.get_client(create_app(data)) as client:  # starts the app's lifespan
            try:
                yield client, keys
            finally:
                asgi.shutdown_lifespans()


@schema.parametrize()
@BUDGET
def test_as_an_admin_no_route_errs_or_breaks_its_contract(case, fuzzed):
    client, keys = fuzzed
    case.call_and_validate(base_url=BASE_URL, session=client, headers={"X-API-Key": keys["admin"]}, checks=CHECKS)


@schema.parametrize()
@BUDGET
def test_as_a_seeker_no_route_errs_or_breaks_its_contract(case, fuzzed):
    client, keys = fuzzed
    case.call_and_validate(base_url=BASE_URL, session=client, headers={"X-API-Key": keys["seeker1"]},
                           checks=CHECKS)
