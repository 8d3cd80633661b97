"""Passwords: argon2 hashes, sign-in outcomes, the lockout after repeated failures, and the CLI's --password."""
from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.cli import main
from matcher.config import Settings
from matcher.store.accounts import AccountError, create_user
from matcher.store.db import make_engine, upgrade_database
from matcher.store.models import User
from matcher.store.passwords import LOCKOUT, MAX_FAILURES, set_password, sign_in

NOW = datetime(2026, 12, 7, 10, 0)


@pytest.fixture
def session(tmp_path) -> Session:
    settings = Settings(data_dir=tmp_path)
    engine = make_engine(settings)
    upgrade_database(settings, engine)
    with Session(engine) as session:
        create_user(session, "admin", "admin")
        set_password(session, "admin", "correct horse")
        session.commit()
        yield session
    engine.dispose()


def test_the_right_password_signs_in_and_the_hash_is_argon2(session: Session) -> None:
    assert sign_in(session, "admin", "correct horse", NOW).account.name == "admin"
    stored = session.scalar(select(User.password_hash).where(User.name == "admin"))
    assert stored.startswith("$argon2id$") and "correct horse" not in stored


def test_wrong_password_and_unknown_name_answer_alike(session: Session) -> None:
    assert sign_in(session, "admin", "wrong horse", NOW) == sign_in(session, "nobody", "correct horse", NOW)
    assert sign_in(session, "admin", "wrong horse", NOW).account is None


def test_repeated_failures_lock_the_name_until_the_lockout_ends(session: Session) -> None:
    for _ in range(MAX_FAILURES - 1):
        assert sign_in(session, "admin", "guess", NOW).locked_until is None
    locked = sign_in(session, "admin", "guess", NOW)
    assert locked.locked_until == NOW + LOCKOUT
    # Even the right password is refused while locked: guessing cannot go on.
    assert sign_in(session, "admin", "correct horse", NOW + timedelta(minutes=1)).account is None
    assert sign_in(session, "admin", "correct horse", NOW + LOCKOUT + timedelta(seconds=1)).account is not None


def test_a_success_resets_the_failure_count(session: Session) -> None:
    for _ in range(MAX_FAILURES - 1):
        sign_in(session, "admin", "guess", NOW)
    sign_in(session, "admin", "correct horse", NOW)
    assert sign_in(session, "admin", "guess", NOW).locked_until is None


def test_short_passwords_are_refused(session: Session) -> None:
    with pytest.raises(AccountError, match="at least 8"):
        set_password(session, "admin", "short")


def test_cli_add_with_password_asks_twice_and_stores_a_hash(tmp_path, monkeypatch, capsys) -> None:
    settings = Settings(data_dir=tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO("seven seas\nseven seas\n"))
    assert main(["users", "add", "--name", "ops", "--role", "admin", "--password"], settings=settings) == 0
    assert capsys.readouterr().out.startswith("mk_")  # the API key is still printed for machines
    engine = make_engine(settings)
    with Session(engine) as session:
        assert sign_in(session, "ops", "seven seas").account is not None
    monkeypatch.setattr("sys.stdin", io.StringIO("new password\nother password\n"))
    assert main(["users", "password", "ops"], settings=settings) == 2
    assert "differ" in capsys.readouterr().err
    engine.dispose()
