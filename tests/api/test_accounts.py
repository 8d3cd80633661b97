"""API keys: salted hashes, constant-time checks, role bindings; `matcher users add` prints the key once."""
from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.cli import main
from matcher.store.accounts import AccountError, authenticate, create_user, hash_secret, secret_matches
from matcher.store.models import User


def test_hash_is_salted_and_verifies():
    first, second = hash_secret("secret"), hash_secret("secret")
    assert first != second and first.startswith("sha256$")
    assert secret_matches("secret", first) and not secret_matches("secreT", first)


def test_only_the_hash_is_stored_and_the_key_authenticates(api):
    with Session(api.engine) as session:
        account, key = create_user(session, "staff-hash-test", "staff", workstation_id="WS1")
        session.commit()
        stored = session.scalar(select(User.api_key_hash).where(User.id == account.id))
        assert key.split("_", 2)[2] not in stored
        assert authenticate(session, key) == account
        assert authenticate(session, key[:-1] + ("A" if key[-1] != "A" else "B")) is None
        assert authenticate(session, f"mk_{account.id + 1000}_{key.split('_', 2)[2]}") is None
        assert authenticate(session, "not-a-key") is None


@pytest.mark.parametrize(("role", "binding", "message"), [
    ("staff", {}, "--workstation"), ("employer", {}, "--employer"), ("seeker", {}, "--talent"),
    ("staff", {"workstation_id": "WS404"}, "does not exist"), ("root", {}, "not one of"),
])
def test_users_need_a_known_role_and_binding(api, role, binding, message):
    with Session(api.engine) as session, pytest.raises(AccountError, match=message):
        create_user(session, f"bad-{role}", role, **binding)


def test_cli_users_add_prints_a_working_key(api, capsys):
    assert main(["users", "add", "--name", "cli-staff", "--role", "staff", "--workstation", "WS2"], api.settings) == 0
    key = capsys.readouterr().out.strip()
    me = api.client.get("/api/v1/users/me", headers={"X-API-Key": key}).json()
    assert (me["name"], me["role"], me["workstation_id"]) == ("cli-staff", "staff", "WS2")
    assert main(["users", "add", "--name", "cli-staff", "--role", "admin"], api.settings) == 2
    assert "already exists" in capsys.readouterr().err


def test_removed_user_key_stops_working(api, admin):
    created = admin.post("/api/v1/users", json={"name": "temp-seeker", "role": "seeker", "talent_id": "T6"}).json()
    assert api.client.get("/api/v1/users/me", headers={"X-API-Key": created["api_key"]}).status_code == 200
    assert admin.delete(f"/api/v1/users/{created['id']}").status_code == 204
    assert api.client.get("/api/v1/users/me", headers={"X-API-Key": created["api_key"]}).status_code == 401


def test_serve_command_is_registered():
    from matcher.cli import build_parser

    args = build_parser().parse_args(["serve", "--port", "9001"])
    assert (args.host, args.port) == ("127.0.0.1", 9001) and callable(args.handler)


def test_the_last_admin_cannot_be_removed_but_one_of_two_can(api, admin):
    own_id = admin.get("/api/v1/users/me").json()["id"]
    refused = admin.delete(f"/api/v1/users/{own_id}")
    assert refused.status_code == 409, refused.text
    assert admin.get("/api/v1/users/me").status_code == 200
    second = admin.post("/api/v1/users", json={"name": "second-admin", "role": "admin"}).json()
    assert admin.delete(f"/api/v1/users/{second['id']}").status_code == 204
