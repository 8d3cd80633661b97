"""``matcher users add|list|remove``: API users and their keys (a key is printed once, at creation)."""
from __future__ import annotations

import argparse
import getpass
import sys

from sqlalchemy.orm import Session

from matcher.config import Settings
from matcher.store.accounts import ROLES, AccountError, create_user, delete_user, list_users
from matcher.store.db import make_engine, upgrade_database
from matcher.store.passwords import set_password


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("users", help="API users and their keys.")
    actions = parser.add_subparsers(dest="users_command", required=True)
    add = actions.add_parser("add", help="Create a user and print their API key (shown only this once).")
    add.add_argument("--name", required=True, help="unique user name")
    add.add_argument("--role", required=True, choices=ROLES,
                     help="seeker (own profile), employer (own jobs), staff (own workstation), admin")
    add.add_argument("--workstation", help="staff: the workstation_id they serve")
    add.add_argument("--employer", help="employer: the employer_id they act for")
    add.add_argument("--talent", help="seeker: their own talent_id")
    add.add_argument("--password", action="store_true",
                     help="also ask for a password (typed twice, never echoed) for signing in to the web pages")
    add.set_defaults(handler=run_add)
    password = actions.add_parser("password", help="Set or reset a user's web password (asked for, never echoed).")
    password.add_argument("name", help="the user's name")
    password.set_defaults(handler=run_password)
    listing = actions.add_parser("list", help="List users (never their keys).")
    listing.set_defaults(handler=run_list)
    remove = actions.add_parser("remove", help="Delete a user, revoking their key.")
    remove.add_argument("id", type=int, help="user id as `matcher users list` shows it")
    remove.set_defaults(handler=run_remove)


def _session(settings: Settings) -> Session:
    engine = make_engine(settings)
    upgrade_database(settings, engine)
    return Session(engine)


def run_add(args: argparse.Namespace, settings: Settings) -> int:
    with _session(settings) as session:
        try:
            user, key = create_user(session, args.name, args.role, workstation_id=args.workstation,
                                    employer_id=args.employer, talent_id=args.talent)
            if args.password:
                set_password(session, args.name, _ask_password())
        except AccountError as error:
            print(f"matcher users add: {error}", file=sys.stderr)
            return 2
        session.commit()
    print(f"created user {user.id} {user.name!r} ({user.role}); API key, shown only now:", file=sys.stderr)
    print(key)
    return 0


def run_password(args: argparse.Namespace, settings: Settings) -> int:
    with _session(settings) as session:
        try:
            set_password(session, args.name, _ask_password())
        except AccountError as error:
            print(f"matcher users password: {error}", file=sys.stderr)
            return 2
        session.commit()
    print(f"password set for {args.name!r}", file=sys.stderr)
    return 0


def _ask_password() -> str:
    """Asked twice on the terminal (read from stdin, one line each, when there is none: scripts and tests)."""
    first, second = _read_secret("password: "), _read_secret("again: ")
    if first != second:
        raise AccountError("the two passwords differ; nothing was changed")
    return first


def _read_secret(prompt: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.readline().rstrip("\n")


def run_list(args: argparse.Namespace, settings: Settings) -> int:
    with _session(settings) as session:
        for user in list_users(session):
            bound = user.workstation_id or user.employer_id or user.talent_id or ""
            print(f"{user.id}\t{user.name}\t{user.role}\t{bound}")
    return 0


def run_remove(args: argparse.Namespace, settings: Settings) -> int:
    with _session(settings) as session:
        try:
            removed = delete_user(session, args.id)
        except AccountError as error:
            print(f"matcher users remove: {error}", file=sys.stderr)
            return 1
        if not removed:
            print(f"matcher users remove: no user with id {args.id}", file=sys.stderr)
            return 1
        session.commit()
    print(f"removed user {args.id}; their key no longer works")
    return 0
