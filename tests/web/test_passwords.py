"""Passwords: argon2 hashes, sign-in outcomes, the lockout per (name, address), the growing wait per name, and
the CLI's --password."""
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
from matcher.store.models import LoginFailure, User
from matcher.store.passwords import LOCKOUT, MAX_FAILURES, MAX_NAME_DELAY, name_delay, set_password, sign_in

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
    assert sign_in(session, "admin", "correct horse", now=NOW).account.name == "admin"
    stored = session.scalar(select(User.password_hash).where(User.name == "admin"))
    assert stored.startswith("$argon2id$") and "correct horse" not in stored


def test_wrong_password_and_unknown_name_answer_alike(session: Session) -> None:
    assert sign_in(session, "admin", "wrong horse", now=NOW) == sign_in(session, "nobody", "correct horse", now=NOW)
    assert sign_in(session, "admin", "wrong horse", now=NOW).account is None


def _fail(session: Session, times: int, address: str, start: datetime) -> tuple[list, datetime]:
    """``times`` failed tries spaced past the per-name wait; the outcomes and when the last one was made."""
    outcomes, at = [], start
    for n in range(times):
        at = start + n * (MAX_NAME_DELAY + timedelta(seconds=1))
        outcomes.append(sign_in(session, "admin", "guess", address=address, now=at))
    return outcomes, at


def test_repeated_failures_lock_the_name_from_that_address_only(session: Session) -> None:
    outcomes, last = _fail(session, MAX_FAILURES, "10.0.0.66", NOW)
    assert [o.locked_until for o in outcomes[:-1]] == [None] * (MAX_FAILURES - 1)
    assert outcomes[-1].locked_until == last + LOCKOUT
    # Even the right password is refused from that address while locked: guessing cannot go on there ...
    later = last + MAX_NAME_DELAY + timedelta(seconds=1)
    assert sign_in(session, "admin", "correct horse", address="10.0.0.66", now=later).account is None
    # ... while the real user, at their own address, signs in.
    assert sign_in(session, "admin", "correct horse", address="10.0.0.7", now=later).account is not None
    after = last + LOCKOUT + timedelta(seconds=1)
    assert sign_in(session, "admin", "correct horse", address="10.0.0.66", now=after).account is not None


def test_each_failure_on_a_name_from_anywhere_makes_the_next_try_wait_longer(session: Session) -> None:
    at, waits = NOW, []
    for n in range(9):  # a different address each time: no pair reaches MAX_FAILURES
        assert sign_in(session, "admin", "guess", address=f"10.1.0.{n}", now=at).account is None
        waits.append(name_delay(n + 1))
        at += name_delay(n + 1)
    assert [w.total_seconds() for w in waits] == [0, 0, 1, 2, 4, 8, 16, 30, 30]
    # During the wait even the right password is refused, and the refusal is not counted as a failure.
    early = sign_in(session, "admin", "correct horse", address="10.0.0.7", now=at - timedelta(seconds=1))
    assert early.account is None and early.wait_until == at
    assert sign_in(session, "admin", "correct horse", address="10.0.0.7", now=at).account is not None


def test_a_success_resets_the_failure_counts(session: Session) -> None:
    _, last = _fail(session, MAX_FAILURES - 1, "10.0.0.66", NOW)
    later = last + MAX_NAME_DELAY + timedelta(seconds=1)
    assert sign_in(session, "admin", "correct horse", address="10.0.0.66", now=later).account is not None
    assert sign_in(session, "admin", "guess", address="10.0.0.66", now=later).locked_until is None
    user = session.scalar(select(User).where(User.name == "admin"))
    assert user.failed_logins == 1 and user.locked_until == later  # one failure: no wait yet


def test_stale_failures_are_forgotten_and_their_rows_deleted(session: Session) -> None:
    _fail(session, MAX_FAILURES - 1, "10.0.0.66", NOW)
    session.add(LoginFailure(name="someone", address="10.9.9.9", failures=3, last_failed_at=NOW))
    much_later = NOW + 2 * LOCKOUT
    assert sign_in(session, "admin", "guess", address="10.0.0.66", now=much_later).locked_until is None
    pair = session.get(LoginFailure, ("admin", "10.0.0.66"))
    assert pair.failures == 1 and session.get(LoginFailure, ("someone", "10.9.9.9")) is None


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
