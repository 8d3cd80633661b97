"""Timestamps as the service hands them out: always UTC, always with their offset."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator


def as_utc(moment: datetime) -> datetime:
    """The database stores UTC without an offset; answers say so (``…Z``), so no client reads it as local."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


UtcDateTime = Annotated[datetime, AfterValidator(as_utc)]
"""A timestamp in a response or a saved state: always UTC, always with its offset."""
