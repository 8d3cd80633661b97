"""Shared dependencies, declared once: settings, a database session per request, the Matcher."""
from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from matcher.config import Settings
from matcher.follower import ChangeFollower
from matcher.pipeline import Matcher


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session per request; routes commit what they write, anything uncommitted is rolled back.

    The dependencies here are async so FastAPI calls them on the event loop rather than through a thread-pool
    hop each.
    """
    with request.app.state.sessions() as session:
        yield session


async def get_engine(request: Request) -> Engine:
    return request.app.state.engine


async def get_follower(request: Request) -> ChangeFollower:
    return request.app.state.follower


async def get_matcher(request: Request) -> Matcher:
    """This worker's Matcher, brought up to date with writes committed by any worker or the CLI.

    On the event loop, like the matching it serves: usually one indexed query; after writes, the re-indexing
    every request to this worker would wait for anyway."""
    matcher = request.app.state.matcher
    request.app.state.follower.catch_up(matcher)
    return matcher


async def get_app_settings(request: Request) -> Settings:
    """The settings the app was started with (see ``api.app.lifespan``)."""
    return request.app.state.settings


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
EngineDep = Annotated[Engine, Depends(get_engine)]
SessionDep = Annotated[Session, Depends(get_session)]
MatcherDep = Annotated[Matcher, Depends(get_matcher)]
FollowerDep = Annotated[ChangeFollower, Depends(get_follower)]
