"""One API per test session: a tiny imported data dir, a hashing encoder, users for every role.

The encoder is a deterministic character n-gram hasher standing in for the static model (whose
build takes minutes on a busy 2-core machine): the API's behaviour does not depend on which
Encoder the pipeline uses, and n-gram overlap is enough to make 电气工程师 find 电气工程师.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from matcher.config import Settings
from matcher.store.accounts import create_user
from matcher.store.db import make_engine, upgrade_database
from matcher.store.imports import import_file
from matcher.store.models import Talent
from tests.doubles import char_ngram_loader

FIXTURES = Path(__file__).parent / "fixtures"
IMPORT_ORDER = ("workstations", "employers", "jobs", "talents", "events")
USERS = {  # name: (role, binding)
    "admin": ("admin", {}),
    "staff1": ("staff", {"workstation_id": "WS1"}),
    "staff2": ("staff", {"workstation_id": "WS2"}),
    "employer1": ("employer", {"employer_id": "E1"}),
    "employer2": ("employer", {"employer_id": "E2"}),
    "seeker1": ("seeker", {"talent_id": "T1"}),
}
CONSENTS = {"T3": ["E1"]}
"""T3 (WS2) lets employer E1 see her contact details; T4 is linked to E1 by an application to J1."""


@dataclass
class ApiEnv:
    client: TestClient
    settings: Settings
    engine: Engine
    keys: dict[str, str]

    def headers(self, user: str) -> dict[str, str]:
        return {"X-API-Key": self.keys[user]}

    def as_(self, user: str) -> UserClient:
        return UserClient(self.client, self.headers(user))


@dataclass
class UserClient:
    """A TestClient that sends one user's key with every request."""

    client: TestClient
    headers: dict[str, str]

    def request(self, method: str, url: str, **kwargs):  # noqa: ANN201 - httpx Response
        return self.client.request(method, url, headers=self.headers, **kwargs)

    def get(self, url: str, **kwargs):  # noqa: ANN201
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs):  # noqa: ANN201
        return self.request("POST", url, **kwargs)

    def patch(self, url: str, **kwargs):  # noqa: ANN201
        return self.request("PATCH", url, **kwargs)

    def delete(self, url: str, **kwargs):  # noqa: ANN201
        return self.request("DELETE", url, **kwargs)


def seed_data_dir(settings: Settings) -> tuple[Engine, dict[str, str]]:
    """Import the fixture files, record consents, create one user per role; returns their keys."""
    engine = make_engine(settings)
    upgrade_database(settings, engine)
    for kind in IMPORT_ORDER:
        result = import_file(engine, kind, FIXTURES / f"{kind}.csv")
        assert result.ok, result.messages()
    keys = {}
    with Session(engine) as session:
        for talent_id, employers in CONSENTS.items():
            session.execute(update(Talent).where(Talent.talent_id == talent_id)
                            .values(consented_employer_ids=employers))
        for name, (role, binding) in USERS.items():
            _, keys[name] = create_user(session, name, role, **binding)
        session.commit()
    return engine, keys


@pytest.fixture(scope="session")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiEnv]:
    from api.app import create_app

    settings = Settings(data_dir=tmp_path_factory.mktemp("api-data"), max_upload_mb=0.05)
    engine, keys = seed_data_dir(settings)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("matcher.pipeline.load_encoder",
                      char_ngram_loader(settings.data_dir, "tests-api-char-ngram-v1"))
        with TestClient(create_app(settings)) as client:
            yield ApiEnv(client, settings, engine, keys)
    engine.dispose()


@pytest.fixture(scope="session")
def admin(api: ApiEnv) -> UserClient:
    return api.as_("admin")
