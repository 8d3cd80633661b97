"""API users: who am I, and (admins) creating, listing and revoking users and their keys."""
from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, status

from api.auth import AccountDep, AdminDep
from api.deps import SessionDep
from api.problems import not_found
from api.schemas.common import CONFLICT_RESPONSES, PROBLEM_RESPONSES
from api.schemas.users import UserCreate, UserCreated, UserPublic
from matcher.store.accounts import create_user, delete_user, list_users

router = APIRouter(prefix="/users", tags=["users"], responses=PROBLEM_RESPONSES)


@router.get("/me", response_model=UserPublic)
def me(account: AccountDep):
    return UserPublic(**asdict(account))


@router.get("", response_model=list[UserPublic])
def users(account: AdminDep, session: SessionDep):
    return [UserPublic(**asdict(user)) for user in list_users(session)]


@router.post("", response_model=UserCreated, status_code=status.HTTP_201_CREATED)
def add_user(body: UserCreate, account: AdminDep, session: SessionDep):
    """The same checks as ``matcher users add``; the key in the answer is shown only this once."""
    user, key = create_user(session, body.name, body.role, workstation_id=body.workstation_id,
                            employer_id=body.employer_id, talent_id=body.talent_id)
    session.commit()
    return UserCreated(**asdict(user), api_key=key)


@router.delete("/{user_id}", status_code=status.HTTP_204_NO_CONTENT, responses=CONFLICT_RESPONSES)
def revoke_user(user_id: int, account: AdminDep, session: SessionDep) -> None:
    """Revoke a user's key; the last admin cannot be removed (409), so someone can always manage users."""
    removed = delete_user(session, user_id)
    if not removed:
        raise not_found("user", str(user_id))
    session.commit()
