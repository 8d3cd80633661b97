"""API users: roles, the record each role is bound to, and API keys stored only as salted hashes.

A key reads ``mk_<user id>_<secret>``: the id finds the one row to check, so verifying costs one
primary-key lookup and one hash, and the secret is compared in constant time. The secret is 256 random
bits, so a fast salted SHA-256 is enough (a slow KDF protects guessable passwords, not random keys).
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, fields

from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.normalize.number_policy import INTEGER_MAX
from matcher.store.keyed import rows_by_keys
from matcher.store.models import Employer, Talent, User, Workstation

ROLES = ("seeker", "employer", "staff", "admin")
BINDING_OF_ROLE = {"seeker": "talent_id", "employer": "employer_id", "staff": "workstation_id"}
"""The record a role acts for: a seeker's own profile, an employer's company, a staff member's workstation."""
KEY_PREFIX = "mk"
_KEY = re.compile(rf"{KEY_PREFIX}_(\d+)_([A-Za-z0-9_-]{{20,}})")
_HASH_SCHEME = "sha256"


@dataclass(frozen=True)
class Account:
    """Who is calling: what the API checks every request against."""

    id: int
    name: str
    role: str
    workstation_id: str | None = None
    employer_id: str | None = None
    talent_id: str | None = None


class AccountError(ValueError):
    """A user cannot be created as asked (unknown role, missing or unknown binding, name taken)."""


class LastAdminError(AccountError):
    """Removing this user would leave no admin: nobody could manage users through the API any more."""


def create_user(session: Session, name: str, role: str, *, workstation_id: str | None = None,
                employer_id: str | None = None, talent_id: str | None = None) -> tuple[Account, str]:
    """Add a user inside the caller's transaction; returns the account and its API key (shown only once)."""
    bindings = {"workstation_id": workstation_id, "employer_id": employer_id, "talent_id": talent_id}
    _check_new_user(session, name, role, bindings)
    secret = secrets.token_urlsafe(32)
    user = User(name=name, role=role, api_key_hash=hash_secret(secret), **bindings)
    session.add(user)
    session.flush()  # assigns user.id, which is part of the key
    return _account(user), f"{KEY_PREFIX}_{user.id}_{secret}"


def _check_new_user(session: Session, name: str, role: str, bindings: dict[str, str | None]) -> None:
    if role not in ROLES:
        raise AccountError(f"role {role!r} is not one of {', '.join(ROLES)}")
    if not name.strip():
        raise AccountError("a user needs a non-empty name")
    if session.scalar(select(User.id).where(User.name == name)) is not None:
        raise AccountError(f"a user named {name!r} already exists")
    needed = BINDING_OF_ROLE.get(role)
    if needed and not bindings[needed]:
        raise AccountError(f"a {role} user needs --{needed.removesuffix('_id')} (the {needed} they act for)")
    models = {"workstation_id": Workstation, "employer_id": Employer, "talent_id": Talent}
    for column, value in bindings.items():
        if value is not None and session.get(models[column], value) is None:
            raise AccountError(f"{column} {value!r} does not exist; import or create it first")


def hash_secret(secret: str, salt: bytes | None = None) -> str:
    """``sha256$<salt hex>$<digest hex>`` with a fresh 16-byte salt unless one is given."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.sha256(salt + secret.encode("utf-8")).hexdigest()
    return f"{_HASH_SCHEME}${salt.hex()}${digest}"


def secret_matches(secret: str, stored: str) -> bool:
    scheme, _, rest = stored.partition("$")
    salt_hex, _, _digest = rest.partition("$")
    if scheme != _HASH_SCHEME:
        return False
    return hmac.compare_digest(hash_secret(secret, bytes.fromhex(salt_hex)), stored)


def authenticate(session: Session, api_key: str) -> Account | None:
    """The account whose key this is, or None for a malformed, unknown or wrong key."""
    match = _KEY.fullmatch(api_key.strip())
    if match is None or int(match.group(1)) > INTEGER_MAX:  # no user has an id no column holds
        return None
    # A plain row on the session's connection: this runs on every API request, and neither the ORM's identity
    # map nor SQLAlchemy's statement machinery buys anything here (see matcher.store.keyed).
    found = rows_by_keys(session.connection(), User.__table__, "id", _ROW_COLUMNS, [int(match.group(1))])
    if not found or not secret_matches(match.group(2), found[0]["api_key_hash"]):
        return None
    return Account(**{name: found[0][name] for name in _ACCOUNT_FIELDS})


def account_by_id(session: Session, user_id: int) -> Account | None:
    """The account of a signed-in person (the web session keeps the id); None once the user is removed."""
    user = session.get(User, user_id)
    return None if user is None else _account(user)


def account_of_user(user: User) -> Account:
    return _account(user)


def list_users(session: Session) -> list[Account]:
    return [_account(user) for user in session.scalars(select(User).order_by(User.id))]


def delete_user(session: Session, user_id: int) -> bool:
    """Revoke a user's key by removing the user; False when there is no such user."""
    if not 0 < user_id <= INTEGER_MAX:
        return False
    user = session.get(User, user_id)
    if user is None:
        return False
    if user.role == "admin" and _admin_count(session) <= 1:
        raise LastAdminError("this is the only admin; create another admin before removing this one")
    session.delete(user)
    return True


def _admin_count(session: Session) -> int:
    """Admins, counted under a lock on their rows where the database has row locks (two admins removing
    each other at once must not both succeed); SQLite serialises writers anyway."""
    admins = select(User.id).where(User.role == "admin")
    if session.get_bind().dialect.name == "postgresql":
        admins = admins.with_for_update()
    return len(session.scalars(admins).all())


_ACCOUNT_FIELDS = tuple(field.name for field in fields(Account))
_ROW_COLUMNS = (*_ACCOUNT_FIELDS, "api_key_hash")


def _account(user: User) -> Account:
    return Account(**{name: getattr(user, name) for name in _ACCOUNT_FIELDS})
