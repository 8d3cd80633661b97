"""Passwords for people signing in to the web pages: argon2id hashes, a lockout per (name, client address)
and a growing wait per name.

API keys (matcher.store.accounts) stay for machines. A password is guessable, so it gets a slow, salted
KDF. Repeated failures lock that name from that address for a while (anyone who knows a name could
otherwise lock its owner out), and every failure on a name, from anywhere, makes the next try on it wait
a little longer, up to a cap. Both are counted in the database so every worker process sees the same counts.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from matcher.store.accounts import Account, AccountError, account_of_user
from matcher.store.models import LoginFailure, User, utcnow

MIN_PASSWORD_LENGTH = 8
MAX_FAILURES = 5
"""Failed sign-ins in a row for one name from one client address before that pair is locked."""
LOCKOUT = timedelta(minutes=15)
FREE_FAILURES = 2
"""Failures in a row on a name (from any address) before each further try has to wait."""
MAX_NAME_DELAY = timedelta(seconds=30)
"""The per-name wait stops growing here: it slows guessing from many addresses, it never locks the user out."""

_HASHER = PasswordHasher()
_DUMMY_HASH = _HASHER.hash("a password nobody has")
"""Verified against when the name is unknown, so an unknown name takes as long as a wrong password."""


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in: the account, or why not (the same words for unknown names and bad passwords).

    locked_until: this name is locked from this address; wait_until: this name takes no try before then."""

    account: Account | None
    locked_until: datetime | None = None
    wait_until: datetime | None = None


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    return _HASHER.hash(password)


def set_password(session: Session, name: str, password: str) -> Account:
    """Set or reset a user's password inside the caller's transaction; clears any lockout."""
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise AccountError(f"no user named {name!r}")
    user.password_hash = hash_password(password)
    user.failed_logins, user.locked_until = 0, None
    session.execute(delete(LoginFailure).where(LoginFailure.name == user.name))
    return account_of_user(user)


def name_delay(failures: int) -> timedelta:
    """The wait after ``failures`` failures in a row on one name: none at first, then 1 s, 2 s, 4 s ... capped."""
    if failures <= FREE_FAILURES:
        return timedelta(0)
    return min(timedelta(seconds=2 ** (failures - FREE_FAILURES - 1)), MAX_NAME_DELAY)


def sign_in(session: Session, name: str, password: str, *, address: str = "", now: datetime | None = None) -> SignIn:
    """Check a name and password from a client address inside the caller's transaction (it records failures;
    commit it either way). Refused without checking the password while (name, address) is locked or the
    name's wait runs, so neither guessing from one address nor from many gets far."""
    now = now or utcnow()
    user = session.scalar(select(User).where(User.name == name.strip()))
    if user is None or not user.password_hash:
        _verify(_DUMMY_HASH, password)
        return SignIn(None)
    pair = session.get(LoginFailure, (user.name, address))
    if pair is not None and pair.locked_until is not None and pair.locked_until > now:
        return SignIn(None, locked_until=pair.locked_until)
    if user.locked_until is not None and user.locked_until > now:
        return SignIn(None, wait_until=user.locked_until)
    if _verify(user.password_hash, password):
        user.failed_logins, user.locked_until = 0, None
        if pair is not None:
            session.delete(pair)
        if _HASHER.check_needs_rehash(user.password_hash):
            user.password_hash = _HASHER.hash(password)
        return SignIn(account_of_user(user))
    return _failed(session, user, pair, address, now)


def _failed(session: Session, user: User, pair: LoginFailure | None, address: str, now: datetime) -> SignIn:
    """Count a failure for the name (its wait grows) and for the pair (locked at MAX_FAILURES)."""
    if user.locked_until is not None and user.locked_until < now - LOCKOUT:
        user.failed_logins = 0  # a quiet quarter of an hour: the name starts afresh
    user.failed_logins = (user.failed_logins or 0) + 1
    user.locked_until = now + name_delay(user.failed_logins)  # also when the name last failed
    session.execute(delete(LoginFailure).where(LoginFailure.last_failed_at < now - LOCKOUT,
                                               LoginFailure.name != user.name))  # keeps the table small
    if pair is None or pair.last_failed_at < now - LOCKOUT:
        pair = pair or LoginFailure(name=user.name, address=address)
        pair.failures, pair.locked_until = 0, None
        session.add(pair)
    pair.failures, pair.last_failed_at = pair.failures + 1, now
    if pair.failures >= MAX_FAILURES:
        pair.failures, pair.locked_until = 0, now + LOCKOUT
        return SignIn(None, locked_until=pair.locked_until)
    return SignIn(None)


def _verify(stored: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
