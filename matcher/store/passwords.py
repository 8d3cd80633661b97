"""Passwords for people signing in to the web pages: argon2id hashes and a lockout after repeated failures.

API keys (matcher.store.accounts) stay for machines. A password is guessable, so it gets a slow, salted
KDF; repeated failures lock the name for a while, counted in the database so every worker process sees
the same count.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.store.accounts import Account, AccountError, account_of_user
from matcher.store.models import User, utcnow

MIN_PASSWORD_LENGTH = 8
MAX_FAILURES = 5
"""Failed sign-ins in a row before the name is locked."""
LOCKOUT = timedelta(minutes=15)

_HASHER = PasswordHasher()
_DUMMY_HASH = _HASHER.hash("a password nobody has")
"""Verified against when the name is unknown, so an unknown name takes as long as a wrong password."""


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in: the account, or why not (the same words for unknown names and bad passwords)."""

    account: Account | None
    locked_until: datetime | None = None


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
    return account_of_user(user)


def sign_in(session: Session, name: str, password: str, now: datetime | None = None) -> SignIn:
    """Check a name and password inside the caller's transaction (it records failures; commit it either way)."""
    now = now or utcnow()
    user = session.scalar(select(User).where(User.name == name.strip()))
    if user is None or not user.password_hash:
        _verify(_DUMMY_HASH, password)
        return SignIn(None)
    if user.locked_until is not None and user.locked_until > now:
        return SignIn(None, locked_until=user.locked_until)
    if _verify(user.password_hash, password):
        user.failed_logins, user.locked_until = 0, None
        if _HASHER.check_needs_rehash(user.password_hash):
            user.password_hash = _HASHER.hash(password)
        return SignIn(account_of_user(user))
    user.failed_logins = (user.failed_logins or 0) + 1
    if user.failed_logins >= MAX_FAILURES:
        user.failed_logins, user.locked_until = 0, now + LOCKOUT
        return SignIn(None, locked_until=user.locked_until)
    return SignIn(None)


def _verify(stored: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
